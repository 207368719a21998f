// One endpoint for every AWS API: what the AWS CLI, SDK v3 clients given one URL, and functions given one
// variable (AWS_ENDPOINT_URL) reach; how the edge tells the APIs apart; and what a client of an API local-cloud
// does not run is told.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import {
  CognitoIdentityProviderClient,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ServiceDefinition } from '../../src/config/service-definition';
import { routeRequest } from '../../src/edge';
import { start, type LocalCloud } from '../../src';
import { serviceDefinition } from '../support/function-definition';
import { awsCli } from '../support/aws-cli';

const SERVICE_PATH = path.join(__dirname, '..', 'fixtures', 'edge');
const REGION = 'eu-west-1';

describe('routeRequest', () => {
  const signed = (service: string) => ({
    authorization: `AWS4-HMAC-SHA256 Credential=AKID/20261207/eu-west-1/${service}/aws4_request, SignedHeaders=host, Signature=00`,
  });

  it.each([
    ['DynamoDB_20120810.GetItem', 'dynamodb'],
    ['DynamoDBStreams_20120810.GetRecords', 'dynamodbstreams'],
    ['secretsmanager.GetSecretValue', 'secretsmanager'],
    ['AmazonSSM.GetParameter', 'ssm'],
    ['AWSEvents.PutEvents', 'events'],
  ])(
    'reads X-Amz-Target %s as %s, before the signature (Streams clients sign as dynamodb)',
    (target, api) => {
      expect(routeRequest('/', { 'x-amz-target': target, ...signed('dynamodb') })).toEqual({
        api,
        by: 'target',
        json: true,
        operation: target.split('.')[1],
      });
    },
  );

  it.each(['s3', 'sns', 'lambda', 'sqs'])(
    'reads the signing name %s from the Authorization header',
    (name) => {
      expect(routeRequest('/', signed(name))).toMatchObject({ api: name, by: 'scope', json: false });
    },
  );

  it('treats names of Object’s own properties as the unknown names they are', () => {
    expect(routeRequest('/', { 'x-amz-target': 'constructor.Call' })).toMatchObject({
      api: 's3',
      by: 'default',
    });
    expect(routeRequest('/', signed('__proto__'))).toMatchObject({ api: '__proto__', by: 'scope' });
  });

  it('reads a presigned URL’s scope from its query', () => {
    const credential = encodeURIComponent('AKID/20261207/eu-west-1/s3/aws4_request');
    expect(
      routeRequest(`/photos/cat.jpg?X-Amz-Credential=${credential}&X-Amz-Signature=00`, {}),
    ).toMatchObject({
      api: 's3',
      by: 'scope',
    });
  });

  it('sends an unsigned request to S3 (a browser’s preflight, a public object), or to Lambda on its paths', () => {
    expect(routeRequest('/photos/cat.jpg', { origin: 'http://localhost:5173' })).toMatchObject({
      api: 's3',
      by: 'default',
    });
    expect(routeRequest('/2015-03-31/functions/hello/invocations', {})).toMatchObject({ api: 'lambda' });
  });
});

function edgeService(resources: Record<string, unknown>): ServiceDefinition {
  return serviceDefinition({
    service: 'edge',
    servicePath: SERVICE_PATH,
    // The every-api function's role: exactly the calls it makes (local-cloud enforces IAM, as AWS does).
    provider: {
      region: REGION,
      iamRole: {
        statements: [
          {
            Effect: 'Allow',
            Action: ['s3:ListAllMyBuckets', 'dynamodb:ListTables', 'sns:ListTopics', 'lambda:ListFunctions'],
            Resource: '*',
          },
          {
            Effect: 'Allow',
            Action: 'secretsmanager:GetSecretValue',
            Resource: `arn:aws:secretsmanager:${REGION}:123456789012:secret:edge/api-key-*`,
          },
          {
            Effect: 'Allow',
            Action: 'ssm:GetParameter',
            Resource: `arn:aws:ssm:${REGION}:123456789012:parameter/edge/greeting`,
          },
        ],
      },
    },
    functions: { 'every-api': { memorySize: 256, timeout: 10 } },
    resources,
  });
}

const RESOURCES = {
  Items: {
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      TableName: 'edge-items',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
    },
  },
  Photos: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'edge-photos' } },
  Alerts: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'edge-alerts' } },
  ApiKey: {
    Type: 'AWS::SecretsManager::Secret',
    Properties: { Name: 'edge/api-key', SecretString: 's3cret' },
  },
  Greeting: {
    Type: 'AWS::SSM::Parameter',
    Properties: { Name: '/edge/greeting', Type: 'String', Value: 'hello' },
  },
};

describe('one endpoint for every AWS API', () => {
  let cloud: LocalCloud;
  let home: string;
  const config = () => ({ endpoint: cloud.lambdaEndpoint, region: REGION, credentials: cloud.credentials });

  beforeAll(async () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-edge-cli-'));
    cloud = await start({ service: edgeService(RESOURCES), inMemory: true });
  }, 60_000);

  afterAll(async () => {
    await cloud?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  const aws = awsCli(() => ({
    endpoint: cloud.lambdaEndpoint,
    credentials: cloud.credentials,
    region: REGION,
    home,
  }));

  it('gives the AWS CLI S3 errors it can read: the code and message, not "An error occurred ()"', async () => {
    const failure = (...args: string[]) =>
      aws(...args).then(
        () => '',
        (error: { stderr?: string }) => error.stderr ?? '',
      );

    expect(await failure('s3', 'ls', 's3://edge-missing')).toContain(
      'An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: The specified bucket does not exist',
    );
    expect(
      await failure(
        's3api',
        'get-object',
        '--bucket',
        'edge-photos',
        '--key',
        'missing',
        path.join(home, 'out'),
      ),
    ).toContain(
      'An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist.',
    );
  }, 60_000);

  it('answers the AWS CLI for S3, DynamoDB, SNS, Lambda, Secrets Manager and SSM at one --endpoint-url', async () => {
    const [buckets, tables, topics, functions, secret, secretList, parameter] = await Promise.all([
      aws('s3', 'ls'),
      aws('dynamodb', 'list-tables'),
      aws('sns', 'list-topics'),
      aws('lambda', 'list-functions'),
      aws('secretsmanager', 'get-secret-value', '--secret-id', 'edge/api-key'),
      aws('secretsmanager', 'list-secrets'),
      aws('ssm', 'get-parameter', '--name', '/edge/greeting'),
    ]);

    expect(buckets).toMatch(/ edge-photos\n$/);
    expect(JSON.parse(tables)).toEqual({ TableNames: ['edge-items'] });
    expect(JSON.parse(topics)).toEqual({
      Topics: [{ TopicArn: `arn:aws:sns:${REGION}:123456789012:edge-alerts` }],
    });
    expect(JSON.parse(functions)).toMatchObject({ Functions: [{ FunctionName: 'edge-dev-every-api' }] });
    expect(JSON.parse(secret)).toMatchObject({ Name: 'edge/api-key', SecretString: 's3cret' });
    expect(JSON.parse(secretList)).toEqual({
      SecretList: [
        {
          ARN: expect.stringMatching(
            /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:edge\/api-key-\w{6}$/,
          ) as unknown,
          Name: 'edge/api-key',
          // A number or an ISO date, as the CLI version formats it.
          CreatedDate: expect.anything() as unknown,
          SecretVersionsToStages: {
            [(JSON.parse(secret) as { VersionId: string }).VersionId]: ['AWSCURRENT'],
          },
        },
      ],
    });
    expect(JSON.parse(parameter)).toMatchObject({ Parameter: { Name: '/edge/greeting', Value: 'hello' } });
  }, 60_000);

  it('gives functions one variable, AWS_ENDPOINT_URL, through which clients without configuration reach every API', async () => {
    const lambda = new LambdaClient(config());
    const { Payload, FunctionError } = await lambda.send(
      new InvokeCommand({ FunctionName: 'edge-dev-every-api' }),
    );

    expect(FunctionError).toBeUndefined();
    expect(JSON.parse(Buffer.from(Payload!).toString())).toEqual({
      endpointVariables: ['AWS_ENDPOINT_URL'],
      buckets: ['edge-photos'],
      tables: ['edge-items'],
      topics: [`arn:aws:sns:${REGION}:123456789012:edge-alerts`],
      secret: 's3cret',
      parameter: 'hello',
      functions: ['edge-dev-every-api'],
    });
  }, 30_000);

  it('routes SDK clients given only that URL, DynamoDB Streams included, and writes what they read back', async () => {
    const s3 = new S3Client(config());
    const dynamodb = new DynamoDBClient(config());
    await s3.send(new PutObjectCommand({ Bucket: 'edge-photos', Key: 'cat.txt', Body: 'meow' }));
    await dynamodb.send(new PutItemCommand({ TableName: 'edge-items', Item: { id: { S: 'a' } } }));

    const object = await s3.send(new GetObjectCommand({ Bucket: 'edge-photos', Key: 'cat.txt' }));
    const item = await dynamodb.send(
      new GetItemCommand({ TableName: 'edge-items', Key: { id: { S: 'a' } } }),
    );
    const streams = await new DynamoDBStreamsClient(config()).send(
      new ListStreamsCommand({ TableName: 'edge-items' }),
    );
    const topics = await new SNSClient(config()).send(new ListTopicsCommand({}));

    expect(await object.Body?.transformToString()).toBe('meow');
    expect(item.Item).toEqual({ id: { S: 'a' } });
    expect(streams.Streams?.map((stream) => stream.TableName)).toEqual(['edge-items']);
    expect(topics.Topics).toHaveLength(1);
  });

  it('serves a browser’s presigned upload, preflight included, as S3’s', async () => {
    const url = await getSignedUrl(
      new S3Client(config()),
      new PutObjectCommand({ Bucket: 'edge-photos', Key: 'upload.txt' }),
      { expiresIn: 60 },
    );
    expect(url.startsWith(`${cloud.lambdaEndpoint}/edge-photos/upload.txt?`)).toBe(true);

    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'PUT' },
    });
    const upload = await fetch(url, { method: 'PUT', body: 'uploaded' });

    // The bucket has no CORS rules: S3 refuses the preflight as S3 does, not as another service would.
    expect(preflight.status).toBe(403);
    expect(await preflight.text()).toContain('<Code>AccessForbidden</Code>');
    expect(upload.status).toBe(200);
  });

  it('still verifies each service’s signature: a wrong secret is refused by S3 and DynamoDB in their own words', async () => {
    const wrong = { ...config(), credentials: { ...cloud.credentials, secretAccessKey: 'wrong' } };

    await expect(
      new S3Client(wrong).send(new GetObjectCommand({ Bucket: 'edge-photos', Key: 'cat.txt' })),
    ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    await expect(new DynamoDBClient(wrong).send(new ListTablesCommand({}))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
    });
  });

  it('answers a signature scoped to toString as the unknown service it is', async () => {
    const response = await fetch(`${cloud.lambdaEndpoint}/`, {
      headers: {
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKID/20261207/eu-west-1/toString/aws4_request, SignedHeaders=host, Signature=00',
      },
    });

    expect(response.status).toBe(501);
    expect(await response.text()).toContain(
      '<Code>NotImplemented</Code><Message>local-cloud does not emulate the AWS service &apos;toString&apos; (named by its signature).',
    );
  });

  it('answers an API local-cloud does not emulate with NotImplemented, naming it and what the endpoint serves', async () => {
    const cognito = new CognitoIdentityProviderClient(config());

    await expect(cognito.send(new ListUserPoolsCommand({ MaxResults: 1 }))).rejects.toMatchObject({
      name: 'NotImplemented',
      message:
        "local-cloud does not emulate the AWS service 'cognito-idp' (named by its X-Amz-Target header), so its call ListUserPools cannot be served. This endpoint serves: Lambda, S3, SNS, SQS, DynamoDB, DynamoDB Streams, Secrets Manager, SSM Parameter Store, EventBridge, Step Functions, Kinesis",
      // Not retried: waiting would not change the answer.
      $metadata: { httpStatusCode: 501, attempts: 1 },
    });
  });
});

describe('the endpoint of a service without tables', () => {
  let cloud: LocalCloud;

  beforeAll(async () => {
    cloud = await start({ service: edgeService({}), inMemory: true });
  });

  afterAll(async () => {
    await cloud?.stop();
  });

  it('tells a DynamoDB client why no DynamoDB runs and how to get one', async () => {
    const dynamodb = new DynamoDBClient({
      endpoint: cloud.lambdaEndpoint,
      region: REGION,
      credentials: cloud.credentials,
    });

    await expect(dynamodb.send(new ListTablesCommand({}))).rejects.toMatchObject({
      name: 'NotImplemented',
      $metadata: { httpStatusCode: 501, attempts: 1 },
      message: expect.stringContaining(
        'this service declares no DynamoDB tables, so local-cloud runs no DynamoDB for it. Fix: declare the tables under resources.Resources',
      ) as unknown,
    });
  });
});
