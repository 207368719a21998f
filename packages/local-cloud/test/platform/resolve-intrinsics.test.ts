// CloudFormation references in function environments, resolved to what the deployed resources give.
import { environmentResolver, intrinsicOf, localResources } from '../../src/platform';
import { serviceDefinition } from '../support/function-definition';

const ACCOUNT = '123456789012';

const service = serviceDefinition({
  service: 'refs',
  servicePath: '/tmp/refs',
  provider: { region: 'eu-west-1' },
  functions: {
    notify: { events: [{ sns: 'alerts' }] },
    hello: { events: [{ websocket: '$default' }] },
  },
  resources: {
    ImagesTable: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: 'refs-images',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      },
    },
    PhotosBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'refs-photos' } },
    UnnamedBucket: { Type: 'AWS::S3::Bucket' },
    EventsTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'refs-events' } },
    ApiKey: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'refs/api-key' } },
    Origin: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/refs/origin', Type: 'String', Value: 'x' } },
    Queue: { Type: 'AWS::SQS::Queue' },
    Events: { Type: 'AWS::Kinesis::Stream' },
  },
});

const input = {
  service,
  region: 'eu-west-1',
  accountId: ACCOUNT,
  streamArns: {
    ImagesTable: 'arn:aws:dynamodb:eu-west-1:123456789012:table/refs-images/stream/2026-01-01T00:00:00.000',
  },
  webSocket: { apiId: 'abcde12345', domainName: '127.0.0.1:3002', stage: 'dev' },
};

/** As `serverless print` leaves them and the normaliser keeps them: intrinsic functions as JSON text. */
const asNormalized = (value: unknown) => JSON.stringify(value);

describe('resolving CloudFormation references in function environments', () => {
  it('gives Ref and Fn::GetAtt the values AWS gives: names for tables, buckets and parameters, ARNs for topics and secrets', () => {
    const resolver = environmentResolver(input);

    const resolved = resolver.resolveEnvironment({
      TABLE: asNormalized({ Ref: 'ImagesTable' }),
      TABLE_ARN: asNormalized({ 'Fn::GetAtt': ['ImagesTable', 'Arn'] }),
      STREAM_ARN: asNormalized({ 'Fn::GetAtt': ['ImagesTable', 'StreamArn'] }),
      BUCKET: asNormalized({ Ref: 'PhotosBucket' }),
      BUCKET_ARN: asNormalized({ 'Fn::GetAtt': 'PhotosBucket.Arn' }),
      TOPIC: asNormalized({ Ref: 'EventsTopic' }),
      TOPIC_NAME: asNormalized({ 'Fn::GetAtt': ['EventsTopic', 'TopicName'] }),
      FRAMEWORK_TOPIC: asNormalized({ Ref: 'SNSTopicAlerts' }),
      SECRET: asNormalized({ Ref: 'ApiKey' }),
      PARAMETER: asNormalized({ Ref: 'Origin' }),
      FUNCTION: asNormalized({ Ref: 'NotifyLambdaFunction' }),
      FUNCTION_ARN: asNormalized({ 'Fn::GetAtt': ['NotifyLambdaFunction', 'Arn'] }),
      PLAIN: 'just text',
    });

    expect(resolved).toEqual({
      TABLE: 'refs-images',
      TABLE_ARN: 'arn:aws:dynamodb:eu-west-1:123456789012:table/refs-images',
      STREAM_ARN: input.streamArns.ImagesTable,
      BUCKET: 'refs-photos',
      BUCKET_ARN: 'arn:aws:s3:::refs-photos',
      TOPIC: 'arn:aws:sns:eu-west-1:123456789012:refs-events',
      TOPIC_NAME: 'refs-events',
      FRAMEWORK_TOPIC: 'arn:aws:sns:eu-west-1:123456789012:alerts',
      SECRET: expect.stringMatching(
        /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:refs\/api-key-[A-Za-z0-9]{6}$/,
      ) as unknown,
      PARAMETER: '/refs/origin',
      FUNCTION: 'refs-dev-notify',
      FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:refs-dev-notify',
      PLAIN: 'just text',
    });
    expect(resolver.warnings).toEqual([]);
  });

  it('names a bucket declared without BucketName as CloudFormation would, the same at every start', () => {
    const first = localResources(input).UnnamedBucket!.ref;

    expect(first).toMatch(/^refs-dev-unnamedbucket-[0-9a-f]{12}$/);
    expect(localResources(input).UnnamedBucket!.ref).toBe(first);
  });

  it('evaluates Fn::Sub and Fn::Join over references and pseudo parameters', () => {
    const resolver = environmentResolver(input);

    const resolved = resolver.resolveEnvironment({
      SUB: asNormalized({ 'Fn::Sub': '${AWS::Region}/${ImagesTable}/${EventsTopic.TopicName}/${!Literal}' }),
      SUB_VARIABLES: asNormalized({ 'Fn::Sub': ['s3://${Bucket}/in', { Bucket: { Ref: 'PhotosBucket' } }] }),
      JOIN: asNormalized({ 'Fn::Join': [':', [{ Ref: 'AWS::AccountId' }, { Ref: 'PhotosBucket' }, 'x']] }),
    });

    expect(resolved).toEqual({
      SUB: 'eu-west-1/refs-images/refs-events/${Literal}',
      SUB_VARIABLES: 's3://refs-photos/in',
      JOIN: '123456789012:refs-photos:x',
    });
  });

  it('points the WebSocket API management endpoint built as on AWS at the local API', () => {
    const resolver = environmentResolver(input);

    const resolved = resolver.resolveEnvironment({
      API_ID: asNormalized({ Ref: 'WebsocketsApi' }),
      ENDPOINT: asNormalized({
        'Fn::Join': [
          '',
          [
            'https://',
            { Ref: 'WebsocketsApi' },
            '.execute-api.',
            { Ref: 'AWS::Region' },
            '.amazonaws.com/dev',
          ],
        ],
      }),
      WSS: asNormalized({ 'Fn::GetAtt': ['WebsocketsApi', 'ApiEndpoint'] }),
    });

    expect(resolved).toEqual({
      API_ID: 'abcde12345',
      ENDPOINT: 'https://127.0.0.1:3002/dev',
      WSS: 'wss://127.0.0.1:3002',
    });
  });

  it('keeps a reference to something local-cloud does not create as its text, and warns once with the fix', () => {
    const resolver = environmentResolver(input);
    const environment = { STREAM: asNormalized({ Ref: 'Events' }) };

    const first = resolver.resolveEnvironment(environment, 'functions.notify.environment');
    const second = resolver.resolveEnvironment(environment, 'functions.hello.environment');

    expect(first).toEqual({ STREAM: '{"Ref":"Events"}' });
    expect(second).toEqual(first);
    expect(resolver.warnings).toEqual([
      expect.stringMatching(
        /^functions\.notify\.environment\.STREAM is \{"Ref":"Events"\}, which names nothing local-cloud creates .* Fix: /,
      ) as unknown,
    ]);
  });

  it('treats only one-key Ref / Fn:: objects as references: other JSON in a variable is a value', () => {
    expect(intrinsicOf('{"Ref":"Table"}')).toEqual({ Ref: 'Table' });
    expect(intrinsicOf('{"Fn::ImportValue":"shared-table"}')).toEqual({ 'Fn::ImportValue': 'shared-table' });
    expect(intrinsicOf('{"origins":["http://localhost"]}')).toBeUndefined();
    expect(intrinsicOf('{"Ref":"Table","extra":1}')).toBeUndefined();
    expect(intrinsicOf('{"Ref":')).toBeUndefined();
    expect(intrinsicOf('plain')).toBeUndefined();
  });
});
