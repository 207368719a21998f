// The queues a service declares: `AWS::SQS::Queue` resources, as CloudFormation creates them. A queue without
// a QueueName gets CloudFormation's generated name (`<stack>-<LogicalId>-<suffix>`, `.fifo` added for a FIFO
// queue); RedrivePolicy's deadLetterTargetArn is resolved (`Fn::GetAtt: [DeadLetterQueue, Arn]`). `Ref` of a
// queue is its URL, `Fn::GetAtt` gives `Arn`, `QueueName` and `QueueUrl`, as the CloudFormation reference says.
import type { ServiceDefinition } from '../../config/service-definition';
import {
  generatedPhysicalName,
  isRecord,
  resolveString,
  resourcesOfType,
  type CloudFormationContext,
} from '../../cloudformation/values';

export const QUEUE_RESOURCE_TYPE = 'AWS::SQS::Queue';

export interface Account {
  region: string;
  accountId: string;
}

export interface DeclaredQueue {
  logicalId: string;
  name: string;
  arn: string;
  /** As the SQS API names them (`VisibilityTimeout`, `RedrivePolicy` as JSON text), values as text. */
  attributes: Record<string, string>;
}

/** The queue properties that are queue attributes of the same name. */
const ATTRIBUTE_PROPERTIES = [
  'VisibilityTimeout',
  'MessageRetentionPeriod',
  'DelaySeconds',
  'ReceiveMessageWaitTimeSeconds',
  'MaximumMessageSize',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
];

export function queueArn(account: Account, name: string): string {
  return `arn:aws:sqs:${account.region}:${account.accountId}:${name}`;
}

/** The queue URL on AWS: what `Ref` gives before local-cloud's endpoint is known. */
export function awsQueueUrl(account: Account, name: string): string {
  return `https://sqs.${account.region}.amazonaws.com/${account.accountId}/${name}`;
}

/**
 * CloudFormation references to the service's queues, as a deployment resolves them: `Ref` the queue's URL on AWS,
 * `Fn::GetAtt` its Arn and QueueName (for RedrivePolicy, and for the `sqs` events' `arn`).
 */
export function queueReferences(service: ServiceDefinition, account: Account): CloudFormationContext {
  const names: CloudFormationContext = {
    ...account,
    stackName: `${service.service}-${service.provider.stage}`,
  };
  const byLogicalId = new Map<string, string>();
  for (const { logicalId, properties } of resourcesOfType(service.resources, QUEUE_RESOURCE_TYPE)) {
    const fifo = String(properties.FifoQueue) === 'true';
    const name =
      resolveString(properties.QueueName, names) ??
      `${generatedPhysicalName(names.stackName, logicalId)}${fifo ? '.fifo' : ''}`;
    byLogicalId.set(logicalId, name);
  }
  return {
    ...names,
    ref: (logicalId) => {
      const name = byLogicalId.get(logicalId);
      return name && awsQueueUrl(account, name);
    },
    getAtt: (logicalId, attribute) => {
      const name = byLogicalId.get(logicalId);
      if (name === undefined) return undefined;
      if (attribute === 'Arn') return queueArn(account, name);
      if (attribute === 'QueueName') return name;
      return undefined;
    },
  };
}

export function declaredQueues(service: ServiceDefinition, account: Account): DeclaredQueue[] {
  const resources = resourcesOfType(service.resources, QUEUE_RESOURCE_TYPE);
  const context = queueReferences(service, account);
  return resources.map(({ logicalId, properties }) => {
    const name = context.getAtt!(logicalId, 'QueueName')!;
    const arn = queueArn(account, name);
    const attributes: Record<string, string> = {};
    for (const property of ATTRIBUTE_PROPERTIES) {
      const value = resolveString(properties[property], context);
      if (value !== undefined) attributes[property] = value;
    }
    const redrive = redrivePolicy(properties.RedrivePolicy, context);
    if (redrive !== undefined) attributes.RedrivePolicy = redrive;
    return { logicalId, name, arn, attributes };
  });
}

/** `{ deadLetterTargetArn, maxReceiveCount }`, an object or JSON text, with the ARN resolved. */
function redrivePolicy(value: unknown, context: CloudFormationContext): string | undefined {
  let policy: unknown = value;
  if (typeof value === 'string') {
    try {
      policy = JSON.parse(value);
    } catch {
      return value;
    }
  }
  if (!isRecord(policy)) return undefined;
  const target =
    resolveString(policy.deadLetterTargetArn, context) ?? JSON.stringify(policy.deadLetterTargetArn);
  return JSON.stringify({ deadLetterTargetArn: target, maxReceiveCount: policy.maxReceiveCount });
}
