// The IAM authorization requests one Kinesis Data Streams call makes, as AWS evaluates them ("Actions,
// resources, and condition keys for Amazon Kinesis Data Streams", Service Authorization Reference): stream
// actions on `arn:aws:kinesis:<region>:<account>:stream/<name>`, from StreamARN or StreamName. GetRecords names
// no stream, and ListShards' NextToken replaces the StreamName: both carry it, in local-cloud's own encoding
// (kinesis-streams.ts's iterator, kinesis-service.ts's page token), read here. The input is what local-cloud's
// Kinesis has at dispatch: the operation of `X-Amz-Target: Kinesis_20131202.<Operation>` and the JSON body.
import type { AuthorizationRequest } from '../policy-types';

type Target = { region: string; accountId: string };
type Input = Record<string, unknown>;

/** Operations the Service Authorization Reference lists with no resource type. */
const ACCOUNT_WIDE = new Set(['ListStreams', 'DescribeLimits', 'DescribeAccountSettings']);

export function kinesisAuthorizationRequests(
  operation: string,
  input: Input,
  target: Target,
): AuthorizationRequest[] {
  const resource = ACCOUNT_WIDE.has(operation) ? '*' : streamResource(operation, input, target);
  return [{ action: `kinesis:${operation}`, resource, context: {} }];
}

function streamResource(operation: string, input: Input, target: Target): string {
  const given = text(input.StreamARN);
  if (given) return given;
  const name =
    text(input.StreamName) ??
    (operation === 'GetRecords' ? encodedName(input.ShardIterator, 'n') : undefined) ??
    (operation === 'ListShards' ? encodedName(input.NextToken, 'stream') : undefined);
  return name ? `arn:aws:kinesis:${target.region}:${target.accountId}:stream/${name}` : '*';
}

/** A stream name inside base64 JSON (`{"n": "<stream>", ...}`); undefined when it is not that. */
function encodedName(encoded: unknown, field: string): string | undefined {
  if (typeof encoded !== 'string') return undefined;
  try {
    const state: unknown = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
    return typeof state === 'object' && state !== null ? text((state as Input)[field]) : undefined;
  } catch {
    return undefined;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
