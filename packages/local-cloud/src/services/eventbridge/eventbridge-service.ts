// Amazon EventBridge on the AWS endpoint (or a port of its own), for `@aws-sdk/client-eventbridge` and the AWS
// CLI pointed at it: the JSON 1.1 protocol (`X-Amz-Target: AWSEvents.PutEvents`), SigV4-verified against
// local-cloud's key pair. Buses: `default` always, the service's AWS::Events::EventBus resources and those
// CreateEventBus makes; rules from AWS::Events::Rule resources, functions' `eventBridge` events and PutRule;
// EventBridge Scheduler's schedules from AWS::Scheduler::Schedule resources.
import { accessDeniedMessage, deniedCall, type AuthorizeOperation } from '../../iam/denial-messages';
import { eventbridgeAuthorizationRequests } from '../../iam/requests';
import { serviceDataDir, signatureCheckFor, type AwsServiceOptions } from '../../common/service-options';
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { ACCOUNT_ID } from '../../common/account';
import { isRecord } from '../../common/records';
import type { ServiceDefinition } from '../../config/service-definition';
import { internalErrorMessage, logInternalError, type Log } from '../../http/internal-errors';
import { serviceListener, urlHost } from '../../http-listener';
import type { DeliverToTarget } from '../../platform/targets';
import { readCappedBody } from '../../protocol/read-body';
import type { createSignatureCheck } from '../../protocol/signature-errors';
import { declaredEventBridge, type DeclaredEventBridge } from './declared';
import {
  entrySize,
  EventBuses,
  MAX_ENTRY_BYTES,
  type Bus,
  type PutEventsEntry,
  type Rule,
  type RuleState,
  type Target,
} from './event-buses';
import {
  constraintError,
  EventBridgeError,
  fromSignatureError,
  sendEventBridgeError,
  validationError,
} from './eventbridge-errors';
import { EventPatternError, matchesPattern, parseEventPattern } from './event-pattern';
import { ServiceConfigError } from '../../config/service-config-error';
import {
  fireSchedule,
  parseTiming,
  realClock,
  Timers,
  type Firing,
  type Schedule,
  type SchedulerClock,
} from './schedules';

export interface EventBridgeServiceOptions extends AwsServiceOptions {
  /** Where a rule's targets get events: the platform's deliver (targets.ts). */
  deliver: DeliverToTarget;
  /** Timers for schedules; the real clock unless given (tests). */
  clock?: SchedulerClock;
}

export interface EventBridgeService {
  url: string;
  buses: EventBuses;
  declared: DeclaredEventBridge;
  schedules: Schedule[];
  /** Arms the schedules and scheduled rules: once functions can run. */
  startSchedules(): void;
  /** Fires a schedule (name or logical id) or a scheduled rule (name) now. */
  fireNow(name: string): Promise<Firing | string>;
  stop(): Promise<void>;
}

/** A PutEvents request of 10 entries of 256 KB, JSON-escaped, fits. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const MAX_ENTRIES = 10;

export async function createEventBridgeService(
  options: EventBridgeServiceOptions,
): Promise<EventBridgeService> {
  const host = options.host ?? '127.0.0.1';
  const account = { region: options.region, accountId: options.accountId ?? ACCOUNT_ID };
  const declared = declaredEventBridge(options.service, account);
  const log = options.log ?? (() => {});
  const clock = options.clock ?? realClock;
  const timers = new Timers(clock);
  let schedulesStarted = false;
  const armRules = () => {
    if (!schedulesStarted) return;
    for (const key of timers.keys()) if (key.startsWith('rule:')) timers.disarm(key);
    for (const rule of buses.rules.values()) {
      if (rule.scheduleExpression === undefined || rule.state === 'DISABLED') continue;
      timers.arm(`rule:${rule.arn}`, parseTiming(rule.scheduleExpression), (atMs) => {
        buses.fireScheduledRule(rule, atMs);
        log(`rule ${rule.name} (${rule.scheduleExpression}) fired`);
      });
    }
  };
  const buses = declaredBuses(
    options.service,
    () =>
      new EventBuses(
        {
          account,
          deliver: options.deliver,
          dataDir: serviceDataDir(options, 'eventbridge'),
          log,
          onRulesChanged: armRules,
        },
        declared,
      ),
  );
  const listener = await serviceListener(options, host, 'EventBridge');
  const url = `http://${urlHost(host)}:${listener.port}`;
  const verifySignature = signatureCheckFor(options, 'events');
  const authorize: AuthorizeOperation = (req, operation, input) =>
    deniedCall(options.authorizer, req, () => eventbridgeAuthorizationRequests(operation, input, account));
  listener.attach((req, res) => {
    void handleRequest(req, res, buses, verifySignature, log, authorize);
  });
  const pendingFirings = new Set<Promise<unknown>>();
  const fire = (schedule: Schedule, atMs: number) => {
    const firing = fireSchedule(schedule, atMs, options.deliver, log).finally(() =>
      pendingFirings.delete(firing),
    );
    pendingFirings.add(firing);
    return firing;
  };
  return {
    url,
    buses,
    declared,
    schedules: declared.schedules,
    startSchedules: () => {
      if (schedulesStarted) return;
      schedulesStarted = true;
      for (const schedule of declared.schedules) {
        if (!schedule.enabled) continue;
        timers.arm(`schedule:${schedule.arn}`, schedule.timing, (atMs) => void fire(schedule, atMs), {
          timezone: schedule.timezone,
          startMs: schedule.startMs,
          fromMs: schedule.startMs,
          untilMs: schedule.endMs,
        });
      }
      armRules();
    },
    fireNow: async (name) => {
      const schedule = declared.schedules.find((item) => item.name === name || item.logicalId === name);
      if (schedule) return fire(schedule, clock.now());
      const rule = [...buses.rules.values()].find((item) => item.name === name && item.scheduleExpression);
      if (rule) return buses.fireScheduledRule(rule, clock.now());
      throw new Error(`no schedule or scheduled rule is named "${name}"`);
    },
    stop: async () => {
      timers.stop();
      await listener.close();
      await Promise.allSettled([...pendingFirings]);
      await buses.idle();
    },
  };
}

/** The declared buses and rules, or the service's fault in them as a configuration error (at start). */
function declaredBuses(service: ServiceDefinition, create: () => EventBuses): EventBuses {
  try {
    return create();
  } catch (error) {
    if (!(error instanceof EventBridgeError) && !(error instanceof EventPatternError)) throw error;
    throw new ServiceConfigError(
      `${service.servicePath}/serverless.yml`,
      `EventBridge refuses a rule or target the service declares: ${error.message}`,
      'correct the AWS::Events::Rule resource or eventBridge event it names',
    );
  }
}

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

async function handleRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  buses: EventBuses,
  verifySignature: ReturnType<typeof createSignatureCheck>,
  log: Log,
  authorize: AuthorizeOperation,
): Promise<void> {
  try {
    const body = await readCappedBody(req, MAX_BODY_BYTES, (size) =>
      validationError(`The request is ${size} bytes, more than EventBridge reads.`),
    );
    const refused = await verifySignature({
      method: req.method ?? 'POST',
      url: req.url ?? '/',
      headers: req.headers,
      body,
    });
    if (refused) throw fromSignatureError(refused);
    const target = String(req.headers['x-amz-target'] ?? '');
    if (!target.startsWith('AWSEvents.')) {
      throw new EventBridgeError(
        'UnknownOperationException',
        'The operation is not named in X-Amz-Target (AWSEvents.<Operation>).',
      );
    }
    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      throw new EventBridgeError('SerializationException', 'The request body is not valid JSON.');
    }
    if (!isRecord(input))
      throw new EventBridgeError('SerializationException', 'The request body is not a JSON object.');
    const operation = target.slice('AWSEvents.'.length);
    const denial = authorize(req, operation, input);
    if (denial) throw new EventBridgeError('AccessDeniedException', accessDeniedMessage(denial));
    const output = runAction(operation, input, buses);
    const text = JSON.stringify(output);
    res.writeHead(200, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': randomUUID(),
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  } catch (error) {
    if (error instanceof EventBridgeError) {
      sendEventBridgeError(res, error);
      return;
    }
    logInternalError(log, req, error);
    sendEventBridgeError(
      res,
      new EventBridgeError('InternalException', internalErrorMessage('EventBridge'), 500),
    );
  }
}

const ACTIONS = [
  'PutEvents',
  'CreateEventBus',
  'DeleteEventBus',
  'DescribeEventBus',
  'ListEventBuses',
  'PutRule',
  'DescribeRule',
  'ListRules',
  'DeleteRule',
  'EnableRule',
  'DisableRule',
  'PutTargets',
  'RemoveTargets',
  'ListTargetsByRule',
  'ListRuleNamesByTarget',
  'TestEventPattern',
];

function runAction(action: string, input: Input, buses: EventBuses): Output {
  const rule = () => buses.rule(requiredString(input, 'Name'), buses.busOf(input.EventBusName));
  switch (action) {
    case 'PutEvents':
      return putEvents(input, buses);
    case 'CreateEventBus':
      return {
        EventBusArn: buses.createBus(requiredString(input, 'Name'), optionalString(input, 'Description')).arn,
      };
    case 'DeleteEventBus':
      buses.deleteBus(requiredString(input, 'Name'));
      return {};
    case 'DescribeEventBus':
      return describeBus(buses.busOf(input.Name));
    case 'ListEventBuses': {
      const prefix = optionalString(input, 'NamePrefix') ?? '';
      const all = [...buses.buses.values()].filter((bus) => bus.name.startsWith(prefix));
      return page(all.map(describeBus), input, 'EventBuses');
    }
    case 'PutRule':
      return { RuleArn: putRule(input, buses).arn };
    case 'DescribeRule':
      return { ...describeRule(rule()), CreatedBy: buses.accountId };
    case 'ListRules': {
      const bus = buses.busOf(input.EventBusName);
      const prefix = optionalString(input, 'NamePrefix') ?? '';
      const all = [...buses.rules.values()]
        .filter((item) => item.busName === bus.name && item.name.startsWith(prefix))
        .sort((a, b) => a.name.localeCompare(b.name));
      return page(all.map(describeRule), input, 'Rules');
    }
    case 'DeleteRule': {
      const bus = buses.busOf(input.EventBusName);
      const found = buses.rules.get(`${bus.name}/${requiredString(input, 'Name')}`);
      // Deleting a rule that is not there succeeds, as on AWS.
      if (found) buses.deleteRule(found);
      return {};
    }
    case 'EnableRule':
    case 'DisableRule':
      buses.setState(rule(), action === 'EnableRule' ? 'ENABLED' : 'DISABLED');
      return {};
    case 'PutTargets': {
      const found = buses.rule(requiredString(input, 'Rule'), buses.busOf(input.EventBusName));
      const targets = Array.isArray(input.Targets) ? (input.Targets as unknown[]).filter(isRecord) : [];
      if (targets.length === 0 || targets.length > 10) {
        throw constraintError(
          `'[${targets.length} targets]'`,
          'targets',
          `Member must have length ${targets.length === 0 ? 'greater than or equal to 1' : 'less than or equal to 10'}`,
        );
      }
      buses.putTargets(found, targets as unknown as Target[]);
      return { FailedEntryCount: 0, FailedEntries: [] };
    }
    case 'RemoveTargets': {
      const found = buses.rule(requiredString(input, 'Rule'), buses.busOf(input.EventBusName));
      buses.removeTargets(found, stringList(input.Ids));
      return { FailedEntryCount: 0, FailedEntries: [] };
    }
    case 'ListTargetsByRule': {
      const found = buses.rule(requiredString(input, 'Rule'), buses.busOf(input.EventBusName));
      return page(found.targets, input, 'Targets');
    }
    case 'ListRuleNamesByTarget': {
      const bus = buses.busOf(input.EventBusName);
      const arn = requiredString(input, 'TargetArn');
      const names = [...buses.rules.values()]
        .filter((item) => item.busName === bus.name && item.targets.some((target) => target.Arn === arn))
        .map((item) => item.name);
      return page(names, input, 'RuleNames');
    }
    case 'TestEventPattern':
      return testEventPattern(input);
    default:
      throw new EventBridgeError(
        'UnknownOperationException',
        `local-cloud's EventBridge does not implement the operation ${action}. It serves ${ACTIONS.join(', ')}.`,
      );
  }
}

function putEvents(input: Input, buses: EventBuses): Output {
  const entries = Array.isArray(input.Entries) ? (input.Entries as unknown[]) : [];
  if (entries.length === 0 || entries.length > MAX_ENTRIES) {
    throw constraintError(
      `'[${entries.length} entries]'`,
      'entries',
      `Member must have length ${entries.length === 0 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ENTRIES}`}`,
    );
  }
  const records = entries.map((entry) => (isRecord(entry) ? (entry as PutEventsEntry) : {}));
  const total = records.reduce((sum, entry) => sum + entrySize(entry), 0);
  if (total > MAX_ENTRY_BYTES) {
    throw validationError('Total size of the entries in the request is over the limit.');
  }
  const results = buses.putEvents(records);
  return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
}

function putRule(input: Input, buses: EventBuses): Rule {
  const name = requiredString(input, 'Name');
  const state = optionalString(input, 'State') ?? 'ENABLED';
  if (!['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'].includes(state)) {
    throw constraintError(
      `'${state}'`,
      'state',
      'Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]',
    );
  }
  const bus = buses.busOf(input.EventBusName);
  try {
    return buses.putRule({
      name,
      busName: bus.name,
      eventPattern: optionalString(input, 'EventPattern'),
      scheduleExpression: optionalString(input, 'ScheduleExpression'),
      state: state as RuleState,
      description: optionalString(input, 'Description'),
      roleArn: optionalString(input, 'RoleArn'),
    });
  } catch (error) {
    throw asApiError(error);
  }
}

function testEventPattern(input: Input): Output {
  let pattern;
  try {
    pattern = parseEventPattern(requiredString(input, 'EventPattern'));
  } catch (error) {
    throw asApiError(error);
  }
  let event: unknown;
  try {
    event = JSON.parse(requiredString(input, 'Event'));
  } catch {
    throw validationError('Parameter Event is not valid.');
  }
  const required = ['id', 'account', 'source', 'time', 'region', 'detail-type'];
  if (!isRecord(event) || required.some((field) => event[field] === undefined)) {
    throw validationError(`Parameter Event is not valid: an event has ${required.join(', ')}.`);
  }
  return { Result: matchesPattern(pattern, event) };
}

function asApiError(error: unknown): unknown {
  if (error instanceof Error && error.name === 'EventPatternError') {
    return new EventBridgeError('InvalidEventPatternException', error.message);
  }
  return error;
}

function describeBus(bus: Bus): Output {
  return {
    Name: bus.name,
    Arn: bus.arn,
    ...(bus.description ? { Description: bus.description } : {}),
    CreationTime: bus.createdAt / 1000,
    LastModifiedTime: bus.modifiedAt / 1000,
  };
}

function describeRule(rule: Rule): Output {
  return {
    Name: rule.name,
    Arn: rule.arn,
    EventPattern: rule.eventPattern,
    ScheduleExpression: rule.scheduleExpression,
    State: rule.state,
    Description: rule.description,
    RoleArn: rule.roleArn,
    EventBusName: rule.busName,
  };
}

/** Limit and NextToken over a list, as EventBridge's List operations page. */
function page(items: unknown[], input: Input, key: string): Output {
  const limit = input.Limit === undefined ? 100 : Number(input.Limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw constraintError(String(input.Limit), 'limit', 'Member must have value between 1 and 100');
  }
  const token = optionalString(input, 'NextToken');
  const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString());
  if (!Number.isInteger(start) || start < 0) throw validationError('The NextToken is not valid.');
  const output: Output = { [key]: items.slice(start, start + limit) };
  if (start + limit < items.length)
    output.NextToken = Buffer.from(String(start + limit)).toString('base64url');
  return output;
}

function requiredString(input: Input, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') {
    throw constraintError('null', name.charAt(0).toLowerCase() + name.slice(1), 'Member must not be null');
  }
  return value;
}

function optionalString(input: Input, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' ? value : undefined;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
