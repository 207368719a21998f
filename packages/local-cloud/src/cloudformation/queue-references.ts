// The names, ARNs and URLs of a service's AWS::SQS::Queue resources as a deployment gives them, for SQS itself
// and for every other part that names a queue by reference (SNS subscriptions, S3 notifications, Lambda
// destinations and DLQs, event sources): `Ref` a queue's URL, `Fn::GetAtt` its Arn and QueueName. A queue without
// a QueueName gets CloudFormation's generated name (`<stack>-<LogicalId>-<suffix>`, `.fifo` added for FIFO).
import type { ServiceDefinition } from '../config/service-definition';
import { generatedPhysicalName, resolveString, resourcesOfType, type CloudFormationContext } from './values';

export const QUEUE_RESOURCE_TYPE = 'AWS::SQS::Queue';

export interface Account {
  region: string;
  accountId: string;
}

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
