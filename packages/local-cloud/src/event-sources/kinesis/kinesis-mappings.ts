// The event source mappings a service's Kinesis `stream` events declare (`stream: { type: kinesis, arn }`, or
// the ARN of a Kinesis stream), with the Serverless Framework v3's defaults (compile/events/stream.js: batch
// size 10, starting position TRIM_HORIZON, enabled) and Lambda's (maximumRetryAttempts and
// maximumRecordAgeInSeconds -1, unlimited; parallelizationFactor 1). The batch settings and the on-failure
// destination are read exactly as for DynamoDB streams (dynamodb-streams/stream-mappings.ts). A setting Lambda
// would refuse stops the start, as the deployment would fail.
import { ServiceConfigError } from '../../config/service-config-error';
import type { ServiceDefinition } from '../../config/service-definition';
import { ACCOUNT_ID } from '../../common/account';
import { isRecord } from '../../common/records';
import { queueReferences } from '../../cloudformation/queue-references';
import { resolveString, type CloudFormationContext } from '../../cloudformation/values';
import { environmentResolver } from '../../platform/resolve-intrinsics';
import { streamReferences } from '../../services/kinesis/declared-streams';
import {
  batchSettings,
  failureDestination,
  type BatchSettings,
  type StreamFailureDestination,
  wholeNumberSetting,
} from '../dynamodb-streams/stream-mappings';

export const MAX_PARALLELIZATION_FACTOR = 10;
export const MAX_TUMBLING_WINDOW_SECONDS = 900;

export interface KinesisMapping extends BatchSettings {
  functionKey: string;
  /** Where it was declared, for messages: `functions.onRecord.events[0].stream`. */
  source: string;
  streamArn: string;
  startingPosition: 'LATEST' | 'TRIM_HORIZON' | 'AT_TIMESTAMP';
  /** AT_TIMESTAMP's `startingPositionTimestamp`, ms since the epoch. */
  startingPositionTimestampMs?: number;
  /** Batches of one shard in flight at once, each for its own partition keys. */
  parallelizationFactor: number;
  /** Undefined: records never age out (-1). */
  maximumRecordAgeMs?: number;
  /** 0: no tumbling window. */
  tumblingWindowMs: number;
  /** Lambda's filter criteria patterns; none: every record. */
  filterPatterns: Record<string, unknown>[];
  onFailure?: StreamFailureDestination;
}

export interface KinesisMappingsResult {
  mappings: KinesisMapping[];
  warnings: string[];
}

export function kinesisMappings(service: ServiceDefinition, region: string): KinesisMappingsResult {
  const mappings: KinesisMapping[] = [];
  const warnings: string[] = [];
  const references = resourceReferences(service, region);
  const resolve = (value: unknown) => resolveString(value, references);
  for (const fn of Object.values(service.functions)) {
    fn.events.forEach((event, index) => {
      if (!('stream' in event)) return;
      const source = `functions.${fn.key}.events[${index}].stream`;
      const raw = event.stream;
      const settings: Record<string, unknown> = isRecord(raw) && raw.arn !== undefined ? raw : { arn: raw };
      const type = settings.type ?? resolve(settings.arn)?.split(':')[2];
      if (type !== 'kinesis') return;
      const fail = (problem: string, fix: string): never => {
        throw new ServiceConfigError(`${service.servicePath}/serverless.yml`, `${source}: ${problem}`, fix);
      };
      if (settings.enabled === false) return;
      const streamArn = resolve(settings.arn);
      if (
        streamArn === undefined ||
        !/^arn:aws[a-z-]*:kinesis:[^:]+:\d{12}:stream\/[a-zA-Z0-9_.-]+$/.test(streamArn)
      ) {
        return fail(
          `arn ${JSON.stringify(settings.arn)} is not a Kinesis stream ARN local-cloud can resolve`,
          'use { "Fn::GetAtt": [<stream logical id>, Arn] } with an AWS::Kinesis::Stream under resources.Resources, or the ARN arn:aws:kinesis:<region>:<account>:stream/<name>',
        );
      }
      if (settings.consumer !== undefined) {
        warnings.push(
          `${source}: consumer (enhanced fan-out) is not emulated; the function reads the stream as a shared-throughput consumer`,
        );
      }
      const startingPosition = settings.startingPosition ?? 'TRIM_HORIZON';
      if (
        startingPosition !== 'LATEST' &&
        startingPosition !== 'TRIM_HORIZON' &&
        startingPosition !== 'AT_TIMESTAMP'
      ) {
        fail(
          `startingPosition ${JSON.stringify(startingPosition)} is not available for Kinesis streams`,
          'use LATEST, TRIM_HORIZON or AT_TIMESTAMP (with startingPositionTimestamp)',
        );
      }
      const timestamp = settings.startingPositionTimestamp;
      if (startingPosition === 'AT_TIMESTAMP' && typeof timestamp !== 'number') {
        fail(
          'startingPosition AT_TIMESTAMP needs startingPositionTimestamp',
          'add startingPositionTimestamp: <epoch seconds>',
        );
      }
      const parallelization = wholeNumberSetting(
        settings,
        'parallelizationFactor',
        1,
        { min: 1, max: MAX_PARALLELIZATION_FACTOR },
        fail,
      );
      const maxAge = settings.maximumRecordAgeInSeconds ?? -1;
      if (
        typeof maxAge !== 'number' ||
        !Number.isInteger(maxAge) ||
        (maxAge !== -1 && (maxAge < 60 || maxAge > 604_800))
      ) {
        fail(
          `maximumRecordAgeInSeconds ${JSON.stringify(maxAge)} is out of range`,
          'use -1 (records never age out) or a whole number from 60 to 604800',
        );
      }
      const tumbling = wholeNumberSetting(
        settings,
        'tumblingWindowInSeconds',
        0,
        { min: 0, max: MAX_TUMBLING_WINDOW_SECONDS },
        fail,
      );
      const patterns = settings.filterPatterns ?? [];
      if (!Array.isArray(patterns) || !patterns.every(isRecord)) {
        fail(
          'filterPatterns is not a list of patterns',
          'write filterPatterns: [{ data: { <field>: [<value>] } }]',
        );
      }
      const mapping: KinesisMapping = {
        functionKey: fn.key,
        source,
        streamArn,
        ...batchSettings(settings, fail),
        startingPosition: startingPosition as KinesisMapping['startingPosition'],
        ...(startingPosition === 'AT_TIMESTAMP'
          ? { startingPositionTimestampMs: (timestamp as number) * 1000 }
          : {}),
        parallelizationFactor: parallelization,
        ...(maxAge === -1 ? {} : { maximumRecordAgeMs: (maxAge as number) * 1000 }),
        tumblingWindowMs: tumbling * 1000,
        filterPatterns: patterns as Record<string, unknown>[],
      };
      const onFailure = isRecord(settings.destinations) ? settings.destinations.onFailure : undefined;
      if (onFailure !== undefined) {
        mapping.onFailure = failureDestination(service, onFailure, region, fail, resolve, 'a Kinesis stream');
      }
      mappings.push(mapping);
    });
  }
  return { mappings, warnings };
}

/**
 * What `arn` and `destinations.onFailure` may name: the service's streams (`Fn::GetAtt [Stream, Arn]`), its
 * queues, and the resources the platform resolves (topics, functions, buckets).
 */
function resourceReferences(service: ServiceDefinition, region: string): CloudFormationContext {
  const account = { region, accountId: ACCOUNT_ID };
  const streams = streamReferences(service, account);
  const queues = queueReferences(service, account);
  const platform = environmentResolver({ service, region, accountId: ACCOUNT_ID });
  return {
    ...streams,
    ref: (logicalId) =>
      streams.ref?.(logicalId) ?? queues.ref?.(logicalId) ?? platform.resolveValue({ Ref: logicalId }),
    getAtt: (logicalId, attribute) =>
      streams.getAtt?.(logicalId, attribute) ??
      queues.getAtt?.(logicalId, attribute) ??
      platform.resolveValue({ 'Fn::GetAtt': [logicalId, attribute] }),
  };
}
