import { ConfigurationError } from '../core/errors';

export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new ConfigurationError(`${name} is not set. Set it in serverless.yml's environment.`);
  }
  return value;
}

export function positiveIntegerEnv(name: string, env: NodeJS.ProcessEnv = process.env): number {
  const text = requireEnv(name, env);
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigurationError(
      `${name} is ${JSON.stringify(text)}. Set it to a whole number of at least 1.`,
    );
  }
  return value;
}
