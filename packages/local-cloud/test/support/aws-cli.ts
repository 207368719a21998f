// The AWS CLI as a user runs it against local-cloud: `--endpoint-url` at the AWS endpoint, local-cloud's key
// pair, a region, a HOME of its own (no profile of the machine's user leaks in) and no pager. Resolves with
// its standard output; rejects with execFile's error, whose `stderr` holds what the CLI printed.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface AwsCliTarget {
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  home: string;
}

/** `aws <args> --endpoint-url <endpoint> --output json`; the target is read at each call. */
export function awsCli(target: () => AwsCliTarget): (...args: string[]) => Promise<string> {
  return async (...args) => {
    const { endpoint, credentials, region, home } = target();
    const { stdout } = await run('aws', [...args, '--endpoint-url', endpoint, '--output', 'json'], {
      env: {
        PATH: process.env.PATH,
        HOME: home,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_DEFAULT_REGION: region,
        AWS_PAGER: '',
      },
    });
    return stdout;
  };
}
