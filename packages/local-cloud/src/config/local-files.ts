import path from 'node:path';

/**
 * `<service>/.local-cloud/secrets.json`: the values of Secrets Manager and Parameter Store that local-cloud
 * serves, and what ${ssm:...} resolves to while it reads serverless.yml.
 */
export function localSecretsFile(servicePath: string): string {
  return path.join(servicePath, '.local-cloud', 'secrets.json');
}
