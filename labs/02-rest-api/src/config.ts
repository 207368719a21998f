// Settings serverless.yml passes to the functions as environment variables.

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(
      `The environment variable ${name} is not set. Set it under provider.environment in serverless.yml.`,
    );
  }
  return value;
}

export const config = {
  groupsTable: (): string => required('GROUPS_TABLE'),
  allowedOrigin: (): string => required('ALLOWED_ORIGIN'),
};
