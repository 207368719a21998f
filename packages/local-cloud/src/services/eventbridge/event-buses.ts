// The event buses, their rules and targets, and what PutEvents does with an entry: check it as EventBridge
// does, wrap it in the event envelope, and hand it to the target of every enabled rule whose pattern matches,
// through deliver(arn, message) (Lambda's async queue, SQS, SNS, Step Functions, another bus). A delivery
// that fails is logged and, when the target has a DeadLetterConfig, sent to that queue with EventBridge's
// message attributes. Buses and rules created through the API persist under `.local-cloud/eventbridge` unless
// in memory; those the service declares are created again from its configuration at every start.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { stateFileIn, writeStateFile } from '../../common/state-file';
import { DamagedStateError, moveAsideFix } from '../../common/damaged-state';
import { isRecord } from '../../common/records';
import {
  parseScheduleExpression,
  ScheduleExpressionError,
} from '../../event-sources/schedules/schedule-expression';
import { arnService, type DeliverToTarget, type TargetMessage } from '../../platform/targets';
import {
  busNotFound,
  constraintError,
  EventBridgeError,
  ruleNotFound,
  validationError,
} from './eventbridge-errors';
import { matchesPattern, parseEventPattern, type EventPattern } from './event-pattern';
import { RESERVED_VARIABLES, targetBody, type InputTransformer } from './target-input';

export interface Account {
  region: string;
  accountId: string;
}

export interface Target {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: InputTransformer;
  DeadLetterConfig?: { Arn?: string };
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  SqsParameters?: { MessageGroupId?: string };
}

export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

export interface Rule {
  name: string;
  arn: string;
  busName: string;
  /** As given: JSON text. */
  eventPattern?: string;
  pattern?: EventPattern;
  scheduleExpression?: string;
  state: RuleState;
  description?: string;
  roleArn?: string;
  targets: Target[];
  /** From the service's configuration (an AWS::Events::Rule, an `eventBridge` event) or the API. */
  declared: boolean;
  logicalId?: string;
}

export interface Bus {
  name: string;
  arn: string;
  description?: string;
  /** Epoch ms. */
  createdAt: number;
  modifiedAt: number;
  declared: boolean;
  logicalId?: string;
}

/** A rule as declared, before its pattern is checked. */
export type RuleInput = Omit<Rule, 'arn' | 'pattern' | 'declared' | 'targets'> & { targets?: Target[] };

export interface PutEventsEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  Resources?: unknown;
  EventBusName?: unknown;
  /** Epoch seconds, as the JSON protocol sends a timestamp. */
  Time?: unknown;
  TraceHeader?: unknown;
}

export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** The envelope every target gets (the Events reference's "Amazon EventBridge events"). */
export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
  [key: string]: unknown;
}

export interface EventBusesOptions {
  account: Account;
  deliver: DeliverToTarget;
  /** Where API-created buses and rules persist; undefined: in memory. */
  dataDir?: string;
  log?: (line: string) => void;
  now?: () => number;
  /** Told when rules change, so their schedules are armed again. */
  onRulesChanged?: () => void;
}

export const DEFAULT_BUS = 'default';
export const MAX_ENTRY_BYTES = 256 * 1024;
export const MAX_TARGETS_PER_RULE = 5;
/** local-cloud's guard against rules forwarding an event between buses forever. */
const MAX_BUS_HOPS = 10;
const NAME = /^[.\-_A-Za-z0-9]+$/;
const BUS_NAME = /^[/.\-_A-Za-z0-9]+$/;

export class EventBuses {
  readonly buses = new Map<string, Bus>();
  /** By `<bus>/<rule>`. */
  readonly rules = new Map<string, Rule>();
  private readonly pending = new Set<Promise<void>>();
  private readonly now: () => number;
  /** Buses an event is being dispatched through right now (a rule targeting a bus dispatches at once). */
  private depth = 0;

  constructor(
    private readonly options: EventBusesOptions,
    declared: { buses: { name: string; description?: string; logicalId?: string }[]; rules: RuleInput[] } = {
      buses: [],
      rules: [],
    },
  ) {
    this.now = options.now ?? Date.now;
    this.addBus({ name: DEFAULT_BUS, declared: true });
    for (const bus of declared.buses) this.addBus({ ...bus, declared: true });
    this.load();
    for (const rule of declared.rules) this.addRule(rule, true);
  }

  get accountId(): string {
    return this.options.account.accountId;
  }

  busArn(name: string): string {
    return `arn:aws:events:${this.options.account.region}:${this.options.account.accountId}:event-bus/${name}`;
  }

  ruleArn(name: string, busName: string): string {
    const { region, accountId } = this.options.account;
    return `arn:aws:events:${region}:${accountId}:rule/${busName === DEFAULT_BUS ? '' : `${busName}/`}${name}`;
  }

  /** The bus a name or an ARN names (default when absent); ResourceNotFoundException otherwise. */
  busOf(nameOrArn: unknown): Bus {
    const name = busName(nameOrArn);
    const bus = this.buses.get(name);
    if (!bus) throw busNotFound(name);
    return bus;
  }

  createBus(name: string, description?: string): Bus {
    if (name.length > 256 || !BUS_NAME.test(name)) {
      throw constraintError(
        `'${name}'`,
        'name',
        'Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+',
      );
    }
    if (name.includes('/') || name.startsWith('aws.')) {
      throw validationError(`Event bus name ${name} is reserved for partner event sources.`);
    }
    if (this.buses.has(name)) {
      throw new EventBridgeError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
    }
    const bus = this.addBus({ name, description, declared: false });
    this.save();
    return bus;
  }

  deleteBus(name: string): void {
    if (name === DEFAULT_BUS) throw validationError('Cannot delete event bus default.');
    if (!this.buses.delete(name)) return;
    for (const [key, rule] of this.rules) if (rule.busName === name) this.rules.delete(key);
    this.save();
    this.options.onRulesChanged?.();
  }

  rule(name: string, bus: Bus): Rule {
    const rule = this.rules.get(`${bus.name}/${name}`);
    if (!rule) throw ruleNotFound(name, bus.name);
    return rule;
  }

  /** PutRule: creates the rule, or changes it keeping its targets. */
  putRule(input: RuleInput): Rule {
    const rule = this.addRule(input, false);
    this.save();
    this.options.onRulesChanged?.();
    return rule;
  }

  deleteRule(rule: Rule): void {
    if (rule.targets.length > 0) throw validationError("Rule can't be deleted since it has targets.");
    this.rules.delete(`${rule.busName}/${rule.name}`);
    this.save();
    this.options.onRulesChanged?.();
  }

  setState(rule: Rule, state: RuleState): void {
    rule.state = state;
    this.save();
    this.options.onRulesChanged?.();
  }

  putTargets(rule: Rule, targets: Target[]): void {
    targets.forEach(checkTarget);
    const ids = new Set(targets.map((target) => target.Id));
    const kept = rule.targets.filter((target) => !ids.has(target.Id));
    if (kept.length + targets.length > MAX_TARGETS_PER_RULE) {
      throw new EventBridgeError(
        'LimitExceededException',
        `The requested resource exceeds the maximum number allowed: a rule has at most ${MAX_TARGETS_PER_RULE} targets.`,
      );
    }
    rule.targets = [...kept, ...targets];
    this.save();
  }

  removeTargets(rule: Rule, ids: string[]): void {
    rule.targets = rule.targets.filter((target) => !ids.includes(target.Id));
    this.save();
  }

  /** PutEvents' entries, each checked on its own: an entry refused does not stop the others. */
  putEvents(entries: PutEventsEntry[]): PutEventsResultEntry[] {
    return entries.map((entry) => {
      const checked = this.checkEntry(entry);
      if ('ErrorCode' in checked) return checked;
      const { bus, event } = checked;
      this.dispatch(bus, event);
      return { EventId: event.id };
    });
  }

  /** An event put onto a bus by another service (a rule's target, a Lambda destination). */
  putFromService(busArnOrName: string, message: TargetMessage): string {
    const bus = this.busOf(busArnOrName);
    if (!message.event) {
      throw validationError(
        `A message for the event bus ${bus.name} needs an event's source and detail-type: local-cloud's senders give them`,
      );
    }
    const detail = parseDetail(message.body);
    if (!detail) throw validationError('Parameter Detail is not valid. Reason: Detail is malformed.');
    const event = this.envelope({
      source: message.event.source,
      detailType: message.event.detailType,
      resources: message.event.resources ?? [],
      detail,
      timeMs: this.now(),
    });
    this.dispatch(bus, event);
    return event.id;
  }

  /** A rule's schedule came due: its targets get EventBridge's "Scheduled Event". */
  fireScheduledRule(rule: Rule, atMs: number): string {
    const event = this.envelope({
      source: 'aws.events',
      detailType: 'Scheduled Event',
      resources: [rule.arn],
      detail: {},
      timeMs: atMs,
    });
    this.deliverToTargets(rule, event);
    return event.id;
  }

  /** Resolves once every delivery started so far has settled (tests, stop). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private checkEntry(
    entry: PutEventsEntry,
  ): { bus: Bus; event: BusEvent } | { ErrorCode: string; ErrorMessage: string } {
    const invalid = (parameter: string, reason: string) => ({
      ErrorCode: 'InvalidArgument',
      ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${reason}`,
    });
    if (typeof entry.Source !== 'string' || entry.Source === '')
      return invalid('Source', 'Source is a required argument.');
    if (typeof entry.DetailType !== 'string' || entry.DetailType === '')
      return invalid('DetailType', 'DetailType is a required argument.');
    if (entry.Detail === undefined || entry.Detail === null || entry.Detail === '')
      return invalid('Detail', 'Detail is a required argument.');
    const detail = typeof entry.Detail === 'string' ? parseDetail(entry.Detail) : undefined;
    if (!detail) return invalid('Detail', 'Detail is malformed.');
    if (entry.Source.startsWith('aws.')) {
      return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
    }
    let bus: Bus;
    try {
      bus = this.busOf(entry.EventBusName);
    } catch (error) {
      if (!(error instanceof EventBridgeError)) throw error;
      return { ErrorCode: error.code, ErrorMessage: error.message };
    }
    const seconds = typeof entry.Time === 'number' ? entry.Time : undefined;
    const resources = Array.isArray(entry.Resources) ? entry.Resources.map(String) : [];
    return {
      bus,
      event: this.envelope({
        source: entry.Source,
        detailType: entry.DetailType,
        resources,
        detail,
        timeMs: seconds === undefined ? this.now() : seconds * 1000,
      }),
    };
  }

  private envelope(parts: {
    source: string;
    detailType: string;
    resources: string[];
    detail: Record<string, unknown>;
    timeMs: number;
  }): BusEvent {
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': parts.detailType,
      source: parts.source,
      account: this.options.account.accountId,
      time: isoSeconds(parts.timeMs),
      region: this.options.account.region,
      resources: parts.resources,
      detail: parts.detail,
    };
  }

  private dispatch(bus: Bus, event: BusEvent): void {
    // A rule whose target is a bus hands the event on at once: a loop of buses would never end.
    if (this.depth >= MAX_BUS_HOPS) {
      this.options.log?.(
        `event ${event.id} from ${event.source} reached bus ${bus.name} after ${MAX_BUS_HOPS} buses in a row; local-cloud drops it (rules forwarding between buses form a loop)`,
      );
      return;
    }
    this.depth += 1;
    try {
      for (const rule of this.rules.values()) {
        if (rule.busName !== bus.name || rule.state === 'DISABLED' || !rule.pattern) continue;
        if (matchesPattern(rule.pattern, event)) this.deliverToTargets(rule, event);
      }
    } finally {
      this.depth -= 1;
    }
  }

  private deliverToTargets(rule: Rule, event: BusEvent): void {
    for (const target of rule.targets) {
      const delivery = this.deliverOne(rule, target, event).finally(() => this.pending.delete(delivery));
      this.pending.add(delivery);
    }
  }

  /**
   * EventBridge invokes a queue or topic target (and sends to a dead-letter queue) as events.amazonaws.com for
   * the rule: the target's resource policy must allow it. A Lambda target's permission is the framework's.
   */
  private sender(rule: Rule): TargetMessage['from'] {
    return {
      service: 'events.amazonaws.com',
      sourceArn: rule.arn,
      sourceAccount: this.options.account.accountId,
    };
  }

  private async deliverOne(rule: Rule, target: Target, event: BusEvent): Promise<void> {
    try {
      const message: TargetMessage =
        arnService(target.Arn) === 'events'
          ? {
              body: JSON.stringify(event.detail),
              event: { source: event.source, detailType: event['detail-type'], resources: event.resources },
            }
          : {
              body: targetBody(target, event, { name: rule.name, arn: rule.arn }),
              groupId: target.SqsParameters?.MessageGroupId,
              // A FIFO queue gets the event's id as its deduplication id.
              ...(target.Arn.endsWith('.fifo') ? { deduplicationId: event.id } : {}),
              from: this.sender(rule),
            };
      await this.options.deliver(target.Arn, message);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const code = error instanceof Error ? error.name : 'Error';
      const dlq = target.DeadLetterConfig?.Arn;
      this.options.log?.(
        `rule ${rule.name}: could not deliver event ${event.id} to ${target.Arn}: ${reason}` +
          (dlq ? `; sent to its dead-letter queue ${dlq}` : ''),
      );
      if (!dlq) return;
      const attribute = (value: string) => ({ DataType: 'String', StringValue: value });
      try {
        await this.options.deliver(dlq, {
          body: JSON.stringify(event),
          attributes: {
            RULE_ARN: attribute(rule.arn),
            TARGET_ARN: attribute(target.Arn),
            ERROR_CODE: attribute(code),
            ERROR_MESSAGE: attribute(reason),
          },
          from: this.sender(rule),
        });
      } catch (dlqError) {
        this.options.log?.(
          `rule ${rule.name}: could not send event ${event.id} to the dead-letter queue ${dlq} either: ${(dlqError as Error).message}`,
        );
      }
    }
  }

  private addBus(input: { name: string; description?: string; declared: boolean; logicalId?: string }): Bus {
    const existing = this.buses.get(input.name);
    if (existing) return existing;
    const now = this.now();
    const bus: Bus = { ...input, arn: this.busArn(input.name), createdAt: now, modifiedAt: now };
    this.buses.set(bus.name, bus);
    return bus;
  }

  private addRule(input: RuleInput, declared: boolean): Rule {
    if (input.name.length > 64 || !NAME.test(input.name)) {
      throw constraintError(
        `'${input.name}'`,
        'name',
        'Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+',
      );
    }
    const bus = this.busOf(input.busName);
    if (input.eventPattern === undefined && input.scheduleExpression === undefined) {
      throw validationError('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    }
    if (input.scheduleExpression !== undefined) {
      if (bus.name !== DEFAULT_BUS) {
        throw validationError('ScheduleExpression is supported only on the default event bus.');
      }
      try {
        parseScheduleExpression(input.scheduleExpression);
      } catch (error) {
        if (!(error instanceof ScheduleExpressionError)) throw error;
        throw validationError('Parameter ScheduleExpression is not valid.');
      }
    }
    const pattern = input.eventPattern === undefined ? undefined : parseEventPattern(input.eventPattern);
    const key = `${bus.name}/${input.name}`;
    const existing = this.rules.get(key);
    const rule: Rule = {
      ...input,
      busName: bus.name,
      arn: this.ruleArn(input.name, bus.name),
      pattern,
      logicalId: input.logicalId ?? existing?.logicalId,
      targets: input.targets ?? existing?.targets ?? [],
      declared: declared || (existing?.declared ?? false),
    };
    rule.targets.forEach(checkTarget);
    this.rules.set(key, rule);
    return rule;
  }

  private stateFile(): string | undefined {
    return stateFileIn(this.options.dataDir);
  }

  private save(): void {
    const file = this.stateFile();
    if (!file) return;
    const state = {
      buses: [...this.buses.values()].filter((bus) => !bus.declared),
      rules: [...this.rules.values()]
        .filter((rule) => !rule.declared)
        .map(({ pattern: _pattern, ...rule }) => rule),
    };
    writeStateFile(file, state);
  }

  private load(): void {
    const file = this.stateFile();
    if (!file || !existsSync(file)) return;
    let state: { buses?: Bus[]; rules?: Rule[] };
    try {
      state = JSON.parse(readFileSync(file, 'utf8')) as typeof state;
      for (const bus of state.buses ?? []) {
        if (!this.buses.has(bus.name)) this.buses.set(bus.name, { ...bus, declared: false });
      }
      for (const rule of state.rules ?? []) {
        if (!this.buses.has(rule.busName)) continue;
        this.addRule(rule, false);
      }
    } catch (error) {
      throw new DamagedStateError(
        file,
        `is not the event buses and rules local-cloud saved (${(error as Error).message})`,
        moveAsideFix(file, 'the buses and rules created through the API are lost'),
      );
    }
  }
}

/** A bus's name from a name or an ARN (`arn:aws:events:...:event-bus/orders`); default when absent. */
export function busName(nameOrArn: unknown): string {
  if (typeof nameOrArn !== 'string' || nameOrArn === '') return DEFAULT_BUS;
  if (nameOrArn.startsWith('arn:')) {
    const at = nameOrArn.indexOf(':event-bus/');
    return at === -1 ? nameOrArn : nameOrArn.slice(at + ':event-bus/'.length);
  }
  return nameOrArn;
}

/** What PutEvents counts of an entry ("Calculating PutEvents event entry size"). */
export function entrySize(entry: PutEventsEntry): number {
  const bytes = (value: unknown) => (typeof value === 'string' ? Buffer.byteLength(value) : 0);
  let size = entry.Time !== undefined && entry.Time !== null ? 14 : 0;
  size += bytes(entry.Source) + bytes(entry.DetailType) + bytes(entry.Detail);
  if (Array.isArray(entry.Resources)) for (const resource of entry.Resources) size += bytes(resource);
  return size;
}

function parseDetail(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function checkTarget(target: Target): void {
  if (typeof target.Id !== 'string' || target.Id.length > 64 || !NAME.test(target.Id)) {
    throw constraintError(
      `'${String(target.Id)}'`,
      'targets.member.id',
      'Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+',
    );
  }
  if (typeof target.Arn !== 'string' || !target.Arn.startsWith('arn:')) {
    throw validationError(
      `Parameter ${String(target.Arn)} is not valid. Reason: Provided Arn is not in correct format.`,
    );
  }
  const inputs = [target.Input, target.InputPath, target.InputTransformer].filter(
    (value) => value !== undefined,
  );
  if (inputs.length > 1) {
    throw validationError('Only one of Input, InputPath, or InputTransformer must be provided.');
  }
  if (target.Input !== undefined) {
    try {
      JSON.parse(target.Input);
    } catch {
      throw validationError(`Input for target ${target.Id} is not valid JSON.`);
    }
  }
  if (target.InputPath !== undefined && !String(target.InputPath).startsWith('$')) {
    throw validationError(`InputPath for target ${target.Id} is not a valid JSON path: it starts with $.`);
  }
  const transformer = target.InputTransformer;
  if (transformer) {
    if (typeof transformer.InputTemplate !== 'string' || transformer.InputTemplate === '') {
      throw validationError(`InputTemplate for target ${target.Id} must be provided.`);
    }
    if (transformer.InputTemplate.length > 8192) {
      throw validationError(`InputTemplate for target ${target.Id} is longer than 8192 characters.`);
    }
    const paths = Object.entries(transformer.InputPathsMap ?? {});
    const notPath = paths.find(([, value]) => typeof value !== 'string' || !value.startsWith('$'));
    if (notPath) {
      throw validationError(
        `InputPathsMap for target ${target.Id}: ${notPath[0]} is not a valid JSON path: it starts with $.`,
      );
    }
    const names = paths.map(([name]) => name);
    if (names.length > 100) {
      throw validationError(`InputPathsMap for target ${target.Id} has more than 100 variables.`);
    }
    const reserved = names.find((name) => RESERVED_VARIABLES.includes(name));
    if (reserved) {
      throw validationError(
        `InputTransformer for target ${target.Id}: ${reserved} is a reserved variable name.`,
      );
    }
  }
}

export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
