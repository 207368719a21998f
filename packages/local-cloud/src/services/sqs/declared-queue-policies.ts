// The policies a service declares for its queues: AWS::SQS::QueuePolicy resources, whose `Queues` are queue
// URLs (`Ref` of a queue gives its URL) and whose PolicyDocument becomes the Policy attribute of each queue
// it lists, as CloudFormation sets it. A queue in two QueuePolicy resources gets the last one's, since each
// replaces the attribute. What other services may deliver to a queue depends on it (iam/delivery-policy.ts).
import type { ServiceDefinition } from '../../config/service-definition';
import { resolveValue, resourcesOfType } from '../../cloudformation/values';
import { policyReferences, resolvePolicyDocument, type ResolvedPolicy } from '../../iam/delivery-policy';
import type { Account } from './declared-queues';

export const QUEUE_POLICY_TYPE = 'AWS::SQS::QueuePolicy';

export interface DeclaredQueuePolicies {
  /** The Policy attribute (JSON text) by queue name. */
  byQueue: Map<string, string>;
  warnings: string[];
}

export function declaredQueuePolicies(service: ServiceDefinition, account: Account): DeclaredQueuePolicies {
  const byQueue = new Map<string, string>();
  const warnings: string[] = [];
  const resources = resourcesOfType(service.resources, QUEUE_POLICY_TYPE);
  if (resources.length === 0) return { byQueue, warnings };
  const context = policyReferences(service, account);
  for (const { logicalId, properties } of resources) {
    const where = `resources.Resources.${logicalId}.Properties`;
    const resolved: ResolvedPolicy = resolvePolicyDocument(
      properties.PolicyDocument,
      `${where}.PolicyDocument`,
      context,
    );
    warnings.push(...resolved.warnings);
    const queues: unknown[] = Array.isArray(properties.Queues) ? properties.Queues : [];
    if (queues.length === 0) warnings.push(`${where}.Queues lists no queue: the policy applies to none`);
    queues.forEach((queue, index) => {
      const url = resolveValue(queue, context);
      if ('unresolved' in url) {
        warnings.push(`${where}.Queues[${index}]: ${url.unresolved}; the policy is not set on it`);
        return;
      }
      if (resolved.policy !== undefined) byQueue.set(queueNameOfUrl(url.value), resolved.policy);
    });
  }
  return { byQueue, warnings };
}

/** `https://sqs.<region>.amazonaws.com/<account>/<name>` (or local-cloud's form) → `<name>`. */
function queueNameOfUrl(url: string): string {
  return url.replace(/\/+$/, '').split('/').pop() ?? url;
}
