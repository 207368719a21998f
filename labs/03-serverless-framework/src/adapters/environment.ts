/**
 * A setting from the function's environment (serverless.yml's provider.environment). Read at module scope,
 * so a missing one fails the cold start with this message instead of a confusing SDK error later.
 */
export function requiredEnvironment(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(
      `The environment variable ${name} is not set. Set it under provider.environment in serverless.yml.`,
    );
  }
  return value;
}
