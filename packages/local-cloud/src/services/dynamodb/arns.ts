// DynamoDB Local names every table and stream `arn:aws:dynamodb:ddblocal:000000000000:...`, whatever region it
// is called for; stream events, endpoints.json and CloudFormation references use the service's region and
// account, as AWS does. The proxy translates on the way through, so a client sees one form everywhere: AWS's
// in every answer (DescribeTable's TableArn, ListStreams, ...), and an ARN it got from an event or from
// endpoints.json works in a request (DescribeStream, GetShardIterator, TableName given as an ARN).
import { crc32 } from 'node:zlib';

const LOCAL_PREFIX = 'arn:aws:dynamodb:ddblocal:000000000000:';

export interface ArnTranslator {
  /** A request body with the service's ARNs in DynamoDB Local's form. */
  toLocal(body: Buffer): Buffer;
  /** A response body with DynamoDB Local's ARNs in the service's form. */
  toAws(body: Buffer): Buffer;
}

export function arnTranslator(region: string, accountId: string): ArnTranslator {
  const awsPrefix = `arn:aws:dynamodb:${region}:${accountId}:`;
  const replace = (body: Buffer, from: string, to: string) =>
    body.includes(from) ? Buffer.from(body.toString('utf8').replaceAll(from, to)) : body;
  return {
    toLocal: (body) => replace(body, awsPrefix, LOCAL_PREFIX),
    toAws: (body) => replace(body, LOCAL_PREFIX, awsPrefix),
  };
}

/** DynamoDB's response checksum, which the AWS CLI (botocore) checks: recomputed when a body is rewritten. */
export function dynamoDbCrc32(body: Buffer): string {
  return String(crc32(body));
}
