// The IAM authorization requests one SQS call makes, as AWS evaluates them ("Actions, resources, and condition
// keys for Amazon SQS", Service Authorization Reference): queue actions on the queue's ARN
// (`arn:aws:sqs:<region>:<account>:<queue>`), worked out from the QueueUrl (`.../<account>/<queue>`); the
// batch operations are their single actions (SendMessageBatch is sqs:SendMessage, "Amazon SQS API
// permissions: Actions and resource reference"). The input is the JSON protocol's input, which local-cloud's
// SQS has for both protocols: the JSON body of `AmazonSQS.SendMessage`, or the Query protocol's form
// parameters (`Action=SendMessage`) as sqs/query-protocol.ts's queryInput shapes them.
import type { AuthorizationRequest } from '../policy-types';

type Target = { region: string; accountId: string };

export function sqsAuthorizationRequests(
  operation: string,
  input: Record<string, unknown>,
  target: Target,
): AuthorizationRequest[] {
  const single = Object.hasOwn(BATCH_ACTIONS, operation) ? BATCH_ACTIONS[operation] : undefined;
  const action = `sqs:${single ?? operation}`;
  return [{ action, resource: resourceOf(operation, input, target), context: {} }];
}

const BATCH_ACTIONS: Record<string, string> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

function resourceOf(operation: string, input: Record<string, unknown>, target: Target): string {
  const text = (name: string) => (typeof input[name] === 'string' ? input[name] : undefined);
  switch (operation) {
    case 'ListQueues':
      return '*';
    case 'CreateQueue':
      return queueArn(target.region, target.accountId, text('QueueName'));
    case 'GetQueueUrl':
      return queueArn(target.region, text('QueueOwnerAWSAccountId') ?? target.accountId, text('QueueName'));
    case 'StartMessageMoveTask':
    case 'ListMessageMoveTasks':
      return text('SourceArn') ?? '*';
    default: {
      const queueUrl = text('QueueUrl');
      return queueUrl === undefined ? '*' : arnOfQueueUrl(queueUrl, target.region);
    }
  }
}

function queueArn(region: string, accountId: string, name: string | undefined): string {
  return name ? `arn:aws:sqs:${region}:${accountId}:${name}` : '*';
}

/** `http://127.0.0.1:4566/123456789012/orders`, `https://sqs.us-east-1.amazonaws.com/...`, or the path alone. */
function arnOfQueueUrl(queueUrl: string, region: string): string {
  let pathname: string;
  try {
    pathname = new URL(queueUrl, 'http://localhost').pathname;
  } catch {
    return '*';
  }
  const match = /^\/(\d{12})\/([^/]+)\/?$/.exec(pathname);
  if (!match) return '*';
  let name: string;
  try {
    name = decodeURIComponent(match[2]!);
  } catch {
    return '*';
  }
  return queueArn(region, match[1]!, name);
}
