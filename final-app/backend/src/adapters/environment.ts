// The settings serverless.yml gives every function, read once and checked: a missing one is a deployment
// mistake, reported by name rather than as an undefined table name deep in an SDK error.
export function setting(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(
      `The environment variable ${name} is not set. Set it in serverless.yml (provider.environment)`,
    );
  }
  return value;
}
