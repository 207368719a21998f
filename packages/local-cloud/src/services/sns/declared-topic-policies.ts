// The policies a service declares for its topics: AWS::SNS::TopicPolicy resources, whose `Topics` are topic
// ARNs (`Ref` of a topic gives its ARN) and whose PolicyDocument replaces the default policy of each topic it
// lists, as CloudFormation sets the topic's Policy attribute. What other services may publish to a topic
// depends on it (iam/delivery-policy.ts).
import type { ServiceDefinition } from '../../config/service-definition';
import { declaredPolicies } from '../../iam/delivery-policy';
import type { Account } from './declared-topics';

export const TOPIC_POLICY_TYPE = 'AWS::SNS::TopicPolicy';

export interface DeclaredTopicPolicies {
  /** The Policy attribute (JSON text) by topic ARN. */
  byTopic: Map<string, string>;
  warnings: string[];
}

export function declaredTopicPolicies(service: ServiceDefinition, account: Account): DeclaredTopicPolicies {
  const { byKey, warnings } = declaredPolicies(service, account, {
    type: TOPIC_POLICY_TYPE,
    listProperty: 'Topics',
    noun: 'topic',
    keyOf: (arn) => arn,
  });
  return { byTopic: byKey, warnings };
}
