// The topics and subscriptions a service declares, found as the Serverless Framework v3 compiles them
// (lib/plugins/aws/package/compile/events/sns.js): an `sns` event names a topic the framework creates
// (`sns: dispatch`, `sns: { topicName }`) or an existing one (`sns: arn:...`, `sns: { arn, topicName }`), and
// subscribes the function, with `filterPolicy` / `filterPolicyScope` when given. CloudFormation adds
// AWS::SNS::Topic (with inline `Subscription`) and AWS::SNS::Subscription resources.
import { ServiceConfigError } from '../../config/service-config-error';
import type { ServiceDefinition } from '../../config/service-definition';
import {
  functionLogicalId,
  generatedPhysicalName,
  isRecord,
  resolveString,
  resourcesOfType,
  type CloudFormationContext,
} from '../../cloudformation/values';
import { queueReferences } from '../../cloudformation/queue-references';
import { parseFilterPolicy, type FilterPolicyScope } from './filter-policy';

export interface DeclaredTopic {
  arn: string;
  name: string;
  displayName: string;
  /** The CloudFormation logical id: the resource's, or the framework's `SNSTopic<Name>` for an event. */
  logicalId?: string;
}

export interface DeclaredSubscription {
  topicArn: string;
  protocol: 'lambda' | 'sqs';
  /** The function's or the queue's ARN. */
  endpoint: string;
  /** SQS only: the message itself instead of the notification JSON. */
  rawMessageDelivery?: boolean;
  /** JSON text. */
  filterPolicy?: string;
  filterPolicyScope: FilterPolicyScope;
}

export interface DeclaredMessaging {
  topics: DeclaredTopic[];
  subscriptions: DeclaredSubscription[];
  /** What the service declares that local-cloud cannot honour, one line each. */
  warnings: string[];
}

export interface Account {
  region: string;
  accountId: string;
}

export function topicArn(account: Account, name: string): string {
  return `arn:aws:sns:${account.region}:${account.accountId}:${name}`;
}

export function declaredMessaging(service: ServiceDefinition, account: Account): DeclaredMessaging {
  const stackName = `${service.service}-${service.provider.stage}`;
  const functionArns = new Map(
    Object.values(service.functions).map((fn) => [
      functionLogicalId(fn.key),
      { name: fn.name, arn: `arn:aws:lambda:${account.region}:${account.accountId}:function:${fn.name}` },
    ]),
  );
  const topics = new Map<string, DeclaredTopic>();
  const byLogicalId = new Map<string, DeclaredTopic>();
  const subscriptions: DeclaredSubscription[] = [];
  const warnings: string[] = [];

  const queues = queueReferences(service, account);
  const context: CloudFormationContext = {
    region: account.region,
    accountId: account.accountId,
    stackName,
    ref: (logicalId) =>
      byLogicalId.get(logicalId)?.arn ?? functionArns.get(logicalId)?.name ?? queues.ref?.(logicalId),
    getAtt: (logicalId, attribute) => {
      const topic = byLogicalId.get(logicalId);
      if (topic && attribute === 'TopicArn') return topic.arn;
      if (topic && attribute === 'TopicName') return topic.name;
      const fn = attribute === 'Arn' ? functionArns.get(logicalId)?.arn : undefined;
      return fn ?? queues.getAtt?.(logicalId, attribute);
    },
  };
  const addTopic = (topic: DeclaredTopic) => {
    const existing = topics.get(topic.arn);
    if (!existing) topics.set(topic.arn, topic);
    if (topic.logicalId) byLogicalId.set(topic.logicalId, existing ?? topic);
  };
  const subscribe = (subscription: DeclaredSubscription, where: string) => {
    if (subscription.filterPolicy !== undefined) {
      try {
        parseFilterPolicy(subscription.filterPolicy);
      } catch (error) {
        throw new ServiceConfigError(
          `${service.servicePath}/serverless.yml`,
          `${where}: ${(error as Error).message}`,
          'write the filter policy as SNS documents it: https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html',
        );
      }
    }
    const duplicate = subscriptions.some(
      (other) => other.topicArn === subscription.topicArn && other.endpoint === subscription.endpoint,
    );
    if (!duplicate) subscriptions.push(subscription);
  };

  const topicResources = resourcesOfType(service.resources, 'AWS::SNS::Topic');
  for (const { logicalId, properties } of topicResources) {
    const name = resolveString(properties.TopicName, context) ?? generatedPhysicalName(stackName, logicalId);
    const displayName = resolveString(properties.DisplayName, context) ?? '';
    addTopic({ arn: topicArn(account, name), name, displayName, logicalId });
  }
  for (const { logicalId, properties } of topicResources) {
    const arn = byLogicalId.get(logicalId)?.arn ?? '';
    const inline = Array.isArray(properties.Subscription) ? (properties.Subscription as unknown[]) : [];
    for (const entry of inline) {
      const where = `resources.${logicalId}.Subscription`;
      const subscription = isRecord(entry)
        ? cloudFormationSubscription(arn, entry, context, where, warnings)
        : undefined;
      if (subscription) subscribe(subscription, where);
    }
  }

  for (const fn of Object.values(service.functions)) {
    const endpoint = functionArns.get(functionLogicalId(fn.key))?.arn ?? '';
    fn.events.forEach((event, index) => {
      if (!('sns' in event)) return;
      const where = `functions.${fn.key}.events[${index}].sns`;
      const found = snsEvent(event.sns, context, account, where, warnings);
      if (!found) return;
      addTopic(found.topic);
      subscribe(
        { topicArn: found.topic.arn, protocol: 'lambda', endpoint, ...found.filter },
        `${where}.filterPolicy`,
      );
    });
  }

  for (const { logicalId, properties } of resourcesOfType(service.resources, 'AWS::SNS::Subscription')) {
    const where = `resources.${logicalId}`;
    const arn = resolveString(properties.TopicArn, context);
    if (!arn) {
      warnings.push(`${where}: TopicArn names no topic local-cloud knows; the subscription is ignored`);
      continue;
    }
    if (!topics.has(arn)) addTopic({ arn, name: arn.split(':').pop() ?? arn, displayName: '' });
    const subscription = cloudFormationSubscription(arn, properties, context, where, warnings);
    if (subscription) subscribe(subscription, `${where}.FilterPolicy`);
  }

  return { topics: [...topics.values()], subscriptions, warnings };
}

function snsEvent(
  value: unknown,
  context: CloudFormationContext,
  account: Account,
  where: string,
  warnings: string[],
):
  | { topic: DeclaredTopic; filter: Pick<DeclaredSubscription, 'filterPolicy' | 'filterPolicyScope'> }
  | undefined {
  const filter: Pick<DeclaredSubscription, 'filterPolicy' | 'filterPolicyScope'> = {
    filterPolicy:
      isRecord(value) && isRecord(value.filterPolicy) ? JSON.stringify(value.filterPolicy) : undefined,
    filterPolicyScope:
      isRecord(value) && value.filterPolicyScope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes',
  };
  const displayName = isRecord(value) && typeof value.displayName === 'string' ? value.displayName : '';
  if (typeof value === 'string') {
    const arn = value.startsWith('arn:') ? value : topicArn(account, value);
    const name = arn.split(':').pop() ?? value;
    return { topic: { arn, name, displayName, logicalId: frameworkTopicLogicalId(name) }, filter };
  }
  if (!isRecord(value)) {
    warnings.push(`${where}: expected a topic name, an ARN or { arn, topicName }; the event is ignored`);
    return undefined;
  }
  const topicName = typeof value.topicName === 'string' ? value.topicName : undefined;
  if (value.arn !== undefined) {
    const arn = resolveString(value.arn, context) ?? (topicName ? topicArn(account, topicName) : undefined);
    if (!arn) {
      warnings.push(
        `${where}: the arn names no topic local-cloud knows and there is no topicName; the event is ignored`,
      );
      return undefined;
    }
    return { topic: { arn, name: topicName ?? arn.split(':').pop() ?? arn, displayName }, filter };
  }
  if (!topicName) {
    warnings.push(`${where}: neither arn nor topicName is set; the event is ignored`);
    return undefined;
  }
  const arn = topicArn(account, topicName);
  return {
    topic: { arn, name: topicName, displayName, logicalId: frameworkTopicLogicalId(topicName) },
    filter,
  };
}

function cloudFormationSubscription(
  topicArnValue: string,
  properties: Record<string, unknown>,
  context: CloudFormationContext,
  where: string,
  warnings: string[],
): DeclaredSubscription | undefined {
  const protocol = resolveString(properties.Protocol, context);
  if (protocol !== 'lambda' && protocol !== 'sqs') {
    warnings.push(
      `${where}: local-cloud delivers SNS messages only to Lambda functions and SQS queues; this ${protocol ?? 'unknown'} subscription is ignored`,
    );
    return undefined;
  }
  const endpoint = resolveString(properties.Endpoint, context);
  if (!endpoint) {
    const named = protocol === 'lambda' ? 'function' : 'queue';
    warnings.push(`${where}: the Endpoint names no ${named} of this service; the subscription is ignored`);
    return undefined;
  }
  const policy = properties.FilterPolicy;
  const raw = protocol === 'sqs' && String(resolveString(properties.RawMessageDelivery, context)) === 'true';
  return {
    topicArn: topicArnValue,
    protocol,
    endpoint,
    ...(raw ? { rawMessageDelivery: true } : {}),
    filterPolicy: isRecord(policy) ? JSON.stringify(policy) : typeof policy === 'string' ? policy : undefined,
    filterPolicyScope: properties.FilterPolicyScope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes',
  };
}

/** The framework's logical id for the topic an `sns` event creates: `SNSTopic<AlphanumericName>`. */
function frameworkTopicLogicalId(topicName: string): string {
  const normalized = topicName.replace(/[^0-9A-Za-z]/g, '');
  return `SNSTopic${normalized.charAt(0).toUpperCase()}${normalized.slice(1)}`;
}
