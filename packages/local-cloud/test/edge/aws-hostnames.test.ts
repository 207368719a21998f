// Code that calls AWS's own hostnames reaches local-cloud from a sandbox: the AWS SDK v2 (which ignores
// AWS_ENDPOINT_URL), a v3 client given AWS's endpoint, the WebSocket management API at the URL built from the
// API id, and a service local-cloud does not emulate answers at once instead of timing out. The calls go over
// TLS to the AWS endpoint, trusted through local-cloud's certificate authority, with their Host and signature
// unchanged.
import path from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { start, type LocalCloud } from '../../src';
import { hostService } from '../../src/edge/route-request';
import { serviceDefinition } from '../support/function-definition';

const SERVICE_PATH = path.join(__dirname, '..', 'fixtures', 'aws-hostnames');
const REGION = 'eu-west-1';

describe('the AWS service an AWS hostname names', () => {
  it.each([
    ['sqs.us-east-1.amazonaws.com', 'sqs'],
    ['s3.eu-west-1.amazonaws.com', 's3'],
    ['my-bucket.s3.amazonaws.com', 's3'],
    ['my.bucket.s3-eu-west-1.amazonaws.com:443', 's3'],
    ['a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com', 'execute-api'],
    ['streams.dynamodb.eu-west-1.amazonaws.com', 'dynamodbstreams'],
    ['dynamodb.cn-north-1.amazonaws.com.cn', 'dynamodb'],
    ['127.0.0.1:3001', undefined],
    ['amazonaws.com.evil.example', undefined],
  ])('%s is %s', (host, service) => {
    expect(hostService(host)).toBe(service);
  });
});

describe('a sandbox calling AWS hostnames', () => {
  let cloud: LocalCloud;

  beforeAll(async () => {
    cloud = await start({
      service: serviceDefinition({
        service: 'hostnames',
        servicePath: SERVICE_PATH,
        // sdk-v2's role: the calls it makes, each on its resource (local-cloud enforces IAM, as AWS does).
        provider: {
          region: REGION,
          iamRole: {
            statements: [
              {
                Effect: 'Allow',
                Action: ['s3:PutObject', 's3:GetObject'],
                Resource: 'arn:aws:s3:::hostnames-photos/*',
              },
              {
                Effect: 'Allow',
                Action: ['dynamodb:PutItem', 'dynamodb:GetItem'],
                Resource: `arn:aws:dynamodb:${REGION}:123456789012:table/hostnames-notes`,
              },
              { Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: 'Alerts' } },
              {
                Effect: 'Allow',
                Action: 'ssm:GetParameter',
                Resource: `arn:aws:ssm:${REGION}:123456789012:parameter/hostnames/greeting`,
              },
              {
                Effect: 'Allow',
                Action: 'execute-api:ManageConnections',
                Resource: `arn:aws:execute-api:${REGION}:123456789012:*/@connections/*`,
              },
              { Effect: 'Allow', Action: ['sqs:ListQueues', 'events:ListRules'], Resource: '*' },
            ],
          },
        },
        functions: {
          'sdk-v2': {
            timeout: 20,
            handler: 'src/sdk-v2.handler',
            // As the framework passes it: the CloudFormation reference, as JSON text, resolved at start.
            environment: { REST_API_ID: '{"Ref":"ApiGatewayRestApi"}' },
          },
          ping: {
            handler: 'src/connect.handler',
            httpEvents: [{ method: 'GET', path: '/ping', requestSchemas: {} }],
          },
          connect: { handler: 'src/connect.handler', events: [{ websocket: { route: '$connect' } }] },
        },
        resources: {
          Photos: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'hostnames-photos' } },
          Notes: {
            Type: 'AWS::DynamoDB::Table',
            Properties: {
              TableName: 'hostnames-notes',
              AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
              KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
              BillingMode: 'PAY_PER_REQUEST',
            },
          },
          Alerts: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'hostnames-alerts' } },
          Jobs: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'hostnames-jobs' } },
          Greeting: {
            Type: 'AWS::SSM::Parameter',
            Properties: { Name: '/hostnames/greeting', Type: 'String', Value: 'hello from SSM' },
          },
        },
      }),
      inMemory: true,
    });
  }, 120_000);

  afterAll(async () => {
    await cloud?.stop();
  });

  it('reaches S3, DynamoDB, SNS, SQS, SSM, the REST and management APIs, EventBridge, and hears at once about CloudWatch Logs', async () => {
    const lambda = new LambdaClient({
      endpoint: cloud.lambdaEndpoint,
      region: REGION,
      credentials: cloud.credentials,
    });
    const response = await lambda.send(
      new InvokeCommand({
        FunctionName: 'hostnames-dev-sdk-v2',
        Payload: JSON.stringify({
          bucket: 'hostnames-photos',
          table: 'hostnames-notes',
          topicArn: cloud.platform.resources.Alerts!.ref,
          parameter: '/hostnames/greeting',
          webSocketApiId: cloud.platform.services.webSocket!.apiId,
          stage: 'dev',
        }),
      }),
    );
    const result = JSON.parse(Buffer.from(response.Payload!).toString()) as Record<string, unknown>;

    expect(response.FunctionError).toBeUndefined();
    const matching = (pattern: RegExp): unknown => expect.stringMatching(pattern);
    expect(result).toEqual({
      object: 'from the SDK v2',
      // Signed for the AWS endpoint, path style, SigV4: usable by a browser, as on AWS.
      presignedGet: matching(
        new RegExp(`^${cloud.lambdaEndpoint}/hostnames-photos/v2/hello\\.txt\\?.*X-Amz-Signature=`),
      ),
      item: { id: 'v2', text: 'stored by the SDK v2' },
      messageId: 'string',
      parameter: 'hello from SSM',
      viaExplicit: 'from the SDK v2',
      // The management API answered: no connection has that id.
      posted: 'GoneException',
      // The service's own REST API, at the URL built from Ref: ApiGatewayRestApi.
      restApi: 200,
      unknownApi: matching(
        /^501 [\s\S]*<Code>NotImplemented<\/Code>\s*<Message>no API Gateway API with the id in this host name runs in local-cloud\./,
      ),
      queueUrls: [`${cloud.lambdaEndpoint}/123456789012/hostnames-jobs`],
      events: 'answered with 0 rules',
      logs: matching(
        /^NotImplemented: local-cloud does not emulate the AWS service 'logs' \(named by its X-Amz-Target header\), so its call DescribeLogGroups cannot be served/,
      ),
      logsMs: expect.any(Number) as unknown,
    });
    const presigned = await fetch(result.presignedGet as string);
    expect(await presigned.text()).toBe('from the SDK v2');
    // Not a timeout, nor the SDK's retries of one.
    expect(result.logsMs).toBeLessThan(2_000);
  }, 60_000);
});
