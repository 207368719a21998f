// The policies a service declares for its topics: AWS::SNS::TopicPolicy resources, whose `Topics` are topic
// ARNs (`Ref` of a topic gives its ARN) and whose PolicyDocument replaces the default policy of each topic it
// lists, as CloudFormation sets the topic's Policy attribute. What other services may publish to a topic
// depends on it (iam/delivery-policy.ts).
import type { ServiceDefinition } from '../../config/service-definition';
import { resolveValue, resourcesOfType } from '../../cloudformation/values';
import { policyReferences, resolvePolicyDocument } from '../../iam/delivery-policy';
import type { Account } from './declared-topics';

export const TOPIC_POLICY_TYPE = 'AWS::SNS::TopicPolicy';

export interface DeclaredTopicPolicies {
  /** The Policy attribute (JSON text) by topic ARN. */
  byTopic: Map<string, string>;
  warnings: string[];
}

export function declaredTopicPolicies(service: ServiceDefinition, account: Account): DeclaredTopicPolicies {
  const byTopic = new Map<string, string>();
  const warnings: string[] = [];
  const resources = resourcesOfType(service.resources, TOPIC_POLICY_TYPE);
  if (resources.length === 0) return { byTopic, warnings };
  const context = policyReferences(service, account);
  for (const { logicalId, properties } of resources) {
    const where = `resources.Resources.${logicalId}.Properties`;
    const resolved = resolvePolicyDocument(properties.PolicyDocument, `${where}.PolicyDocument`, context);
    warnings.push(...resolved.warnings);
    const topics: unknown[] = Array.isArray(properties.Topics) ? properties.Topics : [];
    if (topics.length === 0) warnings.push(`${where}.Topics lists no topic: the policy applies to none`);
    topics.forEach((topic, index) => {
      const arn = resolveValue(topic, context);
      if ('unresolved' in arn) {
        warnings.push(`${where}.Topics[${index}]: ${arn.unresolved}; the policy is not set on it`);
        return;
      }
      if (resolved.policy !== undefined) byTopic.set(arn.value, resolved.policy);
    });
  }
  return { byTopic, warnings };
}
