// The queues a service declares: `AWS::SQS::Queue` resources, as CloudFormation creates them. A queue without
// a QueueName gets CloudFormation's generated name (`<stack>-<LogicalId>-<suffix>`, `.fifo` added for a FIFO
// queue); RedrivePolicy's deadLetterTargetArn is resolved (`Fn::GetAtt: [DeadLetterQueue, Arn]`). `Ref` of a
// queue is its URL, `Fn::GetAtt` gives `Arn`, `QueueName` and `QueueUrl`, as the CloudFormation reference says.
import type { ServiceDefinition } from '../../config/service-definition';
import {
  QUEUE_RESOURCE_TYPE,
  queueArn,
  queueReferences,
  type Account,
} from '../../cloudformation/queue-references';
import {
  isRecord,
  resolveString,
  resourcesOfType,
  type CloudFormationContext,
} from '../../cloudformation/values';
import { declaredQueuePolicies } from './declared-queue-policies';

export { queueArn, type Account } from '../../cloudformation/queue-references';

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

export function declaredQueues(service: ServiceDefinition, account: Account): DeclaredQueue[] {
  const resources = resourcesOfType(service.resources, QUEUE_RESOURCE_TYPE);
  const context = queueReferences(service, account);
  // AWS::SQS::QueuePolicy sets the Policy attribute (warnings about it are the module's, service-module.ts).
  const policies = declaredQueuePolicies(service, account).byQueue;
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
    const policy = policies.get(name);
    if (policy !== undefined) attributes.Policy = policy;
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
