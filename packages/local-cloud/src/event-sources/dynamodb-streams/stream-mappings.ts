// The event source mappings a service's `stream` events declare, with the Serverless Framework v3's defaults
// (lib/plugins/aws/package/compile/events/stream.js: batch size 10, starting position TRIM_HORIZON, enabled)
// and Lambda's (maximumRetryAttempts -1, unlimited).
//
// `destinations.onFailure` is resolved as CloudFormation would (`Ref` of a topic is its ARN) with the same
// resolution the platform gives functions' environments. Lambda accepts only an SNS topic, an SQS queue or an
// S3 bucket there for a DynamoDB stream (CloudFormation, AWS::Lambda::EventSourceMapping OnFailure), so a
// function is refused at start, as the deployment would fail.
import type { ServiceDefinition } from '../../config/service-definition';
import { environmentResolver } from '../../platform/resolve-intrinsics';
import { isRecord, resolveOrThrow, UnresolvableValueError } from '../../cloudformation/values';
import {
  pseudoParameters,
  serviceConfigError,
  TABLE_RESOURCE_TYPE,
  tableNamesByLogicalId,
} from '../../services/dynamodb/table-definitions';

export const DEFAULT_BATCH_SIZE = 10;
/** Lambda's limit for DynamoDB Streams sources. */
export const MAX_BATCH_SIZE = 10_000;

export interface StreamMapping extends BatchSettings {
  functionKey: string;
  /** Where it was declared, for messages: `functions.onItem.events[0].stream`. */
  source: string;
  tableName: string;
  startingPosition: 'LATEST' | 'TRIM_HORIZON';
  onFailure?: StreamFailureDestination;
}

/** Where `destinations.onFailure` sends a given-up batch's description. */
export interface StreamFailureDestination {
  type: 'sns' | 'sqs' | 's3';
  /**
   * The ARN. A queue's reference stays as its JSON text: local-cloud does not create queues, so it knows no
   * ARN for one (nothing is delivered to a queue anyway).
   */
  arn: string;
}

export interface StreamMappingsResult {
  mappings: StreamMapping[];
  /** Declared settings local-cloud does not emulate, and mappings it skips, one line each. */
  warnings: string[];
}

/** Options local-cloud reads but does not emulate; the mapping runs without them. */
const NOT_EMULATED = ['filterPatterns', 'tumblingWindowInSeconds', 'maximumRecordAgeInSeconds'];

export function streamMappings(service: ServiceDefinition, region?: string): StreamMappingsResult {
  const mappings: StreamMapping[] = [];
  const warnings: string[] = [];
  const tableNames = tableNamesByLogicalId(service, region);
  for (const fn of Object.values(service.functions)) {
    fn.events.forEach((event, index) => {
      if (!('stream' in event)) return;
      const source = `functions.${fn.key}.events[${index}].stream`;
      const raw = event.stream;
      const settings: Record<string, unknown> = isRecord(raw) ? raw : { arn: raw };
      const fail = (problem: string, fix: string): never => {
        throw serviceConfigError(service, `${source}: ${problem}`, fix);
      };
      const type =
        settings.type ?? (typeof settings.arn === 'string' ? settings.arn.split(':')[2] : undefined);
      // Kinesis streams are the Kinesis service's source (src/event-sources/kinesis).
      if (type === 'kinesis') return;
      if (type !== 'dynamodb') {
        warnings.push(
          `${source}: ${JSON.stringify(type)} streams are not emulated; the function gets no events from it`,
        );
        return;
      }
      if (settings.enabled === false) return;
      for (const option of NOT_EMULATED) {
        if (settings[option] !== undefined) {
          warnings.push(`${source}: ${option} is not emulated; the mapping runs without it`);
        }
      }
      const startingPosition = settings.startingPosition ?? 'TRIM_HORIZON';
      if (startingPosition !== 'LATEST' && startingPosition !== 'TRIM_HORIZON') {
        fail(
          `startingPosition ${JSON.stringify(startingPosition)} is not available for DynamoDB streams`,
          'use LATEST or TRIM_HORIZON',
        );
      }
      const mapping: StreamMapping = {
        functionKey: fn.key,
        source,
        tableName: streamTableName(service, settings.arn, tableNames, region, fail),
        ...batchSettings(settings, fail),
        startingPosition: startingPosition as 'LATEST' | 'TRIM_HORIZON',
      };
      const onFailure = isRecord(settings.destinations) ? settings.destinations.onFailure : undefined;
      if (onFailure !== undefined) mapping.onFailure = failureDestination(service, onFailure, region, fail);
      mappings.push(mapping);
    });
  }
  return { mappings, warnings };
}

/** What every stream mapping (DynamoDB and Kinesis) reads alike, with the framework's defaults and Lambda's ranges. */
export interface BatchSettings {
  batchSize: number;
  /** `batchWindow` (MaximumBatchingWindowInSeconds) in ms: how long to gather records before invoking. */
  batchWindowMs: number;
  bisectBatchOnFunctionError: boolean;
  /** -1: unlimited (Lambda's default). */
  maximumRetryAttempts: number;
  reportBatchItemFailures: boolean;
}

/**
 * A stream event's setting (or its default) when it is a whole number from min to max; else `fail` names the
 * setting, what it is, and the range.
 */
export function wholeNumberSetting(
  settings: Record<string, unknown>,
  name: string,
  fallback: number,
  range: { min: number; max: number; fix?: string },
  fail: (problem: string, fix: string) => never,
): number {
  const value = settings[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
    fail(
      `${name} ${JSON.stringify(value)} is out of range`,
      range.fix ?? `use a whole number from ${range.min} to ${range.max}`,
    );
  }
  return value;
}

export function batchSettings(
  settings: Record<string, unknown>,
  fail: (problem: string, fix: string) => never,
): BatchSettings {
  const batchSize = wholeNumberSetting(
    settings,
    'batchSize',
    DEFAULT_BATCH_SIZE,
    { min: 1, max: MAX_BATCH_SIZE },
    fail,
  );
  const retries = wholeNumberSetting(
    settings,
    'maximumRetryAttempts',
    -1,
    { min: -1, max: 10_000, fix: 'use -1 (unlimited) or a whole number from 0 to 10000' },
    fail,
  );
  const batchWindow = settings.batchWindow ?? 0;
  if (typeof batchWindow !== 'number' || batchWindow < 0 || batchWindow > 300) {
    fail(`batchWindow ${JSON.stringify(batchWindow)} is out of range`, 'use 0 to 300 seconds');
  }
  return {
    batchSize,
    batchWindowMs: batchWindow * 1000,
    bisectBatchOnFunctionError: settings.bisectBatchOnFunctionError === true,
    maximumRetryAttempts: retries,
    reportBatchItemFailures: settings.functionResponseType === 'ReportBatchItemFailures',
  };
}

const DESTINATION_FIX =
  'send the batch description to an SNS topic and subscribe the function to it: destinations: { onFailure: { arn: { Ref: <topic logical id> }, type: sns } }, and an `sns` event on the function';

/**
 * `destinations.onFailure`: an ARN, or `{ arn, type }` where arn may be a CloudFormation reference, resolved
 * with `resolve` (the platform's resolution of functions' environments unless given).
 */
export function failureDestination(
  service: ServiceDefinition,
  onFailure: unknown,
  region: string | undefined,
  fail: (problem: string, fix: string) => never,
  resolve?: (value: unknown) => string | undefined,
  streamKind = 'a DynamoDB stream',
): StreamFailureDestination {
  const declared = isRecord(onFailure) ? onFailure.arn : onFailure;
  const type = isRecord(onFailure) ? onFailure.type : undefined;
  const declaredType =
    type === undefined || type === 'sns' || type === 'sqs'
      ? type
      : fail(`destinations.onFailure.type ${JSON.stringify(type)} is not sns or sqs`, DESTINATION_FIX);
  const shown = JSON.stringify(declared);
  const { accountId } = pseudoParameters(service, region);
  const arn = (
    resolve ??
    environmentResolver({ service, region: region ?? service.provider.region, accountId }).resolveValue
  )(declared);
  if (arn === undefined) {
    // A queue is not among the resources local-cloud creates; its description is enough to name it.
    if (declaredType === 'sqs') return { type: 'sqs', arn: shown };
    return fail(
      `destinations.onFailure.arn ${shown} names no topic local-cloud creates`,
      'Ref an AWS::SNS::Topic defined under resources.Resources (with type: sns), or write the ARN',
    );
  }
  const destinationService = arn.startsWith('arn:') ? arn.split(':')[2] : undefined;
  if (destinationService === 'lambda') {
    fail(
      `destinations.onFailure is the function ${arn}, but ${streamKind}'s on-failure destination must be an SNS topic, an SQS queue or an S3 bucket (Lambda takes functions as destinations of asynchronous invocations only)`,
      DESTINATION_FIX,
    );
  }
  if (destinationService !== 'sns' && destinationService !== 'sqs' && destinationService !== 's3') {
    return fail(
      `destinations.onFailure ${shown} is ${JSON.stringify(arn)}, not the ARN of an SNS topic, an SQS queue or an S3 bucket`,
      DESTINATION_FIX,
    );
  }
  if (declaredType !== undefined && declaredType !== destinationService) {
    fail(
      `destinations.onFailure has type ${declaredType} but its arn is ${arn}`,
      `set type: ${destinationService}, or point arn at the ${declaredType.toUpperCase()} destination you meant`,
    );
  }
  return { type: destinationService, arn };
}

/** The table a stream ARN (literal, or Fn::GetAtt [Table, StreamArn]) belongs to. */
function streamTableName(
  service: ServiceDefinition,
  arn: unknown,
  tableNames: Record<string, string>,
  region: string | undefined,
  fail: (problem: string, fix: string) => never,
): string {
  const getAtt = isRecord(arn) ? arn['Fn::GetAtt'] : undefined;
  if (getAtt !== undefined) {
    const [logicalId, attribute] = Array.isArray(getAtt)
      ? (getAtt as unknown[]).map((part) => (typeof part === 'string' ? part : JSON.stringify(part)))
      : typeof getAtt === 'string'
        ? getAtt.split('.')
        : [];
    const resource = service.resources[logicalId ?? ''];
    if (!isRecord(resource) || resource.Type !== TABLE_RESOURCE_TYPE || attribute !== 'StreamArn') {
      return fail(
        `arn ${JSON.stringify(arn)} does not name the StreamArn of an AWS::DynamoDB::Table in resources`,
        'use { "Fn::GetAtt": [<table logical id>, StreamArn] } with a table declared under resources.Resources',
      );
    }
    const properties = isRecord(resource.Properties) ? resource.Properties : {};
    if (!isRecord(properties.StreamSpecification)) {
      return fail(
        `table ${logicalId} has no StreamSpecification, so it has no StreamArn`,
        `add StreamSpecification: { StreamViewType: NEW_AND_OLD_IMAGES } to resources.Resources.${logicalId}.Properties`,
      );
    }
    return tableNames[logicalId as string] as string;
  }
  let text: string;
  try {
    text = resolveOrThrow(arn, pseudoParameters(service, region));
  } catch (error) {
    if (!(error instanceof UnresolvableValueError)) throw error;
    return fail(
      `local-cloud cannot resolve the stream arn: ${error.message}`,
      'use { "Fn::GetAtt": [<table logical id>, StreamArn] } or the stream ARN as a string',
    );
  }
  const match = /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)\/stream\//.exec(text);
  if (!match) {
    return fail(
      `arn "${text}" is not a DynamoDB stream ARN`,
      'use arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>, or Fn::GetAtt [<table>, StreamArn]',
    );
  }
  return match[1] as string;
}
