// The IAM authorization requests one EventBridge call makes, as AWS evaluates them ("Actions, resources, and
// condition keys for Amazon EventBridge", Service Authorization Reference): PutEvents on each entry's bus
// (`arn:aws:events:<region>:<account>:event-bus/<name>`, the default bus when none is named) with
// events:source and events:detail-type, rules on `rule/<name>` (default bus) or `rule/<bus>/<name>`, and
// PutTargets' iam:PassRole for each target's RoleArn. The input is what local-cloud's EventBridge has at
// dispatch: the operation of `X-Amz-Target: AWSEvents.<Operation>` and the parsed JSON body.
import type { AuthorizationRequest } from '../policy-types';

type Target = { region: string; accountId: string };
type Input = Record<string, unknown>;

const DEFAULT_BUS = 'default';

export function eventbridgeAuthorizationRequests(
  operation: string,
  input: Input,
  target: Target,
): AuthorizationRequest[] {
  const request = (resource: string): AuthorizationRequest[] => [
    { action: `events:${operation}`, resource, context: {} },
  ];
  switch (operation) {
    case 'PutEvents':
      return putEvents(input, target);
    case 'CreateEventBus':
    case 'DeleteEventBus':
    case 'DescribeEventBus':
      return request(busArn(input.Name, target));
    case 'PutRule':
    case 'DescribeRule':
    case 'DeleteRule':
    case 'EnableRule':
    case 'DisableRule':
      return request(ruleArn(input.Name, input.EventBusName, target));
    case 'ListTargetsByRule':
    case 'RemoveTargets':
      return request(ruleArn(input.Rule, input.EventBusName, target));
    case 'PutTargets':
      return [...request(ruleArn(input.Rule, input.EventBusName, target)), ...passRoles(input.Targets)];
    case 'TagResource':
    case 'UntagResource':
    case 'ListTagsForResource':
      return request(typeof input.ResourceARN === 'string' ? input.ResourceARN : '*');
    default:
      // ListEventBuses, ListRules, ListRuleNamesByTarget, TestEventPattern and the unknown: no resource.
      return request('*');
  }
}

/** One request per entry, on its bus, with its source and detail type (single-valued keys, as arrays). */
function putEvents(input: Input, target: Target): AuthorizationRequest[] {
  const entries = Array.isArray(input.Entries) ? input.Entries : [];
  const seen = new Set<string>();
  const requests: AuthorizationRequest[] = [];
  for (const entry of entries.map(record)) {
    const context: AuthorizationRequest['context'] = {
      ...(typeof entry.Source === 'string' ? { 'events:source': [entry.Source] } : {}),
      ...(typeof entry.DetailType === 'string' ? { 'events:detail-type': [entry.DetailType] } : {}),
    };
    const request = { action: 'events:PutEvents', resource: busArn(entry.EventBusName, target), context };
    const identity = JSON.stringify(request);
    if (seen.has(identity)) continue;
    seen.add(identity);
    requests.push(request);
  }
  return requests;
}

/** A bus named by name or ARN; absent or empty: the default bus. */
function busArn(nameOrArn: unknown, target: Target): string {
  if (typeof nameOrArn === 'string' && nameOrArn.startsWith('arn:')) return nameOrArn;
  return `arn:aws:events:${target.region}:${target.accountId}:event-bus/${busName(nameOrArn)}`;
}

function busName(nameOrArn: unknown): string {
  if (typeof nameOrArn !== 'string' || nameOrArn === '') return DEFAULT_BUS;
  const at = nameOrArn.indexOf(':event-bus/');
  return at === -1 ? nameOrArn : nameOrArn.slice(at + ':event-bus/'.length);
}

/** A rule of the default bus is `rule/<name>`; of another bus, `rule/<bus>/<name>`. */
function ruleArn(name: unknown, bus: unknown, target: Target): string {
  if (typeof name !== 'string' || name === '') return '*';
  const busSegment = busName(bus) === DEFAULT_BUS ? '' : `${busName(bus)}/`;
  return `arn:aws:events:${target.region}:${target.accountId}:rule/${busSegment}${name}`;
}

/** "Dependent actions" of PutTargets: passing each target's role to EventBridge. */
function passRoles(targets: unknown): AuthorizationRequest[] {
  const roles = (Array.isArray(targets) ? targets : [])
    .map((item) => record(item).RoleArn)
    .filter((role): role is string => typeof role === 'string');
  return [...new Set(roles)].map((role) => ({
    action: 'iam:PassRole',
    resource: role,
    context: { 'iam:PassedToService': 'events.amazonaws.com' },
  }));
}

function record(value: unknown): Input {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Input) : {};
}
