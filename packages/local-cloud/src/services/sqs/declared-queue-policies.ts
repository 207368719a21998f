// The policies a service declares for its queues: AWS::SQS::QueuePolicy resources, whose `Queues` are queue
// URLs (`Ref` of a queue gives its URL) and whose PolicyDocument becomes the Policy attribute of each queue
// it lists, as CloudFormation sets it. A queue in two QueuePolicy resources gets the last one's, since each
// replaces the attribute. What other services may deliver to a queue depends on it (iam/delivery-policy.ts).
import type { ServiceDefinition } from '../../config/service-definition';
import { declaredPolicies } from '../../iam/delivery-policy';
import type { Account } from './declared-queues';

export const QUEUE_POLICY_TYPE = 'AWS::SQS::QueuePolicy';

export interface DeclaredQueuePolicies {
  /** The Policy attribute (JSON text) by queue name. */
  byQueue: Map<string, string>;
  warnings: string[];
}

export function declaredQueuePolicies(service: ServiceDefinition, account: Account): DeclaredQueuePolicies {
  const { byKey, warnings } = declaredPolicies(service, account, {
    type: QUEUE_POLICY_TYPE,
    listProperty: 'Queues',
    noun: 'queue',
    keyOf: queueNameOfUrl,
  });
  return { byQueue: byKey, warnings };
}

/** `https://sqs.<region>.amazonaws.com/<account>/<name>` (or local-cloud's form) → `<name>`. */
function queueNameOfUrl(url: string): string {
  return url.replace(/\/+$/, '').split('/').pop() ?? url;
}
