// SQS itself, apart from HTTP: queues and their messages, with the rules of the SQS developer guide. A
// received message stays in flight (invisible) for the visibility timeout and comes back unless deleted; a
// message whose receive count has reached the redrive policy's maxReceiveCount moves to the dead-letter queue
// on its next receive; a FIFO queue hands out a message group's messages in order and none of a group while one
// of its messages is in flight, and drops a duplicate of a message sent in the last five minutes. Messages
// expire after the retention period. Receivers that wait (long polling, the Lambda event source) are woken
// when a message arrives or the next one becomes visible: nothing polls.
import { MalformedPolicyDocumentError, parsePolicyDocument } from '../../iam/policy-document';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { SaveSoon, stateFileIn, writeStateFile } from '../../common/state-file';
import { queueArn, type Account } from './declared-queues';
import { md5Hex, md5OfAttributes, type MessageAttributeValue } from './md5';
import {
  invalidParameterValue,
  invalidRange,
  messageNotInflight,
  missingParameter,
  queueDoesNotExist,
  receiptHandleIsInvalid,
  SqsError,
} from './sqs-errors';

/** What CreateQueue and SetQueueAttributes accept, with SQS's ranges and defaults (seconds, bytes). */
const NUMERIC_ATTRIBUTES: Readonly<Record<string, { min: number; max: number; default: number }>> = {
  DelaySeconds: { min: 0, max: 900, default: 0 },
  MaximumMessageSize: { min: 1024, max: 1_048_576, default: 1_048_576 },
  MessageRetentionPeriod: { min: 60, max: 1_209_600, default: 345_600 },
  ReceiveMessageWaitTimeSeconds: { min: 0, max: 20, default: 0 },
  VisibilityTimeout: { min: 0, max: 43_200, default: 30 },
};
const OTHER_ATTRIBUTES = new Set([
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'Policy',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
]);
/** FIFO's deduplication interval. */
export const DEDUPLICATION_WINDOW_MS = 5 * 60_000;
const PURGE_INTERVAL_MS = 60_000;
const MAX_MESSAGE_ATTRIBUTES = 10;
const SYSTEM_ATTRIBUTE_NAMES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
];

export interface StoredMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  attributes: Record<string, MessageAttributeValue>;
  traceHeader?: string;
  sentAt: number;
  /** When it may be received: after the delay, or when its visibility timeout ends. */
  availableAt: number;
  receiveCount: number;
  firstReceiveAt?: number;
  /** The receipt of the latest receive; a handle carrying another is stale. */
  receipt?: string;
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
  deadLetterSourceArn?: string;
}

export interface Queue {
  name: string;
  arn: string;
  fifo: boolean;
  /** As set (defaults not included), values as text. */
  attributes: Record<string, string>;
  createdAt: number;
  modifiedAt: number;
  declared: boolean;
  messages: StoredMessage[];
  deduplication: Map<string, { messageId: string; sequenceNumber?: string; expiresAt: number }>;
  lastPurgeAt?: number;
  waiters: Set<() => void>;
}

export interface SendInput {
  body: string;
  delaySeconds?: number;
  attributes?: Record<string, MessageAttributeValue>;
  traceHeader?: string;
  groupId?: string;
  deduplicationId?: string;
}

export interface SendResult {
  messageId: string;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  sequenceNumber?: string;
}

/** A message as one receive hands it out. */
export interface ReceivedMessage {
  message: StoredMessage;
  receiptHandle: string;
}

export interface ReceiveInput {
  maxMessages?: number;
  visibilityTimeout?: number;
  waitTimeSeconds?: number;
}

export interface SqsQueuesOptions {
  account: Account;
  /** Directory of state.json; none: nothing persisted. */
  dataDir?: string;
  now?: () => number;
  log?: (line: string) => void;
}

export class SqsQueues {
  private readonly queues = new Map<string, Queue>();
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private sequence = 0;
  private readonly saving = new SaveSoon(() => this.save());
  /** Called whenever a queue is created or deleted (event sources waiting for their queue). */
  private readonly queueWatchers = new Set<() => void>();

  constructor(
    private readonly options: SqsQueuesOptions,
    declared: { name: string; attributes: Record<string, string> }[],
  ) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => {});
    for (const queue of declared) this.addQueue(queue.name, queue.attributes, true);
    this.load();
  }

  get account(): Account {
    return this.options.account;
  }

  createQueue(name: string, attributes: Record<string, string>): Queue {
    const existing = this.queues.get(name);
    if (existing) {
      for (const [attribute, value] of Object.entries(attributes)) {
        if (this.attributeValue(existing, attribute) !== normalizeAttribute(attribute, value)) {
          throw new SqsError(
            'QueueNameExists',
            `A queue already exists with the same name and a different value for attribute ${attribute}`,
            400,
            'QueueAlreadyExists',
          );
        }
      }
      return existing;
    }
    const queue = this.addQueue(name, attributes, false);
    this.scheduleSave();
    return queue;
  }

  deleteQueue(queue: Queue): void {
    this.queues.delete(queue.name);
    queue.waiters.forEach((wake) => wake());
    this.queueWatchers.forEach((watch) => watch());
    this.scheduleSave();
  }

  getQueue(name: string): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw queueDoesNotExist();
    return queue;
  }

  findByArn(arn: string): Queue | undefined {
    const name = arn.split(':')[5];
    const queue = name === undefined ? undefined : this.queues.get(name);
    return queue?.arn === arn ? queue : undefined;
  }

  listQueues(): Queue[] {
    return [...this.queues.values()];
  }

  /** Calls `watch` whenever a queue is created or deleted; returns the unsubscribe. */
  watchQueues(watch: () => void): () => void {
    this.queueWatchers.add(watch);
    return () => this.queueWatchers.delete(watch);
  }

  setAttributes(queue: Queue, attributes: Record<string, string>): void {
    const checked = checkAttributes(queue.name, attributes, { creating: false, fifo: queue.fifo });
    Object.assign(queue.attributes, checked);
    queue.modifiedAt = this.now();
    queue.waiters.forEach((wake) => wake());
    this.scheduleSave();
  }

  /** The value of an attribute, with SQS's default when it was never set. */
  attributeValue(queue: Queue, name: string): string | undefined {
    const set = queue.attributes[name];
    if (set !== undefined) return set;
    const numeric = NUMERIC_ATTRIBUTES[name];
    if (numeric) return String(numeric.default);
    if (name === 'FifoQueue') return queue.fifo ? 'true' : undefined;
    if (queue.fifo && name === 'ContentBasedDeduplication') return 'false';
    if (queue.fifo && name === 'DeduplicationScope') return 'queue';
    if (queue.fifo && name === 'FifoThroughputLimit') return 'perQueue';
    if (name === 'SqsManagedSseEnabled') return 'true';
    return undefined;
  }

  /** Every attribute GetQueueAttributes `All` gives. */
  queueAttributes(queue: Queue): Record<string, string> {
    const now = this.now();
    this.expire(queue, now);
    const counts = { visible: 0, inFlight: 0, delayed: 0 };
    for (const message of queue.messages) {
      if (message.availableAt <= now) counts.visible += 1;
      else if (message.receipt !== undefined) counts.inFlight += 1;
      else counts.delayed += 1;
    }
    const attributes: Record<string, string> = {
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(counts.visible),
      ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
      ApproximateNumberOfMessagesDelayed: String(counts.delayed),
      CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
      LastModifiedTimestamp: String(Math.floor(queue.modifiedAt / 1000)),
    };
    const names = [...Object.keys(NUMERIC_ATTRIBUTES), ...OTHER_ATTRIBUTES];
    for (const name of names) {
      const value = this.attributeValue(queue, name);
      if (value !== undefined) attributes[name] = value;
    }
    return attributes;
  }

  send(queue: Queue, input: SendInput): SendResult {
    const now = this.now();
    const attributes = input.attributes ?? {};
    checkMessage(input, attributes, Number(this.attributeValue(queue, 'MaximumMessageSize')));
    if (queue.fifo) {
      if (input.delaySeconds !== undefined && input.delaySeconds !== 0) {
        throw invalidRange(
          'DelaySeconds',
          input.delaySeconds,
          'The request include parameter that is not valid for this queue type',
        );
      }
      if (input.groupId === undefined) throw missingParameter('MessageGroupId');
    } else if (input.deduplicationId !== undefined) {
      throw invalidRange(
        'MessageDeduplicationId',
        input.deduplicationId,
        'The request include parameter that is not valid for this queue type',
      );
    }
    if (input.groupId !== undefined) checkToken('MessageGroupId', input.groupId);
    const md5OfMessageAttributes = md5OfAttributes(attributes);
    let deduplicationId: string | undefined;
    if (queue.fifo) {
      deduplicationId = input.deduplicationId;
      if (deduplicationId === undefined) {
        if (this.attributeValue(queue, 'ContentBasedDeduplication') !== 'true') {
          throw invalidParameterValue(
            'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
          );
        }
        deduplicationId = sha256Hex(input.body);
      }
      checkToken('MessageDeduplicationId', deduplicationId);
      for (const [id, entry] of queue.deduplication) {
        if (entry.expiresAt <= now) queue.deduplication.delete(id);
      }
      const duplicate = queue.deduplication.get(deduplicationId);
      if (duplicate) {
        return {
          messageId: duplicate.messageId,
          md5OfBody: md5Hex(input.body),
          md5OfMessageAttributes,
          sequenceNumber: duplicate.sequenceNumber,
        };
      }
    }
    const delaySeconds = input.delaySeconds ?? Number(this.attributeValue(queue, 'DelaySeconds'));
    const message: StoredMessage = {
      messageId: randomUUID(),
      body: input.body,
      md5OfBody: md5Hex(input.body),
      attributes,
      traceHeader: input.traceHeader,
      sentAt: now,
      availableAt: now + delaySeconds * 1000,
      receiveCount: 0,
      groupId: input.groupId,
      deduplicationId,
      sequenceNumber: queue.fifo ? this.nextSequenceNumber(now) : undefined,
    };
    queue.messages.push(message);
    if (deduplicationId !== undefined) {
      queue.deduplication.set(deduplicationId, {
        messageId: message.messageId,
        sequenceNumber: message.sequenceNumber,
        expiresAt: now + DEDUPLICATION_WINDOW_MS,
      });
    }
    this.changed(queue);
    return {
      messageId: message.messageId,
      md5OfBody: message.md5OfBody,
      md5OfMessageAttributes,
      sequenceNumber: message.sequenceNumber,
    };
  }

  /**
   * Receives up to `maxMessages`, waiting up to `waitTimeSeconds` (the queue's ReceiveMessageWaitTimeSeconds
   * when not given) for the first to be available. Resolves with none when the wait ends, the signal aborts
   * or the queue is deleted.
   */
  async receive(queue: Queue, input: ReceiveInput, signal?: AbortSignal): Promise<ReceivedMessage[]> {
    const maxMessages = input.maxMessages ?? 1;
    const visibilityTimeout =
      input.visibilityTimeout ?? Number(this.attributeValue(queue, 'VisibilityTimeout'));
    const waitSeconds =
      input.waitTimeSeconds ?? Number(this.attributeValue(queue, 'ReceiveMessageWaitTimeSeconds'));
    const deadline = this.now() + waitSeconds * 1000;
    for (;;) {
      const received = this.take(queue, maxMessages, visibilityTimeout);
      const now = this.now();
      if (received.length > 0 || now >= deadline || signal?.aborted || !this.isLive(queue)) return received;
      await this.waitForChange(
        queue,
        Math.min(deadline, this.nextAvailableAt(queue) ?? deadline) - now,
        signal,
      );
    }
  }

  /** Waits until a message may be available (at most `ms`), the queue changes, or the signal aborts. */
  waitForChange(queue: Queue, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        queue.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      queue.waiters.add(done);
      signal?.addEventListener('abort', done);
    });
  }

  /** Deletes the message the handle was given for, if it is still that receive's; a stale handle is a no-op. */
  deleteMessage(queue: Queue, receiptHandle: string): void {
    const receipt = parseReceiptHandle(receiptHandle, queue);
    const index = queue.messages.findIndex(
      (message) => message.messageId === receipt.messageId && message.receipt === receipt.receipt,
    );
    if (index === -1) return;
    queue.messages.splice(index, 1);
    this.changed(queue);
  }

  changeVisibility(queue: Queue, receiptHandle: string, visibilityTimeout: number): void {
    checkRange('VisibilityTimeout', visibilityTimeout, 0, 43_200);
    const receipt = parseReceiptHandle(receiptHandle, queue);
    const now = this.now();
    const message = queue.messages.find(
      (candidate) => candidate.messageId === receipt.messageId && candidate.receipt === receipt.receipt,
    );
    if (!message || message.availableAt <= now) throw messageNotInflight();
    message.availableAt = now + visibilityTimeout * 1000;
    this.changed(queue);
  }

  purge(queue: Queue): void {
    const now = this.now();
    if (queue.lastPurgeAt !== undefined && now - queue.lastPurgeAt < PURGE_INTERVAL_MS) {
      throw new SqsError(
        'PurgeQueueInProgress',
        `Only one PurgeQueue operation on ${queue.name} is allowed every 60 seconds.`,
        403,
        'AWS.SimpleQueueService.PurgeQueueInProgress',
      );
    }
    queue.lastPurgeAt = now;
    queue.messages = [];
    this.changed(queue);
  }

  /** The system attributes of a received message, by name (`All` for every one). */
  systemAttributes(message: StoredMessage, names: readonly string[]): Record<string, string> | undefined {
    const all = names.includes('All');
    const values: Record<string, string | undefined> = {
      SenderId: this.account.accountId,
      SentTimestamp: String(message.sentAt),
      ApproximateReceiveCount: String(message.receiveCount),
      ApproximateFirstReceiveTimestamp:
        message.firstReceiveAt === undefined ? undefined : String(message.firstReceiveAt),
      SequenceNumber: message.sequenceNumber,
      MessageDeduplicationId: message.deduplicationId,
      MessageGroupId: message.groupId,
      AWSTraceHeader: message.traceHeader,
      DeadLetterQueueSourceArn: message.deadLetterSourceArn,
    };
    const result: Record<string, string> = {};
    for (const name of SYSTEM_ATTRIBUTE_NAMES) {
      const value = values[name];
      if (value !== undefined && (all || names.includes(name))) result[name] = value;
    }
    return Object.keys(result).length > 0 ? result : undefined;
  }

  /** The MD5OfMessageAttributes of all of a message's attributes. */
  md5OfMessageAttributes(message: StoredMessage): string | undefined {
    return md5OfAttributes(message.attributes);
  }

  /** Writes pending state now (at stop). */
  flush(): void {
    this.saving.flush();
  }

  private isLive(queue: Queue): boolean {
    return this.queues.get(queue.name) === queue;
  }

  private addQueue(name: string, attributes: Record<string, string>, declared: boolean): Queue {
    const fifo =
      attributes.FifoQueue === 'true' || (attributes.FifoQueue === undefined && name.endsWith('.fifo'));
    checkQueueName(name, fifo);
    const checked = checkAttributes(name, attributes, { creating: true, fifo });
    const now = this.now();
    const queue: Queue = {
      name,
      arn: queueArn(this.account, name),
      fifo,
      attributes: checked,
      createdAt: now,
      modifiedAt: now,
      declared,
      messages: [],
      deduplication: new Map(),
      waiters: new Set(),
    };
    this.queues.set(name, queue);
    this.queueWatchers.forEach((watch) => watch());
    return queue;
  }

  /** Hands out what may be received now, in order; moves messages past maxReceiveCount to the DLQ. */
  private take(queue: Queue, maxMessages: number, visibilityTimeout: number): ReceivedMessage[] {
    const now = this.now();
    this.expire(queue, now);
    const redrive = parseRedrivePolicy(queue.attributes.RedrivePolicy);
    const deadLetterQueue = redrive && this.findByArn(redrive.deadLetterTargetArn);
    // A FIFO group whose first message is in flight or delayed gives nothing until that one is done.
    const blockedGroups = new Set<string>();
    const received: ReceivedMessage[] = [];
    for (const message of queue.fifo ? byGroup(queue.messages) : [...queue.messages]) {
      if (received.length >= maxMessages) break;
      const group = message.groupId ?? '';
      if (queue.fifo && blockedGroups.has(group)) continue;
      if (message.availableAt > now) {
        if (queue.fifo) blockedGroups.add(group);
        continue;
      }
      if (redrive && deadLetterQueue && message.receiveCount >= redrive.maxReceiveCount) {
        this.moveToDeadLetterQueue(queue, message, deadLetterQueue, now);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceiveAt ??= now;
      message.receipt = randomUUID();
      message.availableAt = now + visibilityTimeout * 1000;
      received.push({ message, receiptHandle: receiptHandleOf(queue, message) });
    }
    if (received.length > 0) this.scheduleSave();
    return received;
  }

  private moveToDeadLetterQueue(queue: Queue, message: StoredMessage, target: Queue, now: number): void {
    queue.messages.splice(queue.messages.indexOf(message), 1);
    // The message keeps its id, body and original enqueue time; its receive count starts again.
    target.messages.push({
      ...message,
      availableAt: now,
      receiveCount: 0,
      firstReceiveAt: undefined,
      receipt: undefined,
      deadLetterSourceArn: queue.arn,
      sequenceNumber: target.fifo ? this.nextSequenceNumber(now) : undefined,
    });
    this.changed(target);
  }

  /** Drops messages older than the retention period. */
  private expire(queue: Queue, now: number): void {
    const retentionMs = Number(this.attributeValue(queue, 'MessageRetentionPeriod')) * 1000;
    const kept = queue.messages.filter((message) => message.sentAt + retentionMs > now);
    if (kept.length !== queue.messages.length) {
      queue.messages = kept;
      this.scheduleSave();
    }
  }

  private nextAvailableAt(queue: Queue): number | undefined {
    let next: number | undefined;
    for (const message of queue.messages) {
      if (next === undefined || message.availableAt < next) next = message.availableAt;
    }
    return next;
  }

  private nextSequenceNumber(now: number): string {
    this.sequence = (this.sequence + 1) % 10_000_000;
    return `${String(now).padStart(13, '0')}${String(this.sequence).padStart(7, '0')}`;
  }

  private changed(queue: Queue): void {
    queue.waiters.forEach((wake) => wake());
    this.scheduleSave();
  }

  private stateFile(): string | undefined {
    return stateFileIn(this.options.dataDir);
  }

  private scheduleSave(): void {
    if (this.stateFile()) this.saving.request();
  }

  /** Queues made through the API, and every queue's messages, survive a restart. */
  private save(): void {
    const file = this.stateFile();
    if (!file) return;
    const state = {
      queues: this.listQueues().map((queue) => ({
        name: queue.name,
        declared: queue.declared,
        attributes: queue.attributes,
        createdAt: queue.createdAt,
        modifiedAt: queue.modifiedAt,
        messages: queue.messages,
        deduplication: [...queue.deduplication],
      })),
    };
    writeStateFile(file, state);
  }

  private load(): void {
    const file = this.stateFile();
    if (!file || !existsSync(file)) return;
    type SavedQueue = Pick<
      Queue,
      'name' | 'declared' | 'attributes' | 'createdAt' | 'modifiedAt' | 'messages'
    > & {
      deduplication: [string, { messageId: string; sequenceNumber?: string; expiresAt: number }][];
    };
    let state: { queues?: SavedQueue[] };
    try {
      state = JSON.parse(readFileSync(file, 'utf8')) as typeof state;
    } catch {
      this.log(
        `SQS: ${file} is not valid JSON; starting without the queues and messages it held. Delete it to silence this.`,
      );
      return;
    }
    for (const saved of state.queues ?? []) {
      let queue = this.queues.get(saved.name);
      // A declared queue no longer in serverless.yml is gone, with its messages.
      if (!queue && saved.declared) continue;
      try {
        queue ??= this.addQueue(saved.name, saved.attributes, false);
      } catch (error) {
        this.log(`SQS: the saved queue ${saved.name} is not restored: ${(error as Error).message}`);
        continue;
      }
      queue.createdAt = saved.createdAt;
      queue.modifiedAt = saved.modifiedAt;
      queue.messages = saved.messages;
      queue.deduplication = new Map(saved.deduplication);
    }
  }
}

/**
 * A FIFO queue's messages, a group's together (groups in the order of their first message, each in order): SQS
 * returns as many messages of one group as it can before another's.
 */
function byGroup(messages: StoredMessage[]): StoredMessage[] {
  const groups = new Map<string, StoredMessage[]>();
  for (const message of messages) {
    const group = groups.get(message.groupId ?? '') ?? [];
    group.push(message);
    groups.set(message.groupId ?? '', group);
  }
  return [...groups.values()].flat();
}

/** `<queue ARN>` `<message id>` `<receipt>`, base64: opaque to clients, as SQS's are. */
function receiptHandleOf(queue: Queue, message: StoredMessage): string {
  return Buffer.from(`${queue.arn} ${message.messageId} ${message.receipt}`).toString('base64');
}

function parseReceiptHandle(handle: string, queue: Queue): { messageId: string; receipt: string } {
  const parts = Buffer.from(handle, 'base64').toString('utf8').split(' ');
  if (
    parts.length !== 3 ||
    parts[0] !== queue.arn ||
    Buffer.from(parts.join(' ')).toString('base64') !== handle
  ) {
    throw receiptHandleIsInvalid(handle);
  }
  return { messageId: parts[1]!, receipt: parts[2]! };
}

export function parseRedrivePolicy(
  text: string | undefined,
): { deadLetterTargetArn: string; maxReceiveCount: number } | undefined {
  if (text === undefined || text === '') return undefined;
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof policy !== 'object' || policy === null) return undefined;
  const { deadLetterTargetArn, maxReceiveCount } = policy as Record<string, unknown>;
  const count = Number(maxReceiveCount);
  if (typeof deadLetterTargetArn !== 'string' || !Number.isInteger(count)) return undefined;
  return { deadLetterTargetArn, maxReceiveCount: count };
}

function checkQueueName(name: string, fifo: boolean): void {
  const valid = fifo ? /^[A-Za-z0-9_-]{1,75}\.fifo$/.test(name) : /^[A-Za-z0-9_-]{1,80}$/.test(name);
  if (!valid) {
    throw invalidParameterValue(
      fifo
        ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'
        : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    );
  }
}

function normalizeAttribute(name: string, value: string): string {
  return NUMERIC_ATTRIBUTES[name] ? String(Number(value)) : value;
}

function checkAttributes(
  queueName: string,
  attributes: Record<string, string>,
  { creating, fifo }: { creating: boolean; fifo: boolean },
): Record<string, string> {
  const checked: Record<string, string> = {};
  const invalidValue = (name: string, reason?: string) =>
    new SqsError(
      'InvalidAttributeValue',
      `Invalid value for the parameter ${name}.${reason ? ` Reason: ${reason}` : ''}`,
    );
  for (const [name, raw] of Object.entries(attributes)) {
    const value = String(raw);
    const numeric = NUMERIC_ATTRIBUTES[name];
    if (numeric) {
      const number = Number(value);
      if (value.trim() === '' || !Number.isInteger(number) || number < numeric.min || number > numeric.max) {
        throw invalidValue(name);
      }
      checked[name] = String(number);
      continue;
    }
    if (!OTHER_ATTRIBUTES.has(name)) {
      throw new SqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    }
    if (name === 'FifoQueue') {
      if (!creating) throw invalidValue(name, 'Modifying queue type is not supported.');
      if (value !== 'true' && value !== 'false') throw invalidValue(name);
      if ((value === 'true') !== queueName.endsWith('.fifo') || (value === 'true') !== fifo) {
        throw invalidValue(name, 'The name of a FIFO queue must end with .fifo suffix');
      }
    }
    if (['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'].includes(name) && !fifo) {
      throw new SqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    }
    // A queue policy IAM would refuse is refused when set, not found out at the first delivery.
    if (name === 'Policy' && value !== '') {
      const malformed = malformedPolicy(value);
      if (malformed !== undefined) throw invalidValue(name, malformed);
    }
    if (name === 'RedrivePolicy' && value !== '') {
      const policy = parseRedrivePolicy(value);
      if (!policy) {
        throw invalidValue(
          name,
          'Redrive policy is not a valid JSON map with deadLetterTargetArn and maxReceiveCount.',
        );
      }
      if (policy.maxReceiveCount < 1 || policy.maxReceiveCount > 1000) {
        throw invalidValue(
          name,
          'Value for parameter maxReceiveCount must be an integer between 1 and 1000.',
        );
      }
      if (!/^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+$/.test(policy.deadLetterTargetArn)) {
        throw invalidValue(name, 'Dead-letter target ARN is not a valid SQS queue ARN.');
      }
      if (policy.deadLetterTargetArn.endsWith('.fifo') !== fifo) {
        throw invalidValue(
          name,
          'Dead-letter target must be the same type of queue (FIFO or standard) as the source.',
        );
      }
    }
    checked[name] = value;
  }
  return checked;
}

/** IAM's reason a policy document is malformed, or undefined when it is a valid one. */
function malformedPolicy(policy: string): string | undefined {
  try {
    parsePolicyDocument(policy, 'Policy');
    return undefined;
  } catch (error) {
    if (error instanceof MalformedPolicyDocumentError) return error.reason;
    throw error;
  }
}

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidRange(name, value, `Must be between ${min} and ${max}, if provided.`);
  }
}

/** MessageGroupId and MessageDeduplicationId: 1 to 128 printable ASCII characters. */
function checkToken(name: string, value: string): void {
  if (!/^[\x21-\x7e]{1,128}$/.test(value)) {
    throw invalidRange(
      name,
      value,
      `${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
    );
  }
}

/** The characters SQS allows in a body and in string attribute values (XML 1.0's). */
const INVALID_CHARACTER = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function checkMessage(
  input: SendInput,
  attributes: Record<string, MessageAttributeValue>,
  maxSize: number,
): void {
  if (input.body === '') throw missingParameter('MessageBody');
  const invalid = INVALID_CHARACTER.exec(input.body);
  if (invalid) {
    const code = invalid[0].codePointAt(0)!.toString(16).toUpperCase();
    throw new SqsError(
      'InvalidMessageContents',
      `Invalid binary character '#x${code}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF`,
    );
  }
  if (input.delaySeconds !== undefined) checkRange('DelaySeconds', input.delaySeconds, 0, 900);
  const names = Object.keys(attributes);
  if (names.length > MAX_MESSAGE_ATTRIBUTES) {
    throw invalidParameterValue(
      `Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_MESSAGE_ATTRIBUTES}].`,
    );
  }
  let size = Buffer.byteLength(input.body);
  for (const [name, attribute] of Object.entries(attributes)) {
    if (
      !/^[A-Za-z0-9_.-]{1,256}$/.test(name) ||
      /^(aws\.|amazon\.)/i.test(name) ||
      name.startsWith('.') ||
      name.endsWith('.') ||
      name.includes('..')
    ) {
      throw invalidParameterValue(`Message (user) attribute name '${name}' is invalid.`);
    }
    const type = attribute.DataType ?? '';
    const base = type.split('.')[0] ?? '';
    if (!['String', 'Number', 'Binary'].includes(base)) {
      throw invalidParameterValue(
        `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
      );
    }
    const value = base === 'Binary' ? attribute.BinaryValue : attribute.StringValue;
    if (value === undefined || value === '') {
      throw invalidParameterValue(
        `Message (user) attribute '${name}' must contain a non-empty value of type '${base}'.`,
      );
    }
    if (base === 'Number' && !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value)) {
      throw invalidParameterValue(`Can't cast the value of message (user) attribute '${name}' to a number.`);
    }
    size +=
      Buffer.byteLength(name) +
      Buffer.byteLength(type) +
      (base === 'Binary' ? Buffer.from(value, 'base64').length : Buffer.byteLength(value));
  }
  if (size > maxSize) {
    throw invalidParameterValue(
      `One or more parameters are invalid. Reason: Message must be shorter than ${maxSize} bytes.`,
    );
  }
}

/** Content-based deduplication's id: the SHA-256 of the body. */
function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
