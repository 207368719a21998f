// The IAM authorization requests one SNS call makes, as AWS evaluates them ("Actions, resources, and condition
// keys for Amazon SNS", Service Authorization Reference): topic actions on the topic's ARN
// (`arn:aws:sns:<region>:<account>:<topic>`), subscription actions and listings on `*` (the reference lists no
// resource type for them), and sns:Protocol / sns:Endpoint for Subscribe. The input is what local-cloud's SNS
// has at dispatch: the Query protocol's `Action` and its form parameters.
import type { AuthorizationRequest } from '../policy-types';

/** The request's form parameters: the service's Map, or URLSearchParams. */
export interface SnsParameters {
  get(name: string): string | null | undefined;
}

type Target = { region: string; accountId: string };

export function snsAuthorizationRequests(
  operation: string,
  parameters: SnsParameters,
  target: Target,
): AuthorizationRequest[] {
  const request = (action: string, resource: string, context: AuthorizationRequest['context'] = {}) => [
    { action: `sns:${action}`, resource, context },
  ];
  const given = (name: string) => parameters.get(name) ?? undefined;
  switch (operation) {
    case 'CreateTopic': {
      // Tags given at creation are also sns:TagResource (CreateTopic's row of the reference).
      const topic = topicArn(given('Name'), target);
      const tagged = given('Tags.member.1.Key') !== undefined;
      return [...request('CreateTopic', topic), ...(tagged ? request('TagResource', topic) : [])];
    }
    case 'Publish':
      // A PhoneNumber (SMS) names no topic.
      return request('Publish', given('TopicArn') ?? given('TargetArn') ?? '*');
    case 'PublishBatch':
      // "sns:Publish: Grants permission to both publish and publish batch to a topic".
      return request('Publish', given('TopicArn') ?? '*');
    case 'Subscribe':
      return request('Subscribe', given('TopicArn') ?? '*', subscribeContext(given));
    case 'TagResource':
    case 'UntagResource':
    case 'ListTagsForResource':
      return request(operation, given('ResourceArn') ?? '*');
    default:
      if (TOPIC_ACTIONS.has(operation)) return request(operation, given('TopicArn') ?? '*');
      return request(operation, '*');
  }
}

/** Actions on one topic, named by TopicArn (ConfirmSubscription's topic is the one confirmed). */
const TOPIC_ACTIONS = new Set([
  'DeleteTopic',
  'GetTopicAttributes',
  'SetTopicAttributes',
  'ListSubscriptionsByTopic',
  'AddPermission',
  'RemovePermission',
  'ConfirmSubscription',
  'GetDataProtectionPolicy',
  'PutDataProtectionPolicy',
]);

function topicArn(name: string | undefined, target: Target): string {
  return name ? `arn:aws:sns:${target.region}:${target.accountId}:${name}` : '*';
}

function subscribeContext(given: (name: string) => string | undefined): AuthorizationRequest['context'] {
  const protocol = given('Protocol');
  const endpoint = given('Endpoint');
  return {
    ...(protocol === undefined ? {} : { 'sns:Protocol': protocol }),
    ...(endpoint === undefined ? {} : { 'sns:Endpoint': endpoint }),
  };
}
