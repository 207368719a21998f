// SNS itself, apart from HTTP: topics, Lambda and SQS subscriptions, and Publish's fan-out. Each message is
// handed to every matching subscriber: a function through the AsyncInvoker (Lambda's async queue, with its
// retries), one SNS-shaped record per invocation, as SNS invokes functions asynchronously; a queue through
// `deliver`, as the notification's JSON or, with RawMessageDelivery, the message itself.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { stateFileIn, writeStateFile } from '../../common/state-file';
import type { AsyncInvoker } from '../../event-sources/async-invoker';
import { MalformedPolicyDocumentError, parsePolicyDocument } from '../../iam/policy-document';
import type { DeliverToTarget } from '../../platform/targets';
import { topicArn, type Account, type DeclaredMessaging } from './declared-topics';
import {
  matchesFilterPolicy,
  parseFilterPolicy,
  parseFilterPolicyScope,
  type FilterPolicyScope,
  type MessageAttributeValue,
} from './filter-policy';
import { invalidParameter, notFound, SnsError } from './query-protocol';
import { snsEventRecord, snsQueueMessage, type SnsNotification } from './sns-record';

/** Message plus attributes (names, types and values), as SNS measures it. */
export const PUBLISH_LIMIT_BYTES = 256 * 1024;

export interface Topic {
  arn: string;
  name: string;
  displayName: string;
  /** From serverless.yml: recreated on every start rather than persisted. */
  declared: boolean;
  /** The Policy attribute as set (an AWS::SNS::TopicPolicy, CreateTopic or SetTopicAttributes); else the default. */
  policy?: string;
}

export type SubscriptionProtocol = 'lambda' | 'sqs';

export interface Subscription {
  arn: string;
  topicArn: string;
  protocol: SubscriptionProtocol;
  /** The function's ARN (or name), or the queue's ARN. */
  endpoint: string;
  /** SQS only: the queue gets the message itself, with its attributes, instead of the notification JSON. */
  rawMessageDelivery?: boolean;
  /** JSON text, as set. */
  filterPolicy?: string;
  filterPolicyScope: FilterPolicyScope;
  declared: boolean;
}

export interface PublishInput {
  topicArn: string;
  message: string;
  subject?: string;
  /** `json`: the message is a JSON object with a `default` entry and optionally a `lambda` entry. */
  messageStructure?: string;
  attributes?: Record<string, MessageAttributeValue>;
}

export interface PublishResult {
  messageId: string;
  /** The async invocation request id of each function delivery, in subscription order. */
  deliveries: { subscriptionArn: string; endpoint: string; requestId: string }[];
  /** Settles once every queue delivery has been made (or logged as failed). */
  queued: Promise<void>;
}

export interface SnsTopicsOptions {
  account: Account;
  asyncInvoker: AsyncInvoker;
  /** Sends to SQS subscribers; without it, an sqs subscription is refused. */
  deliver?: DeliverToTarget;
  /** Declared topics' policies (AWS::SNS::TopicPolicy), by topic ARN. */
  topicPolicies?: ReadonlyMap<string, string>;
  /** The service's URL, for the UnsubscribeUrl of records; read at publish time. */
  serviceUrl: () => string;
  /** Directory of state.json; none: nothing is persisted. */
  dataDir?: string;
  now?: () => number;
  log?: (line: string) => void;
}

const SUPPORTED_ELSEWHERE = new Set([
  'http',
  'https',
  'email',
  'email-json',
  'sms',
  'application',
  'firehose',
]);

export class SnsTopics {
  private readonly topics = new Map<string, Topic>();
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly policies = new Map<string, Record<string, unknown>>();
  private readonly now: () => number;
  private readonly log: (line: string) => void;

  constructor(
    private readonly options: SnsTopicsOptions,
    declared: DeclaredMessaging,
  ) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => {});
    for (const topic of declared.topics) {
      this.topics.set(topic.arn, {
        arn: topic.arn,
        name: topic.name,
        displayName: topic.displayName,
        declared: true,
        policy: options.topicPolicies?.get(topic.arn),
      });
    }
    for (const subscription of declared.subscriptions) {
      this.addSubscription({
        ...subscription,
        arn: subscriptionArn(subscription.topicArn, subscription.endpoint),
        declared: true,
      });
    }
    this.load();
  }

  get account(): Account {
    return this.options.account;
  }

  createTopic(name: string, attributes: Map<string, string>): Topic {
    if (attributes.get('FifoTopic') === 'true' || name.endsWith('.fifo')) {
      throw invalidParameter(
        'Invalid parameter: FifoTopic Reason: local-cloud does not implement FIFO topics (Lambda functions cannot subscribe to them on AWS either)',
      );
    }
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(name)) throw invalidParameter('Invalid parameter: Topic Name');
    const arn = topicArn(this.account, name);
    const existing = this.topics.get(arn);
    if (existing) return existing;
    const policy = attributes.get('Policy');
    if (policy !== undefined) checkTopicPolicy(policy);
    const topic: Topic = {
      arn,
      name,
      displayName: attributes.get('DisplayName') ?? '',
      declared: false,
      ...(policy !== undefined && { policy }),
    };
    this.topics.set(arn, topic);
    this.save();
    return topic;
  }

  deleteTopic(arn: string): void {
    if (!this.topics.delete(arn)) return;
    for (const subscription of this.subscriptions.values()) {
      if (subscription.topicArn === arn) this.removeSubscription(subscription.arn);
    }
    this.save();
  }

  listTopics(): Topic[] {
    return [...this.topics.values()];
  }

  getTopic(arn: string): Topic {
    const topic = this.topics.get(arn);
    if (!topic) throw notFound();
    return topic;
  }

  /** The topic's Policy attribute: the one set, or SNS's default (which allows only the owner's principals). */
  topicPolicy(arn: string): string {
    const topic = this.getTopic(arn);
    return topic.policy ?? JSON.stringify(defaultTopicPolicy(arn, this.account.accountId));
  }

  /**
   * SetTopicAttributes for the attributes local-cloud keeps: Policy (checked as IAM checks a document) and
   * DisplayName. An empty Policy restores the default, as on AWS.
   */
  setTopicAttribute(arn: string, name: string, value: string): void {
    const topic = this.getTopic(arn);
    if (name === 'Policy') {
      if (value === '') delete topic.policy;
      else {
        checkTopicPolicy(value);
        topic.policy = value;
      }
    } else if (name === 'DisplayName') {
      topic.displayName = value;
    } else {
      throw invalidParameter(
        `Invalid parameter: AttributeName Reason: local-cloud's SNS sets only Policy and DisplayName, not ${name}`,
      );
    }
    this.save();
  }

  topicAttributes(arn: string): Map<string, string> {
    const topic = this.getTopic(arn);
    const { accountId } = this.account;
    const confirmed = this.listSubscriptions(arn).length;
    return new Map([
      ['Policy', this.topicPolicy(arn)],
      ['Owner', accountId],
      ['SubscriptionsPending', '0'],
      ['TopicArn', arn],
      ['EffectiveDeliveryPolicy', JSON.stringify(DEFAULT_DELIVERY_POLICY)],
      ['SubscriptionsConfirmed', String(confirmed)],
      ['DisplayName', topic.displayName],
      ['SubscriptionsDeleted', '0'],
    ]);
  }

  subscribe(input: {
    topicArn: string;
    protocol: string;
    endpoint?: string;
    attributes: Map<string, string>;
  }): Subscription {
    this.getTopic(input.topicArn);
    const protocol = input.protocol.toLowerCase();
    if (protocol !== 'lambda' && protocol !== 'sqs') {
      if (SUPPORTED_ELSEWHERE.has(protocol)) {
        throw invalidParameter(
          `Invalid parameter: Protocol Reason: local-cloud's SNS delivers only to Lambda functions and SQS queues (protocols lambda and sqs); ${protocol} subscriptions are not implemented`,
        );
      }
      throw invalidParameter(
        `Invalid parameter: Amazon SNS does not support this protocol string: ${input.protocol}`,
      );
    }
    const endpoint = input.endpoint ?? '';
    const rawMessageDelivery = input.attributes.get('RawMessageDelivery') === 'true';
    if (protocol === 'lambda') {
      if (!LAMBDA_ENDPOINT.test(endpoint)) throw invalidParameter('Invalid parameter: Lambda endpoint ARN');
      if (rawMessageDelivery) {
        throw invalidParameter(
          'Invalid parameter: Attributes Reason: Delivery protocol [lambda] does not support raw message delivery.',
        );
      }
    } else if (!SQS_ENDPOINT.test(endpoint)) {
      throw invalidParameter('Invalid parameter: SQS endpoint ARN');
    } else if (!this.options.deliver) {
      throw invalidParameter('Invalid parameter: Protocol Reason: no SQS service runs beside this SNS');
    }
    const filterPolicy = input.attributes.get('FilterPolicy');
    if (filterPolicy !== undefined) parseFilterPolicy(filterPolicy);
    const filterPolicyScope = parseFilterPolicyScope(input.attributes.get('FilterPolicyScope'));
    const arn = subscriptionArn(input.topicArn, endpoint);
    const existing = this.subscriptions.get(arn);
    if (existing) {
      if (
        existing.filterPolicy !== filterPolicy ||
        existing.filterPolicyScope !== filterPolicyScope ||
        Boolean(existing.rawMessageDelivery) !== rawMessageDelivery
      ) {
        throw invalidParameter(
          'Invalid parameter: Attributes Reason: Subscription already exists with different attributes',
        );
      }
      return existing;
    }
    const subscription: Subscription = {
      arn,
      topicArn: input.topicArn,
      protocol,
      endpoint,
      ...(rawMessageDelivery ? { rawMessageDelivery } : {}),
      filterPolicy,
      filterPolicyScope,
      declared: false,
    };
    this.addSubscription(subscription);
    this.save();
    return subscription;
  }

  unsubscribe(arn: string): void {
    if (this.removeSubscription(arn)) this.save();
  }

  /** Every subscription, or a topic's, in the order they were made. */
  listSubscriptions(topicArnFilter?: string): Subscription[] {
    return [...this.subscriptions.values()].filter(
      (subscription) => topicArnFilter === undefined || subscription.topicArn === topicArnFilter,
    );
  }

  getSubscription(arn: string): Subscription {
    const subscription = this.subscriptions.get(arn);
    if (!subscription) throw new SnsError('NotFound', 404, 'Subscription does not exist');
    return subscription;
  }

  publish(input: PublishInput): PublishResult {
    const attributes = input.attributes ?? {};
    checkPublish(input, attributes);
    this.getTopic(input.topicArn);
    const lambdaMessage = messageForLambda(input);
    const messageId = randomUUID();
    const notification: SnsNotification = {
      messageId,
      topicArn: input.topicArn,
      subject: input.subject,
      message: lambdaMessage,
      timestamp: new Date(this.now()).toISOString(),
      attributes,
    };
    const deliveries: PublishResult['deliveries'] = [];
    const queued: Promise<void>[] = [];
    const deliveryFailed = (subscription: Subscription) => (error: unknown) => {
      // SNS accepted the message; a subscriber it cannot reach does not fail the Publish.
      this.log(
        `SNS: message ${messageId} from ${input.topicArn} could not be delivered to ${subscription.endpoint}: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    };
    for (const subscription of this.listSubscriptions(input.topicArn)) {
      const policy = this.policies.get(subscription.arn);
      if (policy && !matchesFilterPolicy(policy, subscription.filterPolicyScope, lambdaMessage, attributes)) {
        continue;
      }
      if (subscription.protocol === 'sqs') {
        queued.push(this.sendToQueue(subscription, notification).catch(deliveryFailed(subscription)));
        continue;
      }
      const record = snsEventRecord(notification, subscription.arn, this.options.serviceUrl());
      try {
        const requestId = this.options.asyncInvoker.invokeAsync(
          subscription.endpoint,
          JSON.stringify({ Records: [record] }),
        );
        deliveries.push({ subscriptionArn: subscription.arn, endpoint: subscription.endpoint, requestId });
      } catch (error) {
        deliveryFailed(subscription)(error);
      }
    }
    return { messageId, deliveries, queued: Promise.all(queued).then(() => undefined) };
  }

  /** A queue gets the notification as JSON text, or with raw delivery the message and its attributes. */
  private async sendToQueue(subscription: Subscription, notification: SnsNotification): Promise<void> {
    if (!this.options.deliver) throw new Error('no SQS service runs beside this SNS');
    // SNS sends as sns.amazonaws.com: the queue's policy must allow it for this topic.
    const from = {
      service: 'sns.amazonaws.com',
      sourceArn: subscription.topicArn,
      sourceAccount: this.account.accountId,
    };
    if (subscription.rawMessageDelivery) {
      await this.options.deliver(subscription.endpoint, {
        body: notification.message,
        attributes: queueAttributes(notification.attributes),
        from,
      });
      return;
    }
    const body = snsQueueMessage(notification, subscription.arn, this.options.serviceUrl());
    await this.options.deliver(subscription.endpoint, { body: JSON.stringify(body), from });
  }

  private addSubscription(subscription: Subscription): void {
    this.subscriptions.set(subscription.arn, subscription);
    if (subscription.filterPolicy !== undefined) {
      this.policies.set(subscription.arn, parseFilterPolicy(subscription.filterPolicy));
    }
  }

  private removeSubscription(arn: string): boolean {
    this.policies.delete(arn);
    return this.subscriptions.delete(arn);
  }

  private stateFile(): string | undefined {
    return stateFileIn(this.options.dataDir);
  }

  /** Topics and subscriptions made through the API survive a restart; declared ones come from the service. */
  private load(): void {
    const file = this.stateFile();
    if (!file || !existsSync(file)) return;
    let state: { topics?: Topic[]; subscriptions?: Subscription[] };
    try {
      state = JSON.parse(readFileSync(file, 'utf8')) as typeof state;
    } catch {
      this.log(
        `SNS: ${file} is not valid JSON; starting without the topics it held. Delete it to silence this.`,
      );
      return;
    }
    for (const topic of state.topics ?? []) {
      if (!this.topics.has(topic.arn)) this.topics.set(topic.arn, { ...topic, declared: false });
    }
    for (const subscription of state.subscriptions ?? []) {
      if (this.topics.has(subscription.topicArn) && !this.subscriptions.has(subscription.arn)) {
        this.addSubscription({ ...subscription, declared: false });
      }
    }
  }

  private save(): void {
    const file = this.stateFile();
    if (!file) return;
    const state = {
      topics: this.listTopics().filter((topic) => !topic.declared),
      subscriptions: this.listSubscriptions().filter((subscription) => !subscription.declared),
    };
    writeStateFile(file, state);
  }
}

const LAMBDA_ENDPOINT =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$/;
const SQS_ENDPOINT = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,75}(\.fifo)?$/;

/**
 * SNS passes at most 10 message attributes on to a queue with raw delivery; Binary values travel as base64,
 * as SQS's JSON protocol carries them.
 */
function queueAttributes(
  attributes: Record<string, MessageAttributeValue>,
): Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }> | undefined {
  const entries = Object.entries(attributes).slice(0, 10);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** Stable across restarts: the same topic and endpoint always give the same subscription ARN. */
export function subscriptionArn(topic: string, endpoint: string): string {
  const hex = createHash('sha256').update(`${topic}|${endpoint}`).digest('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return `${topic}:${uuid}`;
}

function checkPublish(input: PublishInput, attributes: Record<string, MessageAttributeValue>): void {
  if (!input.message) throw invalidParameter('Invalid parameter: Empty message');
  if (input.subject !== undefined && !/^[\x20-\x7e]{1,100}$/.test(input.subject)) {
    throw invalidParameter('Invalid parameter: Subject');
  }
  let size = Buffer.byteLength(input.message);
  for (const [name, attribute] of Object.entries(attributes)) {
    const baseType = attribute.DataType.split('.')[0];
    if (!['String', 'Number', 'Binary'].includes(baseType ?? '')) {
      throw invalidParameter(
        `Invalid parameter: MessageAttributes Reason: The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    const value = baseType === 'Binary' ? attribute.BinaryValue : attribute.StringValue;
    if (value === undefined || value === '') {
      throw invalidParameter(
        `Invalid parameter: MessageAttributes Reason: The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${attribute.DataType}'.`,
      );
    }
    if (baseType === 'Number' && !Number.isFinite(Number(value))) {
      throw invalidParameter(
        `Invalid parameter: MessageAttributes Reason: Could not cast message attribute '${name}' value to number.`,
      );
    }
    const valueBytes = baseType === 'Binary' ? Buffer.from(value, 'base64').length : Buffer.byteLength(value);
    size += Buffer.byteLength(name) + Buffer.byteLength(attribute.DataType) + valueBytes;
  }
  if (size > PUBLISH_LIMIT_BYTES) throw invalidParameter('Invalid parameter: Message too long');
}

/** With MessageStructure `json`, a function receives the `lambda` entry, else the `default` one. */
function messageForLambda(input: PublishInput): string {
  if (input.messageStructure !== 'json') return input.message;
  let structured: unknown;
  try {
    structured = JSON.parse(input.message);
  } catch {
    throw invalidParameter('Invalid parameter: Message Structure - JSON message body failed to parse');
  }
  if (typeof structured !== 'object' || structured === null || Array.isArray(structured)) {
    throw invalidParameter('Invalid parameter: Message Structure - JSON message body failed to parse');
  }
  const entries = structured as Record<string, unknown>;
  if (typeof entries.default !== 'string') {
    throw invalidParameter('Invalid parameter: Message Structure - No default entry in JSON message body');
  }
  return typeof entries.lambda === 'string' ? entries.lambda : entries.default;
}

/** SNS refuses a policy IAM would: "Invalid parameter: Policy Error: ...". */
function checkTopicPolicy(policy: string): void {
  try {
    parsePolicyDocument(policy, 'Policy');
  } catch (error) {
    if (!(error instanceof MalformedPolicyDocumentError)) throw error;
    throw invalidParameter(`Invalid parameter: Policy Error: ${error.reason}`);
  }
}

const DEFAULT_DELIVERY_POLICY = {
  http: {
    defaultHealthyRetryPolicy: {
      minDelayTarget: 20,
      maxDelayTarget: 20,
      numRetries: 3,
      numMaxDelayRetries: 0,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      backoffFunction: 'linear',
    },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  },
};

function defaultTopicPolicy(arn: string, accountId: string): object {
  return {
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
      },
    ],
  };
}
