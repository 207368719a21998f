// Amazon Kinesis Data Streams on the AWS endpoint, for `@aws-sdk/client-kinesis` and the AWS CLI pointed at
// it: the JSON 1.1 protocol both speak (`X-Amz-Target: Kinesis_20131202.PutRecord`,
// `Content-Type: application/x-amz-json-1.1`, blobs as base64, timestamps as epoch seconds), SigV4-verified
// against local-cloud's key pair. Streams come from the service's AWS::Kinesis::Stream resources and
// CreateStream; records persist under `.local-cloud/kinesis` unless local-cloud runs in memory.
import { accessDeniedMessage, deniedCall, type AuthorizeOperation } from '../../iam/denial-messages';
import { kinesisAuthorizationRequests } from '../../iam/requests';
import { serviceDataDir, signatureCheckFor, type AwsServiceOptions } from '../../common/service-options';
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { ACCOUNT_ID } from '../../common/account';
import { isRecord } from '../../common/records';
import { internalErrorMessage, logInternalError } from '../../http/internal-errors';
import { closingOnFailure, serviceListener, urlHost } from '../../http-listener';
import { sendJsonError, type AwsErrorBody } from '../../protocol/aws-errors';
import { readCappedBody } from '../../protocol/read-body';
import type { createSignatureCheck } from '../../protocol/signature-errors';
import { declaredStreams, type DeclaredStream } from './declared-streams';
import { invalidArgument, KinesisError, missing, validation } from './kinesis-errors';
import {
  checkPartitionKey,
  checkStreamName,
  DEFAULT_RETENTION_HOURS,
  KinesisStreams,
  MAX_RECORD_BYTES,
  shardDescription,
  type IteratorType,
  type Stream,
} from './kinesis-streams';

export type KinesisServiceOptions = AwsServiceOptions;

export interface KinesisService {
  url: string;
  streams: KinesisStreams;
  declared: DeclaredStream[];
  stop(): Promise<void>;
}

/** A PutRecords of 5 MiB, base64 and JSON, fits. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const MAX_PUT_RECORDS = 500;
const MAX_PUT_RECORDS_BYTES = 5 * 1024 * 1024;
const JSON_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'Kinesis_20131202.';

export async function createKinesisService(options: KinesisServiceOptions): Promise<KinesisService> {
  const host = options.host ?? '127.0.0.1';
  const account = { region: options.region, accountId: options.accountId ?? ACCOUNT_ID };
  const declared = declaredStreams(options.service, account);
  const listener = await serviceListener(options, host, 'Kinesis');
  const url = `http://${urlHost(host)}:${listener.port}`;
  const streams = await closingOnFailure(
    listener,
    () =>
      new KinesisStreams(
        {
          ...account,
          dataDir: serviceDataDir(options, 'kinesis'),
          now: options.now,
          log: options.log,
        },
        declared,
      ),
  );
  const verifySignature = signatureCheckFor(options, 'kinesis');
  const log = options.log ?? (() => {});
  const authorize: AuthorizeOperation = (req, operation, input) =>
    deniedCall(options.authorizer, req, () => kinesisAuthorizationRequests(operation, input, account));
  listener.attach((req, res) => {
    void handleRequest(req, res, streams, verifySignature, log, authorize);
  });
  return {
    url,
    streams,
    declared,
    stop: async () => {
      await listener.close();
      streams.flush();
    },
  };
}

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

async function handleRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  streams: KinesisStreams,
  verifySignature: ReturnType<typeof createSignatureCheck>,
  log: (line: string) => void,
  authorize: AuthorizeOperation,
): Promise<void> {
  const target = String(req.headers['x-amz-target'] ?? '');
  try {
    const body = await readCappedBody(req, MAX_BODY_BYTES, (size) =>
      invalidArgument(`The request is ${size} bytes, more than Kinesis reads.`),
    );
    const refused = await verifySignature({
      method: req.method ?? 'POST',
      url: req.url ?? '/',
      headers: req.headers,
      body,
    });
    if (refused) return sendJsonError(res, refused);
    if (/cbor/i.test(String(req.headers['content-type'] ?? ''))) {
      throw new KinesisError(
        'SerializationException',
        "local-cloud's Kinesis speaks the JSON 1.1 protocol (application/x-amz-json-1.1), as SDK v3 and the AWS CLI do; it does not read CBOR. Turn CBOR off in the client (the Java SDK: -Dcom.amazonaws.sdk.disableCbor / AWS_CBOR_DISABLE=true).",
      );
    }
    if (!target.startsWith(TARGET_PREFIX)) {
      throw new KinesisError('UnknownOperationException', `Unknown operation ${JSON.stringify(target)}.`);
    }
    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      throw new KinesisError('SerializationException', 'The request body is not valid JSON.');
    }
    if (!isRecord(input))
      throw new KinesisError('SerializationException', 'The request body is not a JSON object.');
    const operation = target.slice(TARGET_PREFIX.length);
    const denial = authorize(req, operation, input);
    if (denial) throw new KinesisError('AccessDeniedException', accessDeniedMessage(denial));
    const output = runAction(operation, input, streams);
    const text = JSON.stringify(output);
    res.writeHead(200, {
      'content-type': JSON_TYPE,
      'x-amzn-requestid': randomUUID(),
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  } catch (error) {
    if (error instanceof KinesisError) return sendJsonError(res, error.body);
    if (isErrorBody(error)) return sendJsonError(res, error);
    logInternalError(log, req, error);
    sendJsonError(res, { code: 'InternalFailure', status: 500, message: internalErrorMessage('Kinesis') });
  }
}

function isErrorBody(error: unknown): error is AwsErrorBody {
  return isRecord(error) && typeof error.code === 'string' && typeof error.status === 'number';
}

export const ACTIONS = [
  'CreateStream',
  'DeleteStream',
  'DescribeStream',
  'DescribeStreamSummary',
  'ListStreams',
  'ListShards',
  'PutRecord',
  'PutRecords',
  'GetShardIterator',
  'GetRecords',
  'UpdateShardCount',
  'IncreaseStreamRetentionPeriod',
  'DecreaseStreamRetentionPeriod',
];

function runAction(action: string, input: Input, streams: KinesisStreams): Output {
  const stream = () =>
    streams.getStream(optionalString(input, 'StreamName'), optionalString(input, 'StreamARN'));
  switch (action) {
    case 'CreateStream':
      return createStream(input, streams);
    case 'DeleteStream': {
      const target = stream();
      streams.deleteStream(target);
      return {};
    }
    case 'DescribeStream':
      return describeStream(stream(), input);
    case 'DescribeStreamSummary': {
      const target = stream();
      return {
        StreamDescriptionSummary: {
          ...streamHeader(target),
          RetentionPeriodHours: target.retentionHours,
          StreamCreationTimestamp: target.createdAt / 1000,
          EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
          EncryptionType: target.encryption,
          ...(target.keyId ? { KeyId: target.keyId } : {}),
          OpenShardCount: streams.openShards(target).length,
          ConsumerCount: 0,
        },
      };
    }
    case 'ListStreams':
      return listStreams(input, streams);
    case 'ListShards':
      return listShards(input, streams);
    case 'PutRecord': {
      const target = stream();
      const data = blob(input, 'Data', 'data');
      const partitionKey = requiredString(input, 'PartitionKey', 'partitionKey');
      const result = streams.put(target, {
        partitionKey,
        data,
        explicitHashKey: optionalString(input, 'ExplicitHashKey'),
      });
      return {
        ShardId: result.shardId,
        SequenceNumber: result.sequenceNumber,
        EncryptionType: target.encryption,
      };
    }
    case 'PutRecords':
      return putRecords(stream(), input, streams);
    case 'GetShardIterator':
      return getShardIterator(stream(), input, streams);
    case 'GetRecords': {
      const iterator = requiredString(input, 'ShardIterator', 'shardIterator');
      const limit = optionalInteger(input, 'Limit');
      if (limit !== undefined && (limit < 1 || limit > 10_000)) {
        throw validation('limit', limit, 'Member must have value between 1 and 10000');
      }
      const result = streams.read(iterator, limit);
      return {
        Records: result.records.map((record) => ({
          SequenceNumber: record.sequenceNumber,
          ApproximateArrivalTimestamp: record.arrivalMs / 1000,
          Data: record.data,
          PartitionKey: record.partitionKey,
        })),
        ...(result.nextIterator ? { NextShardIterator: result.nextIterator } : {}),
        MillisBehindLatest: result.millisBehindLatest,
        ...(result.childShards
          ? {
              ChildShards: result.childShards.map((child) => {
                const description = shardDescription(child);
                return {
                  ShardId: child.shardId,
                  ParentShards: [child.parentShardId, child.adjacentParentShardId].filter(Boolean),
                  HashKeyRange: description.HashKeyRange,
                };
              }),
            }
          : {}),
      };
    }
    case 'UpdateShardCount': {
      const target = stream();
      const count = requiredInteger(input, 'TargetShardCount', 'targetShardCount');
      if (count < 1)
        throw validation('targetShardCount', count, 'Member must have value greater than or equal to 1');
      const scaling = requiredString(input, 'ScalingType', 'scalingType');
      if (scaling !== 'UNIFORM_SCALING') {
        throw validation('scalingType', scaling, 'Member must satisfy enum value set: [UNIFORM_SCALING]');
      }
      const { current } = streams.updateShardCount(target, count);
      return {
        StreamName: target.name,
        CurrentShardCount: current,
        TargetShardCount: count,
        StreamARN: target.arn,
      };
    }
    case 'IncreaseStreamRetentionPeriod':
    case 'DecreaseStreamRetentionPeriod': {
      const target = stream();
      const hours = requiredInteger(input, 'RetentionPeriodHours', 'retentionPeriodHours');
      streams.setRetention(
        target,
        hours,
        action === 'IncreaseStreamRetentionPeriod' ? 'increase' : 'decrease',
      );
      return {};
    }
    default:
      throw new KinesisError(
        'UnknownOperationException',
        `local-cloud's Kinesis does not implement ${action}. It serves ${ACTIONS.join(', ')}.`,
      );
  }
}

function streamHeader(stream: Stream): Output {
  return {
    StreamName: stream.name,
    StreamARN: stream.arn,
    StreamStatus: 'ACTIVE',
    StreamModeDetails: { StreamMode: stream.mode },
  };
}

function createStream(input: Input, streams: KinesisStreams): Output {
  const name = requiredString(input, 'StreamName', 'streamName');
  checkStreamName(name);
  const modeDetails = isRecord(input.StreamModeDetails) ? input.StreamModeDetails : undefined;
  const mode = modeDetails?.StreamMode ?? 'PROVISIONED';
  if (mode !== 'PROVISIONED' && mode !== 'ON_DEMAND') {
    throw validation(
      'streamModeDetails.streamMode',
      mode,
      'Member must satisfy enum value set: [ON_DEMAND, PROVISIONED]',
    );
  }
  const shardCount = optionalInteger(input, 'ShardCount');
  if (mode === 'ON_DEMAND' && shardCount !== undefined) {
    throw invalidArgument('ShardCount must not be specified for a stream in ON_DEMAND mode.');
  }
  if (mode === 'PROVISIONED' && shardCount === undefined) {
    throw invalidArgument('ShardCount is required for a stream in PROVISIONED mode.');
  }
  streams.createStream({
    name,
    mode,
    shardCount: shardCount ?? 0,
    retentionHours: DEFAULT_RETENTION_HOURS,
  });
  return {};
}

function describeStream(stream: Stream, input: Input): Output {
  const limit = optionalInteger(input, 'Limit') ?? 100;
  if (limit < 1 || limit > 10_000)
    throw validation('limit', limit, 'Member must have value between 1 and 10000');
  const after = optionalString(input, 'ExclusiveStartShardId');
  const all = stream.shards;
  const start = after === undefined ? 0 : all.findIndex((shard) => shard.shardId > after);
  const page = start < 0 ? [] : all.slice(start, start + limit);
  return {
    StreamDescription: {
      ...streamHeader(stream),
      Shards: page.map(shardDescription),
      HasMoreShards: start >= 0 && start + limit < all.length,
      RetentionPeriodHours: stream.retentionHours,
      StreamCreationTimestamp: stream.createdAt / 1000,
      EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
      EncryptionType: stream.encryption,
      ...(stream.keyId ? { KeyId: stream.keyId } : {}),
    },
  };
}

function listStreams(input: Input, streams: KinesisStreams): Output {
  const limit = optionalInteger(input, 'Limit') ?? 100;
  if (limit < 1 || limit > 10_000)
    throw validation('limit', limit, 'Member must have value between 1 and 10000');
  const token = optionalString(input, 'NextToken');
  const after =
    token !== undefined ? decodeToken(token).after : optionalString(input, 'ExclusiveStartStreamName');
  const all = streams.listStreams().filter((stream) => after === undefined || stream.name > after);
  const page = all.slice(0, limit);
  const more = all.length > limit;
  return {
    StreamNames: page.map((stream) => stream.name),
    HasMoreStreams: more,
    ...(more ? { NextToken: encodeToken({ after: page[page.length - 1]!.name }) } : {}),
    StreamSummaries: page.map((stream) => ({
      ...streamHeader(stream),
      StreamCreationTimestamp: stream.createdAt / 1000,
    })),
  };
}

function listShards(input: Input, streams: KinesisStreams): Output {
  const token = optionalString(input, 'NextToken');
  const maxResults = optionalInteger(input, 'MaxResults') ?? 1000;
  if (maxResults < 1 || maxResults > 10_000) {
    throw validation('maxResults', maxResults, 'Member must have value between 1 and 10000');
  }
  let stream: Stream;
  let after: string | undefined;
  if (token !== undefined) {
    if (input.StreamName !== undefined || input.ExclusiveStartShardId !== undefined) {
      throw invalidArgument('NextToken and StreamName cannot be provided together.');
    }
    const state = decodeToken(token);
    stream = streams.getStream(state.stream);
    after = state.after;
  } else {
    stream = streams.getStream(optionalString(input, 'StreamName'), optionalString(input, 'StreamARN'));
    after = optionalString(input, 'ExclusiveStartShardId');
  }
  const filter = isRecord(input.ShardFilter) ? input.ShardFilter : undefined;
  let shards = stream.shards.filter((shard) => after === undefined || shard.shardId > after);
  if (filter?.Type === 'AT_LATEST') shards = shards.filter((shard) => !shard.closed);
  if (filter?.Type === 'AFTER_SHARD_ID' && typeof filter.ShardId === 'string') {
    const from = filter.ShardId;
    shards = shards.filter((shard) => shard.shardId > from);
  }
  const page = shards.slice(0, maxResults);
  return {
    Shards: page.map(shardDescription),
    ...(shards.length > maxResults
      ? { NextToken: encodeToken({ stream: stream.name, after: page[page.length - 1]!.shardId }) }
      : {}),
  };
}

function putRecords(stream: Stream, input: Input, streams: KinesisStreams): Output {
  if (!Array.isArray(input.Records)) throw missing('records');
  const records = input.Records as unknown[];
  if (records.length < 1)
    throw validation('records', records, 'Member must have length greater than or equal to 1');
  if (records.length > MAX_PUT_RECORDS) {
    throw validation(
      'records',
      `[${records.length} records]`,
      `Member must have length less than or equal to ${MAX_PUT_RECORDS}`,
    );
  }
  let total = 0;
  const entries = records.map((entry, index) => {
    const member = `records.${index + 1}.member`;
    if (!isRecord(entry)) throw missing(member);
    const data = blob(entry, 'Data', `${member}.data`);
    const partitionKey = requiredString(entry, 'PartitionKey', `${member}.partitionKey`);
    checkPartitionKey(partitionKey, `${member}.partitionKey`);
    total += Buffer.from(data, 'base64').length + Buffer.byteLength(partitionKey);
    return { data, partitionKey, explicitHashKey: optionalString(entry, 'ExplicitHashKey') };
  });
  if (total > MAX_PUT_RECORDS_BYTES) {
    throw invalidArgument(`Records size exceeds ${MAX_PUT_RECORDS_BYTES / 1024 / 1024} MB limit`);
  }
  let failed = 0;
  const results = entries.map((entry) => {
    try {
      const result = streams.put(stream, entry, false);
      return { SequenceNumber: result.sequenceNumber, ShardId: result.shardId };
    } catch (error) {
      if (!(error instanceof KinesisError)) throw error;
      // A refused hash key fails the whole request, as Kinesis checks it first; throttling fails the record.
      if (error.code !== 'ProvisionedThroughputExceededException') throw error;
      failed += 1;
      return { ErrorCode: error.code, ErrorMessage: error.message };
    }
  });
  if (failed < entries.length) streams.changed(stream);
  return { FailedRecordCount: failed, Records: results, EncryptionType: stream.encryption };
}

function getShardIterator(stream: Stream, input: Input, streams: KinesisStreams): Output {
  const shard = streams.getShard(stream, requiredString(input, 'ShardId', 'shardId'));
  const type = requiredString(input, 'ShardIteratorType', 'shardIteratorType');
  const types: IteratorType[] = [
    'AT_SEQUENCE_NUMBER',
    'AFTER_SEQUENCE_NUMBER',
    'TRIM_HORIZON',
    'LATEST',
    'AT_TIMESTAMP',
  ];
  if (!types.includes(type as IteratorType)) {
    throw validation('shardIteratorType', type, `Member must satisfy enum value set: [${types.join(', ')}]`);
  }
  const timestamp = input.Timestamp;
  let timestampMs: number | undefined;
  if (typeof timestamp === 'number') timestampMs = timestamp * 1000;
  else if (typeof timestamp === 'string')
    timestampMs = Number.isNaN(Number(timestamp)) ? Date.parse(timestamp) : Number(timestamp) * 1000;
  if (timestampMs !== undefined && Number.isNaN(timestampMs))
    throw invalidArgument('The timestamp is not valid.');
  return {
    ShardIterator: streams.shardIterator(stream, shard, {
      type: type as IteratorType,
      sequenceNumber: optionalString(input, 'StartingSequenceNumber'),
      timestamp: timestampMs,
    }),
  };
}

function blob(input: Input, name: string, member: string): string {
  const value = input[name];
  if (value === undefined || value === null) throw missing(member);
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
    throw new KinesisError('SerializationException', `${name} is not base64-encoded.`);
  }
  if (Math.floor((value.length * 3) / 4) > MAX_RECORD_BYTES + 2) {
    throw validation(member, '<binary>', `Member must have length less than or equal to ${MAX_RECORD_BYTES}`);
  }
  return value;
}

function encodeToken(state: Record<string, string>): string {
  return Buffer.from(JSON.stringify(state)).toString('base64');
}

function decodeToken(token: string): { stream?: string; after?: string } {
  try {
    const state: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (isRecord(state)) {
      return {
        stream: typeof state.stream === 'string' ? state.stream : undefined,
        after: typeof state.after === 'string' ? state.after : undefined,
      };
    }
  } catch {
    // Reported below.
  }
  throw invalidArgument(`NextToken ${token} is not valid.`);
}

function requiredString(input: Input, name: string, member: string): string {
  const value = input[name];
  if (value === undefined || value === null) throw missing(member);
  if (typeof value !== 'string')
    throw new KinesisError('SerializationException', `${name} must be a string.`);
  return value;
}

function optionalString(input: Input, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new KinesisError('SerializationException', `${name} must be a string.`);
  return value;
}

function optionalInteger(input: Input, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new KinesisError('SerializationException', `${name} must be an integer.`);
  }
  return value;
}

function requiredInteger(input: Input, name: string, member: string): number {
  const value = optionalInteger(input, name);
  if (value === undefined) throw missing(member);
  return value;
}
