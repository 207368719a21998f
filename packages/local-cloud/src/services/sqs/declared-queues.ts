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

export function declaredQueues(service: ServiceDefinition, account: Account): DeclaredQueue[] {
  const stackName = `${service.service}-${service.provider.stage}`;
  const resources = resourcesOfType(service.resources, QUEUE_RESOURCE_TYPE);
  const byLogicalId = new Map<string, { name: string; arn: string }>();
  const names: CloudFormationContext = { ...account, stackName };
  for (const { logicalId, properties } of resources) {
    const fifo = String(properties.FifoQueue) === 'true';
    const name =
      resolveString(properties.QueueName, names) ??
      `${generatedPhysicalName(stackName, logicalId)}${fifo ? '.fifo' : ''}`;
    byLogicalId.set(logicalId, { name, arn: queueArn(account, name) });
  }
  const context: CloudFormationContext = {
    ...names,
    ref: (logicalId) => {
      const queue = byLogicalId.get(logicalId);
      return queue && awsQueueUrl(account, queue.name);
    },
    getAtt: (logicalId, attribute) => {
      const queue = byLogicalId.get(logicalId);
      if (attribute === 'Arn') return queue?.arn;
      if (attribute === 'QueueName') return queue?.name;
      return undefined;
    },
  };
  return resources.map(({ logicalId, properties }) => {
    const { name, arn } = byLogicalId.get(logicalId)!;
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
