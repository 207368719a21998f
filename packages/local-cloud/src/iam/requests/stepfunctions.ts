// The IAM authorization requests one Step Functions call makes, as AWS evaluates them ("Actions, resources, and
// condition keys for AWS Step Functions", Service Authorization Reference): state machine actions on
// `arn:aws:states:<region>:<account>:stateMachine:<name>`, execution actions on the execution's ARN, task
// token callbacks (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat) on `*`, and iam:PassRole on the role a
// state machine is created or updated with. The input is what local-cloud's Step Functions has at dispatch:
// the operation of `X-Amz-Target: AWSStepFunctions.<Operation>` and the parsed JSON body.
import type { AuthorizationRequest } from '../policy-types';

type Target = { region: string; accountId: string };
type Input = Record<string, unknown>;

const MACHINE_ACTIONS = new Set([
  'DescribeStateMachine',
  'UpdateStateMachine',
  'DeleteStateMachine',
  'StartExecution',
  'StartSyncExecution',
  'ListExecutions',
  'PublishStateMachineVersion',
  'ListStateMachineVersions',
]);

const EXECUTION_ACTIONS = new Set([
  'DescribeExecution',
  'StopExecution',
  'GetExecutionHistory',
  'DescribeStateMachineForExecution',
  'RedriveExecution',
]);

export function stepfunctionsAuthorizationRequests(
  operation: string,
  input: Input,
  target: Target,
): AuthorizationRequest[] {
  const request: AuthorizationRequest = {
    action: `states:${operation}`,
    resource: resourceOf(operation, input, target),
    context: {},
  };
  const role = text(input.roleArn);
  const passesRole = operation === 'CreateStateMachine' || operation === 'UpdateStateMachine';
  return passesRole && role ? [request, passRole(role)] : [request];
}

function resourceOf(operation: string, input: Input, target: Target): string {
  if (operation === 'CreateStateMachine') {
    const name = text(input.name);
    return name ? `arn:aws:states:${target.region}:${target.accountId}:stateMachine:${name}` : '*';
  }
  if (MACHINE_ACTIONS.has(operation)) return text(input.stateMachineArn) ?? '*';
  if (EXECUTION_ACTIONS.has(operation)) return text(input.executionArn) ?? '*';
  // ListStateMachines, SendTask*, and the unknown.
  return '*';
}

/** "Dependent actions": the state machine's role is passed to Step Functions. */
function passRole(role: string): AuthorizationRequest {
  return {
    action: 'iam:PassRole',
    resource: role,
    context: { 'iam:PassedToService': 'states.amazonaws.com' },
  };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
