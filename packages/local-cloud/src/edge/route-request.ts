// Which AWS API a request is for, read from what every AWS client sends: the `X-Amz-Target` header of the JSON
// protocols (`DynamoDB_20120810.GetItem`), else the service named in the SigV4 credential scope
// (`Credential=AKID/20261207/eu-west-1/s3/aws4_request`, in the Authorization header or, presigned, the
// query). Requests with neither are S3's: a browser's presigned upload preflight, a public object's GET.
import type { IncomingHttpHeaders } from 'node:http';

/**
 * AWS's APIs by the name AWS signs them with (DynamoDB Streams has its own), as messages name them: the ones
 * local-cloud serves and the ones clients often call. A service serving one of them mounts it on the edge by
 * that name, with no edit here.
 */
export const AWS_API_NAMES = {
  lambda: 'Lambda',
  s3: 'S3',
  sns: 'SNS',
  sqs: 'SQS',
  dynamodb: 'DynamoDB',
  dynamodbstreams: 'DynamoDB Streams',
  secretsmanager: 'Secrets Manager',
  ssm: 'SSM Parameter Store',
  'execute-api': 'API Gateway',
  events: 'EventBridge',
  states: 'Step Functions',
  kinesis: 'Kinesis',
  logs: 'CloudWatch Logs',
  monitoring: 'CloudWatch',
  'cognito-idp': 'Cognito user pools',
  kms: 'KMS',
  xray: 'X-Ray',
  sts: 'STS',
  iam: 'IAM',
} as const;

/** The APIs the edge can route to. */
export type EdgeApi = keyof typeof AWS_API_NAMES;

export interface RoutedRequest {
  /** The service the client meant: an EdgeApi, or another AWS service's signing name (`sqs`, `events`). */
  api: string;
  /** How the edge knew, for error messages. */
  by: 'target' | 'scope' | 'host' | 'default';
  /** The operation, when the request names it (`X-Amz-Target: AmazonSQS.SendMessage`, `?Action=...`). */
  operation?: string;
  /** The client speaks a JSON protocol (its errors must be JSON with `__type`). */
  json: boolean;
}

/** `X-Amz-Target` prefixes, before the dot, of the JSON-protocol APIs clients call. */
const TARGET_PREFIXES: Readonly<Record<string, string>> = {
  DynamoDB_20120810: 'dynamodb',
  DynamoDBStreams_20120810: 'dynamodbstreams',
  secretsmanager: 'secretsmanager',
  AmazonSSM: 'ssm',
  AmazonSQS: 'sqs',
  AWSEvents: 'events',
  AWSStepFunctions: 'states',
  Kinesis_20131202: 'kinesis',
  Logs_20140328: 'logs',
  AWSCognitoIdentityProviderService: 'cognito-idp',
  AWSKMS: 'kms',
  AWSXRay: 'xray',
};

const SCOPE = /Credential=[^/,\s]+\/\d{8}\/[^/,\s]+\/([^/,\s]+)\/aws4_request/;
const QUERY_SCOPE = /^[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request$/;

export function routeRequest(url: string, headers: IncomingHttpHeaders): RoutedRequest {
  const target = typeof headers['x-amz-target'] === 'string' ? headers['x-amz-target'] : '';
  const prefix = target.split('.')[0] ?? '';
  // Own keys only: a header naming `constructor` or `__proto__` is just an unknown prefix.
  const operation = target.split('.')[1] || queryAction(url);
  const named = operation ? { operation } : {};
  if (Object.hasOwn(TARGET_PREFIXES, prefix))
    return { api: TARGET_PREFIXES[prefix]!, by: 'target', json: true, ...named };

  const json = target !== '' || /^application\/x-amz-json/.test(String(headers['content-type'] ?? ''));
  const scope = scopeService(url, headers);
  if (scope) return { api: scope, by: 'scope', json, ...named };
  // An AWS hostname, as a sandbox's call to it arrives (sandbox-aws-hosts.js): the host names the service.
  const byHost = hostService(typeof headers.host === 'string' ? headers.host : '');
  if (byHost) return { api: byHost, by: 'host', json, ...named };
  // Unsigned: the Invoke API's paths are Lambda's (its answer says a signature is missing); the rest is S3's.
  if (url.startsWith('/2015-03-31/functions')) return { api: 'lambda', by: 'default', json };
  return { api: 's3', by: 'default', json };
}

function scopeService(url: string, headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = SCOPE.exec(authorization);
    if (match) return match[1];
  }
  const query = url.indexOf('?');
  if (query === -1) return undefined;
  const credential = new URLSearchParams(url.slice(query + 1)).get('X-Amz-Credential');
  return credential ? QUERY_SCOPE.exec(credential)?.[1] : undefined;
}

/** `?Action=SendMessage`: how the query protocols (SNS, SQS, STS) name the operation in a URL. */
function queryAction(url: string): string | undefined {
  const query = url.indexOf('?');
  return query === -1 ? undefined : (new URLSearchParams(url.slice(query + 1)).get('Action') ?? undefined);
}

const AWS_HOST = /^(.+)\.(amazonaws\.com|amazonaws\.com\.cn|api\.aws)$/i;

/**
 * The service an AWS hostname belongs to: `<apiId>.execute-api.<region>.amazonaws.com` is API Gateway's,
 * `s3.<region>...` and `<bucket>.s3...` are S3's, `streams.dynamodb...` DynamoDB Streams', else the first
 * label (`sqs.us-east-1.amazonaws.com`). Undefined for any other host.
 */
export function hostService(host: string): string | undefined {
  const match = AWS_HOST.exec(host.replace(/:\d+$/, '').replace(/\.$/, ''));
  if (!match) return undefined;
  const labels = match[1]!.toLowerCase().split('.');
  if (labels.includes('execute-api')) return 'execute-api';
  if (labels.some((label) => label === 's3' || label.startsWith('s3-'))) return 's3';
  if (labels[0] === 'streams' && labels[1] === 'dynamodb') return 'dynamodbstreams';
  return labels[0];
}
