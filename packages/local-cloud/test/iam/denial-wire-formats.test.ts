// A function whose role allows nothing of a service gets that service's own access-denied error, as the SDK
// throws it on AWS: the exception name, the HTTP status, and the message naming the role session, the action
// (in each service's spelling) and the resource. Signed as the function with credentialsOf(key), as its
// sandbox signs.
import path from 'node:path';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { start, type LocalCloud } from '../../src';
import { serviceDefinition } from '../support/function-definition';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/denials-dev-us-east-1-lambdaRole/denials-dev-nothing`;
const denied = (action: string, resource: string, shown = action) =>
  `User: ${SESSION} is not authorized to perform: ${shown} on resource: ${resource} because no identity-based policy allows the ${shown} action`;

let cloud: LocalCloud;
let config: { endpoint: string; region: string; credentials: ReturnType<LocalCloud['credentialsOf']> };

beforeAll(async () => {
  cloud = await start({
    inMemory: true,
    service: serviceDefinition({
      service: 'denials',
      servicePath: path.resolve(__dirname, '../fixtures/iam'),
      functions: { nothing: { handler: 'src/images.getImage' } },
      resources: {
        Alerts: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'denials-alerts' } },
        Jobs: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'denials-jobs' } },
        Clicks: { Type: 'AWS::Kinesis::Stream', Properties: { Name: 'denials-clicks', ShardCount: 1 } },
        Key: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'denials/key', SecretString: 'x' } },
        Greeting: {
          Type: 'AWS::SSM::Parameter',
          Properties: { Name: '/denials/greeting', Type: 'String', Value: 'hi' },
        },
        Flow: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            StateMachineName: 'denials-flow',
            Definition: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } },
          },
        },
      },
    }),
  });
  config = { endpoint: cloud.lambdaEndpoint, region: REGION, credentials: cloud.credentialsOf('nothing') };
}, 60_000);

afterAll(() => cloud?.stop());

function failure(error: unknown) {
  const thrown = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
  return { name: thrown.name, status: thrown.$metadata?.httpStatusCode, message: thrown.message };
}

async function refusal(call: Promise<unknown>) {
  return call.then(
    () => 'allowed',
    (error: unknown) => failure(error),
  );
}

describe("each service's access-denied error", () => {
  it('SNS: 403 AuthorizationError, with the action spelled SNS:Publish', async () => {
    const topic = `arn:aws:sns:${REGION}:${ACCOUNT}:denials-alerts`;
    const client = new SNSClient(config);
    expect(await refusal(client.send(new PublishCommand({ TopicArn: topic, Message: 'm' })))).toEqual({
      name: 'AuthorizationErrorException',
      status: 403,
      message: denied('sns:Publish', topic, 'SNS:Publish'),
    });
  });

  it('SQS (JSON protocol): 403 AccessDenied, with the action in lower case', async () => {
    const client = new SQSClient(config);
    const queue = `arn:aws:sqs:${REGION}:${ACCOUNT}:denials-jobs`;
    const queueUrl = `${cloud.lambdaEndpoint}/${ACCOUNT}/denials-jobs`;
    expect(
      await refusal(client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'm' }))),
    ).toEqual({
      name: 'AccessDenied',
      status: 403,
      message: denied('sqs:SendMessage', queue, 'sqs:sendmessage'),
    });
  });

  it('SQS (Query protocol, SDK v2): the same AccessDenied', async () => {
    // Loaded here, its end-of-support notice silenced first (it prints one at load otherwise).
    process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
    const { default: AWS } = await import('aws-sdk');
    const v2 = new AWS.SQS({
      endpoint: cloud.lambdaEndpoint,
      region: REGION,
      credentials: new AWS.Credentials(config.credentials),
      maxRetries: 0,
    });
    const error = await v2
      .sendMessage({ QueueUrl: `${cloud.lambdaEndpoint}/${ACCOUNT}/denials-jobs`, MessageBody: 'm' })
      .promise()
      .then(
        () => undefined,
        (thrown: { code: string; statusCode: number; message: string }) => thrown,
      );
    expect(error).toMatchObject({ code: 'AccessDenied', statusCode: 403 });
    expect(error?.message).toContain('is not authorized to perform: sqs:sendmessage');
  });

  it.each([
    [
      'Kinesis',
      () =>
        new KinesisClient(config).send(
          new PutRecordCommand({ StreamName: 'denials-clicks', PartitionKey: 'k', Data: Buffer.from('d') }),
        ),
      'kinesis:PutRecord',
      `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/denials-clicks`,
    ],
    [
      'EventBridge',
      () =>
        new EventBridgeClient(config).send(
          new PutEventsCommand({ Entries: [{ Source: 'app', DetailType: 'thing', Detail: '{}' }] }),
        ),
      'events:PutEvents',
      `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`,
    ],
    [
      'Step Functions',
      () =>
        new SFNClient(config).send(
          new StartExecutionCommand({
            stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:denials-flow`,
          }),
        ),
      'states:StartExecution',
      `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:denials-flow`,
    ],
    [
      'SSM',
      () => new SSMClient(config).send(new GetParameterCommand({ Name: '/denials/greeting' })),
      'ssm:GetParameter',
      `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/denials/greeting`,
    ],
  ])('%s: 400 AccessDeniedException', async (_service, call, action, resource) => {
    expect(await refusal(call())).toEqual({
      name: 'AccessDeniedException',
      status: 400,
      message: denied(action, resource),
    });
  });

  it('Secrets Manager: 400 AccessDeniedException on the secret’s ARN, suffix included', async () => {
    const result = await refusal(
      new SecretsManagerClient(config).send(new GetSecretValueCommand({ SecretId: 'denials/key' })),
    );
    expect(result).toMatchObject({ name: 'AccessDeniedException', status: 400 });
    expect((result as { message: string }).message).toMatch(
      /is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:123456789012:secret:denials\/key-[A-Za-z0-9]{6} because/,
    );
  });

  it('Lambda: 403 AccessDeniedException for lambda:InvokeFunction', async () => {
    const fn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:denials-dev-nothing`;
    expect(
      await refusal(
        new LambdaClient(config).send(new InvokeCommand({ FunctionName: 'denials-dev-nothing' })),
      ),
    ).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: denied('lambda:InvokeFunction', fn),
    });
  });
});
