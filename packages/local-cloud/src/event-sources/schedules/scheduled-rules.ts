// The schedule rules a service declares through functions' `schedule` events, compiled as Serverless
// Framework v3 compiles them (lib/plugins/aws/package/compile/events/schedule.js): `schedule: rate(...)` /
// `schedule: cron(...)`, or `{ rate: [expressions], enabled, name, description, input, inputPath,
// inputTransformer, method: eventBus | scheduler, timezone }`. Each expression is one rule, named `name:`
// or, as CloudFormation names an unnamed AWS::Events::Rule, after the stack and the logical id
// `<Function>EventsRuleSchedule<N>`.
import { ServiceConfigError } from '../../config/service-config-error';
import type { ServiceDefinition } from '../../config/service-definition';
import {
  parseScheduleExpression,
  ScheduleExpressionError,
  type ScheduleExpression,
} from './schedule-expression';

export interface InputTransformer {
  inputPathsMap: Record<string, string>;
  inputTemplate: string;
}

export interface ScheduleRule {
  name: string;
  arn: string;
  /** `<Function>EventsRuleSchedule<N>` (`<Function>SchedulerSchedule<N>` with method scheduler). */
  logicalId: string;
  functionKey: string;
  functionName: string;
  expression: ScheduleExpression;
  enabled: boolean;
  /** JSON text sent instead of the scheduled event. */
  input?: string;
  /** JSONPath into the scheduled event: only that part is sent. */
  inputPath?: string;
  inputTransformer?: InputTransformer;
  method: 'eventBus' | 'scheduler';
  /** IANA zone for cron expressions (method scheduler only). */
  timezone?: string;
}

export interface RuleAccount {
  region: string;
  accountId: string;
}

export function scheduleRules(service: ServiceDefinition, account: RuleAccount): ScheduleRule[] {
  const stackName = `${service.service}-${service.provider.stage}`;
  const file = `${service.servicePath}/serverless.yml`;
  const rules: ScheduleRule[] = [];
  for (const fn of Object.values(service.functions)) {
    let number = 0;
    fn.events.forEach((event, index) => {
      if (!('schedule' in event)) return;
      const field = `functions.${fn.key}.events[${index}].schedule`;
      const settings = scheduleSettings(event.schedule, file, field);
      const normalized = fn.key.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
      const functionLogicalName = `${normalized.charAt(0).toUpperCase()}${normalized.slice(1)}`;
      if (settings.expressions.length > 1 && settings.name) {
        throw new ServiceConfigError(
          file,
          `${field} has a name and ${settings.expressions.length} rate expressions, and a name can belong to one rule only`,
          'give each expression its own schedule event with its own name, or drop the name',
        );
      }
      for (const text of settings.expressions) {
        number += 1;
        let expression: ScheduleExpression;
        try {
          expression = parseScheduleExpression(text);
        } catch (error) {
          if (!(error instanceof ScheduleExpressionError)) throw error;
          throw new ServiceConfigError(
            file,
            `${field}: ${error.expression} is not valid: ${error.problem}`,
            error.fix,
          );
        }
        const scheduler = settings.method === 'scheduler';
        const logicalId = `${functionLogicalName}${scheduler ? 'SchedulerSchedule' : 'EventsRuleSchedule'}${number}`;
        const name = settings.name ?? `${stackName}-${logicalId}`;
        rules.push({
          name,
          arn: scheduler
            ? `arn:aws:scheduler:${account.region}:${account.accountId}:schedule/default/${name}`
            : `arn:aws:events:${account.region}:${account.accountId}:rule/${name}`,
          logicalId,
          functionKey: fn.key,
          functionName: fn.name,
          expression,
          enabled: settings.enabled,
          input: settings.input,
          inputPath: settings.inputPath,
          inputTransformer: settings.inputTransformer,
          method: settings.method,
          timezone: settings.timezone,
        });
      }
    });
  }
  return rules;
}

interface ScheduleSettings {
  expressions: string[];
  enabled: boolean;
  name?: string;
  input?: string;
  inputPath?: string;
  inputTransformer?: InputTransformer;
  method: 'eventBus' | 'scheduler';
  timezone?: string;
}

function scheduleSettings(value: unknown, file: string, field: string): ScheduleSettings {
  if (typeof value === 'string') return { expressions: [value], enabled: true, method: 'eventBus' };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ServiceConfigError(
      file,
      `${field} must be an expression or an object with rate`,
      'write schedule: rate(5 minutes)',
    );
  }
  const settings = value as Record<string, unknown>;
  const rate = settings.rate;
  const expressions = typeof rate === 'string' ? [rate] : Array.isArray(rate) ? rate : [];
  if (expressions.length === 0 || !expressions.every((expression) => typeof expression === 'string')) {
    throw new ServiceConfigError(
      file,
      `${field}.rate must be a list of rate(...) or cron(...) expressions`,
      'write rate: [rate(10 minutes)]',
    );
  }
  const method = settings.method === 'scheduler' ? 'scheduler' : 'eventBus';
  if (settings.timezone !== undefined && method !== 'scheduler') {
    throw new ServiceConfigError(
      file,
      `${field}.timezone is only supported with method: scheduler`,
      'add method: scheduler, or remove timezone',
    );
  }
  return {
    expressions: expressions,
    enabled: settings.enabled !== false,
    name: typeof settings.name === 'string' ? settings.name : undefined,
    input: inputText(settings.input, file, field),
    inputPath: typeof settings.inputPath === 'string' ? settings.inputPath : undefined,
    inputTransformer: transformerOf(settings.inputTransformer),
    method,
    timezone: typeof settings.timezone === 'string' ? settings.timezone : undefined,
  };
}

/** The framework sends `input` as JSON text: an object is stringified (its `body` string parsed first). */
function inputText(input: unknown, file: string, field: string): string | undefined {
  if (input === undefined) return undefined;
  if (typeof input === 'string') {
    try {
      JSON.parse(input);
    } catch {
      throw new ServiceConfigError(
        file,
        `${field}.input is a string that is not JSON`,
        'give an object, or a JSON string',
      );
    }
    return input;
  }
  if (typeof input === 'object' && input !== null) {
    const object = input as Record<string, unknown>;
    return JSON.stringify(
      typeof object.body === 'string' ? { ...object, body: JSON.parse(object.body) as unknown } : object,
    );
  }
  return JSON.stringify(input);
}

function transformerOf(value: unknown): InputTransformer | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const transformer = value as Record<string, unknown>;
  if (typeof transformer.inputTemplate !== 'string') return undefined;
  const paths = transformer.inputPathsMap;
  return {
    inputTemplate: transformer.inputTemplate,
    inputPathsMap:
      typeof paths === 'object' && paths !== null
        ? Object.fromEntries(Object.entries(paths).map(([key, path]) => [key, String(path)]))
        : {},
  };
}
