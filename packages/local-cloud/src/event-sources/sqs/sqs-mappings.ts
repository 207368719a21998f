// The event source mappings a service's `sqs` events declare, with the Serverless Framework v3's defaults
// (lib/plugins/aws/package/compile/events/sqs.js: batch size 10, enabled) and Lambda's limits
// (AWS::Lambda::EventSourceMapping, "Using Lambda with Amazon SQS"): a batch of 1 to 10,000 messages for a
// standard queue, more than 10 only with a batching window; 1 to 10 for a FIFO queue; a window of 0 to 300 s.
// A setting Lambda would refuse stops the start, as the deployment would fail.
import { ServiceConfigError } from '../../config/service-config-error';
import type { ServiceDefinition } from '../../config/service-definition';
import { ACCOUNT_ID } from '../../common/account';
import { isRecord } from '../../common/records';
import { resolveString } from '../../cloudformation/values';
import { queueReferences } from '../../cloudformation/queue-references';

export const DEFAULT_BATCH_SIZE = 10;
export const MAX_STANDARD_BATCH_SIZE = 10_000;
export const MAX_FIFO_BATCH_SIZE = 10;
export const MAX_BATCHING_WINDOW_SECONDS = 300;

export interface SqsMapping {
  functionKey: string;
  /** Where it was declared, for messages: `functions.worker.events[0].sqs`. */
  source: string;
  queueArn: string;
  batchSize: number;
  /** `maximumBatchingWindow` in ms: how long to gather messages before invoking. */
  batchWindowMs: number;
  reportBatchItemFailures: boolean;
  /** Lambda's filter criteria patterns, parsed; none: every message. */
  filterPatterns: Record<string, unknown>[];
}

export interface SqsMappingsResult {
  mappings: SqsMapping[];
  warnings: string[];
}

/** Options read but not emulated; the mapping runs without them. */
const NOT_EMULATED = ['maximumConcurrency'];

export function sqsMappings(service: ServiceDefinition, region: string): SqsMappingsResult {
  const mappings: SqsMapping[] = [];
  const warnings: string[] = [];
  const queues = queueReferences(service, { region, accountId: ACCOUNT_ID });
  for (const fn of Object.values(service.functions)) {
    fn.events.forEach((event, index) => {
      if (!('sqs' in event)) return;
      const source = `functions.${fn.key}.events[${index}].sqs`;
      const raw = event.sqs;
      const settings: Record<string, unknown> = isRecord(raw) && !isIntrinsic(raw) ? raw : { arn: raw };
      const fail = (problem: string, fix: string): never => {
        throw new ServiceConfigError(`${service.servicePath}/serverless.yml`, `${source}: ${problem}`, fix);
      };
      if (settings.enabled === false) return;
      for (const option of NOT_EMULATED) {
        if (settings[option] !== undefined)
          warnings.push(`${source}: ${option} is not emulated; the mapping runs without it`);
      }
      const queueArn = resolveString(settings.arn, queues);
      if (queueArn === undefined || !/^arn:aws[a-z-]*:sqs:[^:]+:\d{12}:[^:]+$/.test(queueArn)) {
        return fail(
          `arn ${JSON.stringify(settings.arn)} is not an SQS queue ARN local-cloud can resolve`,
          'use { "Fn::GetAtt": [<queue logical id>, Arn] } with an AWS::SQS::Queue under resources.Resources, or the queue ARN as a string',
        );
      }
      const fifo = queueArn.endsWith('.fifo');
      const batchSize = wholeNumber(
        settings.batchSize ?? DEFAULT_BATCH_SIZE,
        1,
        fifo ? MAX_FIFO_BATCH_SIZE : MAX_STANDARD_BATCH_SIZE,
        (value, max) =>
          fail(
            `batchSize ${value} is out of range for a ${fifo ? 'FIFO' : 'standard'} queue`,
            `use a whole number from 1 to ${max}`,
          ),
      );
      const window = wholeNumber(
        settings.maximumBatchingWindow ?? 0,
        0,
        MAX_BATCHING_WINDOW_SECONDS,
        (value, max) => fail(`maximumBatchingWindow ${value} is out of range`, `use 0 to ${max} seconds`),
      );
      if (fifo && window > 0) {
        fail('maximumBatchingWindow is not supported for FIFO queues', 'remove maximumBatchingWindow');
      }
      if (batchSize > 10 && window === 0) {
        fail(
          `batchSize ${batchSize} needs a batching window: Lambda refuses a batch size over 10 without one`,
          'set maximumBatchingWindow to 1 second or more, or batchSize to 10 or less',
        );
      }
      const responseType = settings.functionResponseType;
      if (responseType !== undefined && responseType !== 'ReportBatchItemFailures') {
        fail(
          `functionResponseType ${JSON.stringify(responseType)} is not ReportBatchItemFailures`,
          'use ReportBatchItemFailures or leave it out',
        );
      }
      mappings.push({
        functionKey: fn.key,
        source,
        queueArn,
        batchSize,
        batchWindowMs: window * 1000,
        reportBatchItemFailures: responseType === 'ReportBatchItemFailures',
        filterPatterns: filterPatterns(settings.filterPatterns, fail),
      });
    });
  }
  return { mappings, warnings };
}

/** The value when it is a whole number from min to max; else what `refuse` says (it throws). */
function wholeNumber(
  value: unknown,
  min: number,
  max: number,
  refuse: (shown: string, max: number) => never,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return refuse(JSON.stringify(value), max);
  }
  return value;
}

function isIntrinsic(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
}

/** The framework's `filterPatterns`: a list of patterns (objects, or JSON text as Lambda's API takes them). */
function filterPatterns(
  value: unknown,
  fail: (problem: string, fix: string) => never,
): Record<string, unknown>[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    return fail('filterPatterns is not a list', 'write filterPatterns as a list of patterns');
  return value.map((pattern) => {
    let parsed: unknown = pattern;
    if (typeof pattern === 'string') {
      try {
        parsed = JSON.parse(pattern);
      } catch {
        parsed = undefined;
      }
    }
    if (!isRecord(parsed)) {
      return fail(
        `filter pattern ${JSON.stringify(pattern)} is not an object`,
        'write each pattern as an object, such as { body: { type: [order] } }',
      );
    }
    return parsed;
  });
}
