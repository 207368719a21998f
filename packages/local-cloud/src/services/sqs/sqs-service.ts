// Amazon SQS on the AWS endpoint (or a port of its own), for `@aws-sdk/client-sqs` and the AWS CLI pointed at
// it: the JSON protocol (`X-Amz-Target: AmazonSQS.SendMessage`, what SDK v3 and CLI v2 from 2.13 send) and the
// Query protocol (`Action=SendMessage` form posts, XML answers: older CLIs, the SDK v2), both SigV4-verified
// against local-cloud's key pair. Queues come from the service's AWS::SQS::Queue resources and CreateQueue;
// their URLs are AWS's form on this endpoint, `http://127.0.0.1:3001/123456789012/jobs`, and AWS's own
// (`https://sqs.us-east-1.amazonaws.com/123456789012/jobs`) names the same queue.
import type { Authorizer } from '../../iam/authorizer';
import {
  admitDelivery,
  deliveryAllowed,
  type DeliveryCheck,
  type DeliverySource,
  type DeliveryVerdict,
} from '../../iam/delivery-policy';
import { accessDeniedMessage, deniedCall } from '../../iam/denial-messages';
import { sqsAuthorizationRequests } from '../../iam/requests';
import { serviceDataDir, signatureCheckFor, type AwsServiceOptions } from '../../common/service-options';
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { ACCOUNT_ID } from '../../common/account';
import { isRecord } from '../../common/records';
import { internalErrorMessage, logInternalError, type Log } from '../../http/internal-errors';
import { closingOnFailure, serviceListener, urlHost } from '../../http-listener';
import { readCappedBody } from '../../protocol/read-body';
import type { createSignatureCheck } from '../../protocol/signature-errors';
import { declaredQueues, type DeclaredQueue } from './declared-queues';
import { md5OfAttributes, type MessageAttributeValue } from './md5';
import { queryInput, queryResponse } from './query-protocol';
import {
  batchError,
  fromSignatureError,
  invalidParameterValue,
  invalidRange,
  missingParameter,
  queueDoesNotExist,
  sendSqsError,
  SqsError,
} from './sqs-errors';
import { SqsQueues, type Queue, type ReceivedMessage } from './sqs-queues';

export { SqsError } from './sqs-errors';
export type { Queue, ReceivedMessage, StoredMessage } from './sqs-queues';
export { SqsQueues } from './sqs-queues';

export type SqsServiceOptions = AwsServiceOptions;

export interface SqsService {
  /** `http://127.0.0.1:<port>`: the AWS endpoint. */
  url: string;
  queues: SqsQueues;
  declared: DeclaredQueue[];
  /** The URL of a queue on this endpoint. */
  queueUrl(name: string): string;
  /** What the queue's Policy says of `source` sending to it now (S3, SNS, EventBridge deliveries). */
  deliveryVerdict(queue: Queue, source: DeliverySource): DeliveryVerdict;
  /**
   * Checks a delivery from `source` as the IAM mode says: throws DeliveryRefusedError when AWS refuses it
   * (enforce), logs it (warn), or lets it through (off).
   */
  admitDelivery(queue: Queue, source: DeliverySource): void;
  stop(): Promise<void>;
}

/** Bodies above this are refused before parsing: a 1 MiB batch, base64 or JSON-escaped, fits. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const MAX_BATCH_ENTRIES = 10;

export async function createSqsService(options: SqsServiceOptions): Promise<SqsService> {
  const host = options.host ?? '127.0.0.1';
  const account = { region: options.region, accountId: options.accountId ?? ACCOUNT_ID };
  const declared = declaredQueues(options.service, account);
  const listener = await serviceListener(options, host, 'SQS');
  const url = `http://${urlHost(host)}:${listener.port}`;
  const queues = await closingOnFailure(
    listener,
    () =>
      new SqsQueues(
        {
          account,
          dataDir: serviceDataDir(options, 'sqs'),
          now: options.now,
          log: options.log,
        },
        declared,
      ),
  );
  const api: SqsApi = {
    queues,
    queueUrl: (name) => `${url}/${account.accountId}/${name}`,
    accountId: account.accountId,
    region: options.region,
    authorizer: options.authorizer,
  };
  const verifySignature = signatureCheckFor(options, 'sqs');
  const log = options.log ?? (() => {});
  listener.attach((req, res) => {
    void handleRequest(req, res, api, verifySignature, log);
  });
  const check = (queue: Queue, source: DeliverySource): DeliveryCheck => ({
    ...source,
    action: 'sqs:SendMessage',
    targetArn: queue.arn,
  });
  const deliveryVerdict = (queue: Queue, source: DeliverySource) =>
    deliveryAllowed(queue.attributes.Policy, check(queue, source));
  return {
    url,
    queues,
    declared,
    queueUrl: api.queueUrl,
    deliveryVerdict,
    admitDelivery: (queue, source) =>
      admitDelivery(deliveryVerdict(queue, source), check(queue, source), options.authorizer?.mode, log),
    stop: async () => {
      await listener.close();
      queues.flush();
    },
  };
}

interface SqsApi {
  queues: SqsQueues;
  queueUrl: (name: string) => string;
  accountId: string;
  region: string;
  authorizer?: Authorizer;
}

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

async function handleRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  api: SqsApi,
  verifySignature: ReturnType<typeof createSignatureCheck>,
  log: Log,
): Promise<void> {
  const target = String(req.headers['x-amz-target'] ?? '');
  const json = target.startsWith('AmazonSQS.');
  try {
    const body = await readCappedBody(req, MAX_BODY_BYTES, (size) =>
      invalidParameterValue(`The request is ${size} bytes, more than SQS reads.`),
    );
    const url = req.url ?? '/';
    const refused = await verifySignature({ method: req.method ?? 'GET', url, headers: req.headers, body });
    if (refused) throw fromSignatureError(refused);
    let action: string;
    let input: Input;
    if (json) {
      action = target.slice('AmazonSQS.'.length);
      const parsed: unknown = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      if (!isRecord(parsed))
        throw new SqsError('SerializationException', 'The request body is not a JSON object.');
      input = parsed;
    } else {
      const queryAt = url.indexOf('?');
      const parameters = new URLSearchParams(body.toString('utf8'));
      if (queryAt !== -1) {
        for (const [name, value] of new URLSearchParams(url.slice(queryAt + 1))) parameters.set(name, value);
      }
      action = parameters.get('Action') ?? '';
      if (!action) throw new SqsError('MissingAction', 'The request must contain the parameter Action.');
      input = queryInput(parameters);
      // Older clients post to the queue's URL itself.
      const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
      if (input.QueueUrl === undefined && /^\/\d{12}\/[^/]+$/.test(pathname)) input.QueueUrl = pathname;
    }
    const denial = deniedCall(api.authorizer, req, () =>
      sqsAuthorizationRequests(action, input, { region: api.region, accountId: api.accountId }),
    );
    if (denial) {
      // SQS's Query code is AccessDenied (what SDKs name the error); it writes the action in lower case.
      throw new SqsError('AccessDeniedException', accessDeniedMessage(denial, 'sqs'), 403, 'AccessDenied');
    }
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const output = await runAction(action, input, api, abort.signal);
    const requestId = randomUUID();
    const text = json ? JSON.stringify(output) : queryResponse(action, output, requestId);
    res.writeHead(200, {
      'content-type': json ? 'application/x-amz-json-1.0' : 'text/xml',
      'x-amzn-requestid': requestId,
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  } catch (error) {
    if (error instanceof SyntaxError) {
      sendSqsError(res, new SqsError('SerializationException', 'The request body is not valid JSON.'), json);
      return;
    }
    if (error instanceof SqsError) {
      sendSqsError(res, error, json);
      return;
    }
    logInternalError(log, req, error);
    sendSqsError(res, new SqsError('InternalFailure', internalErrorMessage('SQS'), 500), json);
  }
}

const ACTIONS = [
  'CreateQueue',
  'GetQueueUrl',
  'ListQueues',
  'GetQueueAttributes',
  'SetQueueAttributes',
  'SendMessage',
  'SendMessageBatch',
  'ReceiveMessage',
  'DeleteMessage',
  'DeleteMessageBatch',
  'ChangeMessageVisibility',
  'ChangeMessageVisibilityBatch',
  'PurgeQueue',
  'DeleteQueue',
];

async function runAction(action: string, input: Input, api: SqsApi, signal: AbortSignal): Promise<Output> {
  const { queues } = api;
  const queue = () => queueOf(input, api);
  switch (action) {
    case 'CreateQueue': {
      const created = queues.createQueue(requiredString(input, 'QueueName'), stringMap(input.Attributes));
      return { QueueUrl: api.queueUrl(created.name) };
    }
    case 'GetQueueUrl': {
      const owner = optionalString(input, 'QueueOwnerAWSAccountId');
      if (owner !== undefined && owner !== api.accountId) throw queueDoesNotExist();
      return { QueueUrl: api.queueUrl(queues.getQueue(requiredString(input, 'QueueName')).name) };
    }
    case 'ListQueues':
      return listQueues(input, api);
    case 'GetQueueAttributes': {
      const names = stringList(input.AttributeNames);
      const all = queues.queueAttributes(queue());
      const known = new Set([
        ...Object.keys(all),
        'All',
        'Policy',
        'RedrivePolicy',
        'RedriveAllowPolicy',
        'KmsMasterKeyId',
        'KmsDataKeyReusePeriodSeconds',
        'ContentBasedDeduplication',
        'DeduplicationScope',
        'FifoThroughputLimit',
        'FifoQueue',
      ]);
      const unknown = names.find((name) => !known.has(name));
      if (unknown !== undefined) throw new SqsError('InvalidAttributeName', `Unknown Attribute ${unknown}.`);
      const chosen = Object.fromEntries(
        Object.entries(all).filter(([name]) => names.includes('All') || names.includes(name)),
      );
      return Object.keys(chosen).length > 0 ? { Attributes: chosen } : {};
    }
    case 'SetQueueAttributes':
      queues.setAttributes(queue(), stringMap(input.Attributes));
      return {};
    case 'SendMessage':
      return sendResult(queues.send(queue(), sendInput(input)));
    case 'SendMessageBatch':
      return sendBatch(queue(), input, api);
    case 'ReceiveMessage':
      return receive(queue(), input, api, signal);
    case 'DeleteMessage':
      queues.deleteMessage(queue(), requiredString(input, 'ReceiptHandle'));
      return {};
    case 'DeleteMessageBatch': {
      const target = queue();
      return batch(input, 'DeleteMessageBatchRequestEntry', (entry) => {
        queues.deleteMessage(target, requiredString(entry, 'ReceiptHandle'));
        return {};
      });
    }
    case 'ChangeMessageVisibility':
      queues.changeVisibility(
        queue(),
        requiredString(input, 'ReceiptHandle'),
        requiredInteger(input, 'VisibilityTimeout'),
      );
      return {};
    case 'ChangeMessageVisibilityBatch': {
      const target = queue();
      return batch(input, 'ChangeMessageVisibilityBatchRequestEntry', (entry) => {
        queues.changeVisibility(
          target,
          requiredString(entry, 'ReceiptHandle'),
          requiredInteger(entry, 'VisibilityTimeout'),
        );
        return {};
      });
    }
    case 'PurgeQueue':
      queues.purge(queue());
      return {};
    case 'DeleteQueue':
      queues.deleteQueue(queue());
      return {};
    default:
      throw new SqsError(
        'UnsupportedOperation',
        `local-cloud's SQS does not implement the action ${action}. It serves ${ACTIONS.join(', ')}.`,
        400,
        'AWS.SimpleQueueService.UnsupportedOperation',
      );
  }
}

/** The queue a QueueUrl names: on this endpoint, on AWS's, or any host, by `/<account>/<name>`. */
function queueOf(input: Input, api: SqsApi): Queue {
  const queueUrl = requiredString(input, 'QueueUrl');
  let pathname: string;
  try {
    pathname = new URL(queueUrl, 'http://localhost').pathname;
  } catch {
    throw queueDoesNotExist();
  }
  const match = /^\/(\d{12})\/([^/]+)\/?$/.exec(pathname);
  if (!match || match[1] !== api.accountId) throw queueDoesNotExist();
  return api.queues.getQueue(decodeURIComponent(match[2]!));
}

function listQueues(input: Input, api: SqsApi): Output {
  const prefix = optionalString(input, 'QueueNamePrefix') ?? '';
  const maxResults = optionalInteger(input, 'MaxResults');
  if (maxResults !== undefined && (maxResults < 1 || maxResults > 1000)) {
    throw invalidRange('MaxResults', maxResults, 'Must be between 1 and 1000, if provided.');
  }
  const names = api.queues
    .listQueues()
    .map((queue) => queue.name)
    .filter((name) => name.startsWith(prefix))
    .sort();
  const token = optionalString(input, 'NextToken');
  const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString());
  if (!Number.isInteger(start) || start < 0) throw invalidParameterValue('Invalid NextToken value.');
  const end = start + (maxResults ?? 1000);
  const page = names.slice(start, end).map((name) => api.queueUrl(name));
  const output: Output = page.length > 0 ? { QueueUrls: page } : {};
  if (maxResults !== undefined && end < names.length) {
    output.NextToken = Buffer.from(String(end)).toString('base64url');
  }
  return output;
}

function sendInput(input: Input) {
  const traceHeader = isRecord(input.MessageSystemAttributes)
    ? attributeValues(input.MessageSystemAttributes).AWSTraceHeader?.StringValue
    : undefined;
  const body = input.MessageBody;
  if (typeof body !== 'string') throw missingParameter('MessageBody');
  return {
    body,
    delaySeconds: optionalInteger(input, 'DelaySeconds'),
    attributes: isRecord(input.MessageAttributes) ? attributeValues(input.MessageAttributes) : {},
    traceHeader,
    groupId: optionalString(input, 'MessageGroupId'),
    deduplicationId: optionalString(input, 'MessageDeduplicationId'),
  };
}

function sendResult(result: ReturnType<SqsQueues['send']>): Output {
  return {
    MessageId: result.messageId,
    MD5OfMessageBody: result.md5OfBody,
    MD5OfMessageAttributes: result.md5OfMessageAttributes,
    SequenceNumber: result.sequenceNumber,
  };
}

function sendBatch(queue: Queue, input: Input, api: SqsApi): Output {
  const entries = batchEntries(input, 'SendMessageBatchRequestEntry');
  const maxSize = Number(api.queues.attributeValue(queue, 'MaximumMessageSize'));
  const total = entries.reduce((sum, entry) => sum + batchEntrySize(entry), 0);
  if (total > maxSize) {
    throw batchError(
      'BatchRequestTooLong',
      `Batch requests cannot be longer than ${maxSize} bytes. You have sent ${total} bytes.`,
    );
  }
  return batch(input, 'SendMessageBatchRequestEntry', (entry) => {
    const { MessageId, MD5OfMessageBody, MD5OfMessageAttributes, SequenceNumber } = sendResult(
      api.queues.send(queue, sendInput(entry)),
    );
    return { MessageId, MD5OfMessageBody, MD5OfMessageAttributes, SequenceNumber };
  });
}

function batchEntrySize(entry: Input): number {
  let size = typeof entry.MessageBody === 'string' ? Buffer.byteLength(entry.MessageBody) : 0;
  if (isRecord(entry.MessageAttributes)) {
    for (const [name, value] of Object.entries(attributeValues(entry.MessageAttributes))) {
      size += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '');
      size +=
        value.BinaryValue !== undefined
          ? Buffer.from(value.BinaryValue, 'base64').length
          : Buffer.byteLength(value.StringValue ?? '');
    }
  }
  return size;
}

/** Checks a batch as SQS does, then runs each entry: a failed one is reported, the others still run. */
function batch(input: Input, entryName: string, run: (entry: Input) => Output): Output {
  const entries = batchEntries(input, entryName);
  const successful: Output[] = [];
  const failed: Output[] = [];
  for (const entry of entries) {
    const id = String(entry.Id);
    try {
      successful.push({ Id: id, ...run(entry) });
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      failed.push({
        Id: id,
        SenderFault: error.fault === 'Sender',
        Code: error.queryCode,
        Message: error.message,
      });
    }
  }
  return { Successful: successful, Failed: failed };
}

function batchEntries(input: Input, entryName: string): Input[] {
  const entries = Array.isArray(input.Entries) ? (input.Entries as unknown[]).filter(isRecord) : [];
  if (entries.length === 0) {
    throw batchError('EmptyBatchRequest', `There should be at least one ${entryName} in the request.`);
  }
  if (entries.length > MAX_BATCH_ENTRIES) {
    throw batchError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`,
    );
  }
  const seen = new Set<string>();
  for (const entry of entries) {
    const id = entry.Id;
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(id)) {
      throw batchError(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      );
    }
    if (seen.has(id)) throw batchError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    seen.add(id);
  }
  return entries;
}

async function receive(queue: Queue, input: Input, api: SqsApi, signal: AbortSignal): Promise<Output> {
  const maxMessages = optionalInteger(input, 'MaxNumberOfMessages');
  if (maxMessages !== undefined && (maxMessages < 1 || maxMessages > 10)) {
    throw invalidRange('MaxNumberOfMessages', maxMessages, 'Must be between 1 and 10, if provided.');
  }
  const waitTimeSeconds = optionalInteger(input, 'WaitTimeSeconds');
  if (waitTimeSeconds !== undefined && (waitTimeSeconds < 0 || waitTimeSeconds > 20)) {
    throw invalidRange('WaitTimeSeconds', waitTimeSeconds, 'Must be >= 0 and <= 20, if provided.');
  }
  const visibilityTimeout = optionalInteger(input, 'VisibilityTimeout');
  if (visibilityTimeout !== undefined && (visibilityTimeout < 0 || visibilityTimeout > 43_200)) {
    throw invalidRange('VisibilityTimeout', visibilityTimeout, 'Must be between 0 and 43200, if provided.');
  }
  const systemNames = [...stringList(input.AttributeNames), ...stringList(input.MessageSystemAttributeNames)];
  const attributeNames = stringList(input.MessageAttributeNames);
  const received = await api.queues.receive(
    queue,
    { maxMessages, waitTimeSeconds, visibilityTimeout },
    signal,
  );
  if (received.length === 0) return {};
  return {
    Messages: received.map((item) => receivedMessage(item, api.queues, systemNames, attributeNames)),
  };
}

export function receivedMessage(
  { message, receiptHandle }: ReceivedMessage,
  queues: SqsQueues,
  systemNames: readonly string[],
  attributeNames: readonly string[],
): Output {
  const attributes = selectAttributes(message.attributes, attributeNames);
  return {
    MessageId: message.messageId,
    ReceiptHandle: receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    Attributes: queues.systemAttributes(message, systemNames),
    MD5OfMessageAttributes: attributes && md5OfAttributes(attributes),
    MessageAttributes: attributes,
  };
}

/** The attributes MessageAttributeNames asks for: `All`, `.*`, `prefix.*` or names. */
export function selectAttributes(
  attributes: Record<string, MessageAttributeValue>,
  names: readonly string[],
): Record<string, MessageAttributeValue> | undefined {
  const chosen = Object.entries(attributes).filter(([name]) =>
    names.some(
      (wanted) =>
        wanted === 'All' ||
        wanted === '.*' ||
        wanted === name ||
        (wanted.endsWith('.*') && name.startsWith(wanted.slice(0, -1))),
    ),
  );
  return chosen.length > 0 ? Object.fromEntries(chosen) : undefined;
}

function attributeValues(map: Record<string, unknown>): Record<string, MessageAttributeValue> {
  const result: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(map)) {
    const record = isRecord(value) ? value : {};
    result[name] = {
      DataType: typeof record.DataType === 'string' ? record.DataType : '',
      ...(typeof record.StringValue === 'string' ? { StringValue: record.StringValue } : {}),
      ...(typeof record.BinaryValue === 'string' ? { BinaryValue: record.BinaryValue } : {}),
    };
  }
  return result;
}

function requiredString(input: Input, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') throw missingParameter(name);
  return value;
}

function optionalString(input: Input, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidRange(name, JSON.stringify(value), 'Must be a string.');
  return value;
}

function optionalInteger(input: Input, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  if (!Number.isInteger(number)) throw invalidRange(name, value, 'Must be an integer.');
  return number;
}

function requiredInteger(input: Input, name: string): number {
  const value = optionalInteger(input, name);
  if (value === undefined) throw missingParameter(name);
  return value;
}

function stringMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, String(item)]));
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
