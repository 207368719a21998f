// Kinesis Data Streams' errors as its JSON 1.1 protocol carries them: `{"__type": "ResourceNotFoundException",
// "message": ...}` with the type also in `x-amzn-ErrorType`, which SDK v3 and the AWS CLI turn into the named
// exception. The messages are the ones Kinesis sends.
import { ACCOUNT_ID } from '../../common/account';
import type { AwsErrorBody } from '../../protocol/aws-errors';

export class KinesisError extends Error {
  constructor(
    /** `ResourceNotFoundException`, `InvalidArgumentException`, ... */
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }

  get body(): AwsErrorBody {
    return { code: this.code, status: this.status, message: this.message };
  }
}

export const streamNotFound = (name: string, accountId = ACCOUNT_ID) =>
  new KinesisError('ResourceNotFoundException', `Stream ${name} under account ${accountId} not found.`);
export const streamExists = (name: string, accountId = ACCOUNT_ID) =>
  new KinesisError('ResourceInUseException', `Stream ${name} under account ${accountId} already exists.`);
export const invalidArgument = (message: string) => new KinesisError('InvalidArgumentException', message);
/** A request member outside its constraints, in the words of AWS's input validation. */
export const validation = (member: string, value: unknown, constraint: string) =>
  new KinesisError(
    'ValidationException',
    `1 validation error detected: Value ${describe(value)} at '${member}' failed to satisfy constraint: ${constraint}`,
  );
export const missing = (member: string) => validation(member, null, 'Member must not be null');

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return `'${value.length > 64 ? `${value.slice(0, 64)}...` : value}'`;
  return `'${JSON.stringify(value)}'`;
}
