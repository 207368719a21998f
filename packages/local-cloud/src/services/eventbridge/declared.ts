// What a service declares for EventBridge, read as CloudFormation and the Serverless Framework v3 create it:
// AWS::Events::EventBus, AWS::Events::Rule (EventPattern or ScheduleExpression, EventBusName, State, Targets
// with Input / InputPath / InputTransformer, DeadLetterConfig, RetryPolicy) and AWS::Scheduler::Schedule; and
// functions' `eventBridge` events, compiled as lib/plugins/aws/package/compile/events/event-bridge does: a rule
// named `<function name>-rule-<n>` (n counts the function's events from 1) on the default bus or on `eventBus`
// (a bus the framework creates when it is a plain name), with the function as its target `<rule>-target`.
import { createHash } from 'node:crypto';
import { ServiceConfigError } from '../../config/service-config-error';
import type { ServiceDefinition } from '../../config/service-definition';
import { stateMachineArnsByLogicalId } from '../../cloudformation/state-machine-references';
import { queueReferences } from '../../cloudformation/queue-references';
import {
  generatedPhysicalName,
  isRecord,
  resolveValue,
  resourcesOfType,
  type CloudFormationContext,
} from '../../cloudformation/values';
import { localResources } from '../../platform/resolve-intrinsics';
import {
  parseScheduleExpression,
  ScheduleExpressionError,
} from '../../event-sources/schedules/schedule-expression';
import {
  busName,
  DEFAULT_BUS,
  type Account,
  type RuleInput,
  type RuleState,
  type Target,
} from './event-buses';
import { EventPatternError, parseEventPattern } from './event-pattern';
import { parseTiming, type Schedule, type SchedulerTarget } from './schedules';

export const BUS_TYPE = 'AWS::Events::EventBus';
export const RULE_TYPE = 'AWS::Events::Rule';
export const SCHEDULE_TYPE = 'AWS::Scheduler::Schedule';

export interface DeclaredBus {
  name: string;
  logicalId?: string;
  description?: string;
}

export interface DeclaredEventBridge {
  buses: DeclaredBus[];
  rules: RuleInput[];
  schedules: Schedule[];
  /** What is read but not honoured, one line each. */
  warnings: string[];
}

export function declaredEventBridge(service: ServiceDefinition, account: Account): DeclaredEventBridge {
  const stackName = `${service.service}-${service.provider.stage}`;
  const file = `${service.servicePath}/serverless.yml`;
  const warnings: string[] = [];
  const buses: DeclaredBus[] = [];
  const busByLogicalId = new Map<string, string>();
  const ruleByLogicalId = new Map<string, { name: string; arn: string }>();
  const scheduleByLogicalId = new Map<string, { name: string; arn: string }>();
  // The other services' resources, worked out only when a target refers to one.
  let othersCache: ReturnType<typeof localResources> | undefined;
  const others = () =>
    (othersCache ??= localResources({ service, region: account.region, accountId: account.accountId }));
  let queuesCache: CloudFormationContext | undefined;
  const queues = () => (queuesCache ??= queueReferences(service, account));
  const stateMachines = new Map(Object.entries(stateMachineArnsByLogicalId(service, account)));
  const names: CloudFormationContext = { ...account, stackName };

  const busArn = (name: string) => `arn:aws:events:${account.region}:${account.accountId}:event-bus/${name}`;
  const context: CloudFormationContext = {
    ...names,
    ref: (logicalId) =>
      busByLogicalId.get(logicalId) ??
      ruleByLogicalId.get(logicalId)?.name ??
      scheduleByLogicalId.get(logicalId)?.name ??
      stateMachines.get(logicalId) ??
      others()[logicalId]?.ref ??
      queues().ref?.(logicalId),
    getAtt: (logicalId, attribute) => {
      const bus = busByLogicalId.get(logicalId);
      if (bus !== undefined)
        return attribute === 'Arn' ? busArn(bus) : attribute === 'Name' ? bus : undefined;
      const rule = ruleByLogicalId.get(logicalId) ?? scheduleByLogicalId.get(logicalId);
      if (rule) return attribute === 'Arn' ? rule.arn : undefined;
      const machine = stateMachines.get(logicalId);
      if (machine)
        return attribute === 'Arn' ? machine : attribute === 'Name' ? machine.split(':').pop() : undefined;
      return others()[logicalId]?.attributes[attribute] ?? queues().getAtt?.(logicalId, attribute);
    },
  };

  // Buses first: rules and targets refer to them.
  for (const { logicalId, properties } of resourcesOfType(service.resources, BUS_TYPE)) {
    const name = stringOf(properties.Name, names);
    if (name === undefined) {
      warnings.push(`${BUS_TYPE} ${logicalId} has no Name local-cloud can resolve: the bus is not created`);
      continue;
    }
    busByLogicalId.set(logicalId, name);
    for (const [property, consequence] of Object.entries(BUS_PROPERTIES_NOT_HONOURED)) {
      if (properties[property] !== undefined)
        warnings.push(`${BUS_TYPE} ${logicalId}: ${property} is read, but ${consequence}`);
    }
    buses.push({ name, logicalId, description: stringOf(properties.Description, names) });
  }
  const ruleArn = (name: string, bus: string) =>
    `arn:aws:events:${account.region}:${account.accountId}:rule/${bus === DEFAULT_BUS ? '' : `${bus}/`}${name}`;
  const ruleResources = resourcesOfType(service.resources, RULE_TYPE);
  for (const { logicalId, properties } of ruleResources) {
    const name = stringOf(properties.Name, names) ?? generatedPhysicalName(stackName, logicalId);
    const bus = busName(stringOf(properties.EventBusName, context));
    ruleByLogicalId.set(logicalId, { name, arn: ruleArn(name, bus) });
  }
  for (const { logicalId, properties } of resourcesOfType(service.resources, SCHEDULE_TYPE)) {
    const name = stringOf(properties.Name, names) ?? generatedPhysicalName(stackName, logicalId);
    const group = stringOf(properties.GroupName, names) ?? 'default';
    scheduleByLogicalId.set(logicalId, {
      name,
      arn: `arn:aws:scheduler:${account.region}:${account.accountId}:schedule/${group}/${name}`,
    });
  }

  const rules: RuleInput[] = [];
  for (const { logicalId, properties } of ruleResources) {
    const where = `resources.Resources.${logicalId}`;
    const { name } = ruleByLogicalId.get(logicalId)!;
    const eventPattern =
      properties.EventPattern === undefined
        ? undefined
        : typeof properties.EventPattern === 'string'
          ? properties.EventPattern
          : JSON.stringify(properties.EventPattern);
    checkPattern(eventPattern, file, `${where}.EventPattern`);
    const targets: Target[] = [];
    (Array.isArray(properties.Targets) ? properties.Targets : []).forEach((item: unknown, index) => {
      const target = cloudFormationTarget(item, context, `${where}.Targets[${index}]`, warnings);
      if (target) targets.push(target);
    });
    if (hasRetryPolicy(targets)) {
      warnings.push(retryWarning(`${RULE_TYPE} ${logicalId}`));
    }
    rules.push({
      name,
      logicalId,
      busName: busName(stringOf(properties.EventBusName, context)),
      eventPattern,
      scheduleExpression: stringOf(properties.ScheduleExpression, names),
      state: (stringOf(properties.State, names) ?? 'ENABLED') as RuleState,
      description: stringOf(properties.Description, names),
      roleArn: stringOf(properties.RoleArn, context),
      targets,
    });
  }

  for (const fn of Object.values(service.functions)) {
    fn.events.forEach((event, index) => {
      if (!('eventBridge' in event)) return;
      const field = `functions.${fn.key}.events[${index}].eventBridge`;
      const settings = event.eventBridge;
      if (!isRecord(settings)) {
        throw new ServiceConfigError(file, `${field} must be an object`, 'give it a pattern or a schedule');
      }
      const stub = `${fn.name}-rule-${index + 1}`;
      const name = typeof settings.name === 'string' ? settings.name : hashedName(stub, `rule-${index + 1}`);
      let bus = DEFAULT_BUS;
      if (settings.eventBus !== undefined) {
        const resolved = resolveValue(settings.eventBus, context);
        if ('unresolved' in resolved) {
          warnings.push(`${field}.eventBus: ${resolved.unresolved}; the rule is on the default bus locally`);
        } else {
          bus = busName(resolved.value);
          const createdHere = typeof settings.eventBus === 'string' && !settings.eventBus.startsWith('arn:');
          if (createdHere && bus !== DEFAULT_BUS && !buses.some((declared) => declared.name === bus)) {
            buses.push({ name: bus, logicalId: `${alphanumeric(bus)}EventBridgeEventBus` });
          }
        }
      }
      const eventPattern = isRecord(settings.pattern) ? JSON.stringify(settings.pattern) : undefined;
      checkPattern(eventPattern, file, `${field}.pattern`);
      const schedule = typeof settings.schedule === 'string' ? settings.schedule : undefined;
      if (eventPattern === undefined && schedule === undefined) {
        throw new ServiceConfigError(
          file,
          `${field} has neither pattern nor schedule`,
          'add a pattern or a schedule',
        );
      }
      const inputs = ['input', 'inputPath', 'inputTransformer'].filter((key) => settings[key] !== undefined);
      if (inputs.length > 1) {
        throw new ServiceConfigError(
          file,
          `${field} sets ${inputs.join(' and ')}, and an eventBridge event takes only one of input, inputPath or inputTransformer`,
          'keep one of them',
        );
      }
      const target: Target = {
        Id: hashedName(`${name}-target`, 'target'),
        Arn: `arn:aws:lambda:${account.region}:${account.accountId}:function:${fn.name}`,
      };
      if (settings.input !== undefined) target.Input = JSON.stringify(settings.input);
      if (typeof settings.inputPath === 'string') target.InputPath = settings.inputPath;
      if (isRecord(settings.inputTransformer)) {
        const transformer = settings.inputTransformer;
        target.InputTransformer = {
          InputTemplate: String(transformer.inputTemplate),
          ...(isRecord(transformer.inputPathsMap)
            ? {
                InputPathsMap: Object.fromEntries(
                  Object.entries(transformer.inputPathsMap).map(([key, value]) => [key, String(value)]),
                ),
              }
            : {}),
        };
      }
      if (settings.deadLetterQueueArn !== undefined) {
        const resolved = resolveValue(settings.deadLetterQueueArn, context);
        if ('unresolved' in resolved) {
          warnings.push(
            `${field}.deadLetterQueueArn: ${resolved.unresolved}; failed deliveries are only logged`,
          );
        } else {
          target.DeadLetterConfig = { Arn: resolved.value };
        }
      }
      if (isRecord(settings.retryPolicy)) {
        target.RetryPolicy = {
          MaximumRetryAttempts: numberOf(settings.retryPolicy.maximumRetryAttempts),
          MaximumEventAgeInSeconds: numberOf(settings.retryPolicy.maximumEventAge),
        };
        warnings.push(retryWarning(field));
      }
      rules.push({
        name,
        logicalId: `${alphanumeric(stub)}EventBridgeRule`,
        busName: bus,
        eventPattern,
        scheduleExpression: schedule,
        state: settings.enabled === false ? 'DISABLED' : 'ENABLED',
        description: typeof settings.description === 'string' ? settings.description : undefined,
        targets: [target],
      });
    });
  }

  for (const rule of rules) {
    checkSchedule(rule, file);
    // A rule on a bus the service does not create (an existing one, named by its ARN): it exists locally too.
    if (rule.busName !== DEFAULT_BUS && !buses.some((bus) => bus.name === rule.busName)) {
      buses.push({ name: rule.busName });
    }
  }

  const schedules: Schedule[] = [];
  for (const { logicalId, properties } of resourcesOfType(service.resources, SCHEDULE_TYPE)) {
    const schedule = declaredSchedule(logicalId, properties, context, scheduleByLogicalId.get(logicalId)!, {
      file,
      warnings,
    });
    if (schedule) schedules.push(schedule);
  }
  return { buses, rules, schedules, warnings };
}

function declaredSchedule(
  logicalId: string,
  properties: Record<string, unknown>,
  context: CloudFormationContext,
  identity: { name: string; arn: string },
  report: { file: string; warnings: string[] },
): Schedule | undefined {
  const where = `resources.Resources.${logicalId}`;
  const expression = stringOf(properties.ScheduleExpression, context);
  if (expression === undefined) {
    throw new ServiceConfigError(
      report.file,
      `${where} has no ScheduleExpression`,
      'give it at(...), rate(...) or cron(...)',
    );
  }
  const timezone = stringOf(properties.ScheduleExpressionTimezone, context);
  if (timezone !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    } catch {
      throw new ServiceConfigError(
        report.file,
        `${where}.ScheduleExpressionTimezone ${timezone} is not a time zone`,
        'use an IANA name such as Europe/Paris',
      );
    }
  }
  let timing;
  try {
    timing = parseTiming(expression, timezone);
  } catch (error) {
    if (!(error instanceof ScheduleExpressionError)) throw error;
    throw new ServiceConfigError(report.file, `${where}.ScheduleExpression: ${error.problem}`, error.fix);
  }
  const target = isRecord(properties.Target) ? properties.Target : {};
  const arn = stringOf(target.Arn, context);
  if (arn === undefined) {
    report.warnings.push(
      `${SCHEDULE_TYPE} ${logicalId}: its Target.Arn refers to something local-cloud does not run; the schedule never fires locally`,
    );
    return undefined;
  }
  const window = isRecord(properties.FlexibleTimeWindow) ? properties.FlexibleTimeWindow : {};
  const mode = stringOf(window.Mode, context) ?? 'OFF';
  if (mode === 'FLEXIBLE') {
    report.warnings.push(
      `${SCHEDULE_TYPE} ${logicalId}: FlexibleTimeWindow FLEXIBLE is read, but local-cloud fires at the scheduled time (AWS fires within the window)`,
    );
  }
  const schedulerTarget: SchedulerTarget = { Arn: arn };
  const input =
    target.Input === undefined
      ? undefined
      : (stringOf(target.Input, context) ?? JSON.stringify(target.Input));
  if (input !== undefined) schedulerTarget.Input = input;
  if (isRecord(target.EventBridgeParameters)) {
    schedulerTarget.EventBridgeParameters = {
      DetailType: stringOf(target.EventBridgeParameters.DetailType, context) ?? '',
      Source: stringOf(target.EventBridgeParameters.Source, context) ?? '',
    };
  }
  if (isRecord(target.SqsParameters)) {
    schedulerTarget.SqsParameters = {
      MessageGroupId: stringOf(target.SqsParameters.MessageGroupId, context),
    };
  }
  if (isRecord(target.DeadLetterConfig)) {
    schedulerTarget.DeadLetterConfig = { Arn: stringOf(target.DeadLetterConfig.Arn, context) };
  }
  if (isRecord(target.RetryPolicy)) report.warnings.push(retryWarning(`${SCHEDULE_TYPE} ${logicalId}`));
  if (stringOf(properties.ActionAfterCompletion, context) === 'DELETE') {
    report.warnings.push(
      `${SCHEDULE_TYPE} ${logicalId}: ActionAfterCompletion DELETE is read, but local-cloud keeps the schedule after its last firing (it never fires again)`,
    );
  }
  const dateOf = (value: unknown) => {
    const text = stringOf(value, context);
    const ms = text === undefined ? NaN : Date.parse(text);
    return Number.isNaN(ms) ? undefined : ms;
  };
  return {
    logicalId,
    name: identity.name,
    groupName: identity.arn.split('/').slice(-2)[0] ?? 'default',
    arn: identity.arn,
    expression,
    timing,
    timezone,
    enabled: (stringOf(properties.State, context) ?? 'ENABLED') === 'ENABLED',
    flexibleWindow: { mode, maximumWindowInMinutes: numberOf(window.MaximumWindowInMinutes) },
    startMs: dateOf(properties.StartDate),
    endMs: dateOf(properties.EndDate),
    target: schedulerTarget,
  };
}

function cloudFormationTarget(
  item: unknown,
  context: CloudFormationContext,
  where: string,
  warnings: string[],
): Target | undefined {
  if (!isRecord(item)) return undefined;
  const arn = resolveValue(item.Arn, context);
  if ('unresolved' in arn) {
    warnings.push(`${where}.Arn: ${arn.unresolved}; events for it are not delivered locally`);
    return undefined;
  }
  const id = stringOf(item.Id, context);
  if (id === undefined) {
    warnings.push(`${where} has no Id, which CloudFormation requires; the target is left out`);
    return undefined;
  }
  const target: Target = { Id: id, Arn: arn.value };
  if (item.Input !== undefined) target.Input = stringOf(item.Input, context) ?? JSON.stringify(item.Input);
  const inputPath = stringOf(item.InputPath, context);
  if (inputPath !== undefined) target.InputPath = inputPath;
  if (isRecord(item.InputTransformer)) {
    const transformer = item.InputTransformer;
    const paths = transformer.InputPathsMap;
    target.InputTransformer = {
      InputTemplate: stringOf(transformer.InputTemplate, context) ?? '',
      ...(isRecord(paths)
        ? {
            InputPathsMap: Object.fromEntries(
              Object.entries(paths).map(([key, value]) => [key, String(value)]),
            ),
          }
        : {}),
    };
  }
  if (isRecord(item.DeadLetterConfig)) {
    const dlq = resolveValue(item.DeadLetterConfig.Arn, context);
    if ('unresolved' in dlq)
      warnings.push(`${where}.DeadLetterConfig.Arn: ${dlq.unresolved}; failed deliveries are only logged`);
    else target.DeadLetterConfig = { Arn: dlq.value };
  }
  if (isRecord(item.RetryPolicy)) {
    target.RetryPolicy = {
      MaximumRetryAttempts: numberOf(item.RetryPolicy.MaximumRetryAttempts),
      MaximumEventAgeInSeconds: numberOf(item.RetryPolicy.MaximumEventAgeInSeconds),
    };
  }
  if (isRecord(item.SqsParameters)) {
    target.SqsParameters = { MessageGroupId: stringOf(item.SqsParameters.MessageGroupId, context) };
  }
  return target;
}

function checkSchedule(rule: RuleInput, file: string): void {
  if (rule.scheduleExpression === undefined) return;
  const where = rule.logicalId ? `the rule ${rule.logicalId} (${rule.name})` : `the rule ${rule.name}`;
  if (rule.busName !== DEFAULT_BUS) {
    throw new ServiceConfigError(
      file,
      `${where} has a schedule on the event bus ${rule.busName}, and EventBridge runs schedules only on the default bus`,
      'drop its event bus, or use a pattern',
    );
  }
  try {
    parseScheduleExpression(rule.scheduleExpression);
  } catch (error) {
    if (!(error instanceof ScheduleExpressionError)) throw error;
    throw new ServiceConfigError(
      file,
      `${where}: ${error.expression} is not valid: ${error.problem}`,
      error.fix,
    );
  }
}

function checkPattern(pattern: string | undefined, file: string, field: string): void {
  if (pattern === undefined) return;
  try {
    parseEventPattern(pattern);
  } catch (error) {
    if (!(error instanceof EventPatternError)) throw error;
    throw new ServiceConfigError(
      file,
      `${field} is not a valid event pattern: ${error.reason}`,
      'write each field as a list of values or filters, such as source: [orders] or detail: { amount: [{ numeric: [">", 100] }] }',
    );
  }
}

/** AWS::Events::EventBus properties that change what happens on AWS but not here. */
const BUS_PROPERTIES_NOT_HONOURED: Readonly<Record<string, string>> = {
  Policy: 'bus policies are not enforced locally: every sender may put events',
  EventSourceName: 'no partner events arrive locally',
  DeadLetterConfig: "the bus's dead-letter queue gets nothing locally (targets' dead-letter queues do)",
};

const hasRetryPolicy = (targets: Target[]) => targets.some((target) => target.RetryPolicy !== undefined);

const retryWarning = (where: string) =>
  `${where}: the retry policy is read, but local-cloud does not retry a failed delivery: it is logged and sent to the dead-letter queue at once, if there is one`;

function stringOf(value: unknown, context: CloudFormationContext): string | undefined {
  if (value === undefined || value === null) return undefined;
  const resolved = resolveValue(value, context);
  return 'value' in resolved ? resolved.value : undefined;
}

function numberOf(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(number) ? number : undefined;
}

/** The framework's rule and target names, hashed to fit 64 characters (event-bridge/utils.js). */
function hashedName(name: string, suffix: string): string {
  if (name.length <= 64) return name;
  return `${name.slice(0, 31 - suffix.length)}${createHash('md5').update(name).digest('hex')}-${suffix}`;
}

function alphanumeric(name: string): string {
  const stripped = name.replace(/[^0-9A-Za-z]/g, '');
  return `${stripped.charAt(0).toUpperCase()}${stripped.slice(1)}`;
}
