// For each AWS API call local-cloud serves, the IAM authorization requests AWS evaluates (src/iam/requests):
// the action, the resource ARN in AWS's format (checked character for character against the examples of the
// Service Authorization Reference and each service's IAM pages), the condition keys, and the calls that are
// authorized as several requests (transactions, batches, copies, PassRole).
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AuthorizationRequest } from '../../src/iam/policy-types';
import {
  dynamodbAuthorizationRequests,
  eventbridgeAuthorizationRequests,
  executeApiAuthorizationRequests,
  kinesisAuthorizationRequests,
  lambdaAuthorizationRequests,
  s3AuthorizationRequests,
  secretsAuthorizationRequests,
  snsAuthorizationRequests,
  sqsAuthorizationRequests,
  ssmAuthorizationRequests,
  stepfunctionsAuthorizationRequests,
  type S3RequestInput,
} from '../../src/iam/requests';
import { queryInput } from '../../src/services/sqs/query-protocol';
import { createSecretsService } from '../../src/services/secrets/secrets-service';
import { clientConfig, CREDENTIALS, serviceWith, temporaryDirectory } from '../sns/messaging-harness';

// The account and region of AWS's own examples, so their ARNs are compared as printed.
const TARGET = { region: 'us-west-2', accountId: '123456789012' };

/** Action and resource of each request, for the cases where the context is not the point. */
function targets(requests: AuthorizationRequest[]): [string, string][] {
  return requests.map(({ action, resource }) => [action, resource]);
}

describe('every service', () => {
  test('an unknown operation, even one named like an object property, is <prefix>:<Operation> on *', () => {
    for (const operation of ['Frobnicate', 'constructor', '__proto__', 'toString']) {
      const unknown = (prefix: string) => [{ action: `${prefix}:${operation}`, resource: '*', context: {} }];
      expect(dynamodbAuthorizationRequests(operation, {}, TARGET)).toEqual(unknown('dynamodb'));
      expect(
        s3AuthorizationRequests(
          operation,
          { method: 'GET', query: new URLSearchParams(), headers: {} },
          TARGET,
        ),
      ).toEqual(unknown('s3'));
      expect(snsAuthorizationRequests(operation, new Map(), TARGET)).toEqual(unknown('sns'));
      expect(sqsAuthorizationRequests(operation, {}, TARGET)).toEqual(unknown('sqs'));
      expect(eventbridgeAuthorizationRequests(operation, {}, TARGET)).toEqual(unknown('events'));
      expect(kinesisAuthorizationRequests(operation, {}, TARGET)).toEqual(unknown('kinesis'));
      expect(stepfunctionsAuthorizationRequests(operation, {}, TARGET)).toEqual(unknown('states'));
      expect(secretsAuthorizationRequests(operation, {}, TARGET)).toEqual(unknown('secretsmanager'));
      expect(ssmAuthorizationRequests(operation, {}, TARGET)).toEqual(unknown('ssm'));
      expect(lambdaAuthorizationRequests(operation, {}, TARGET)).toEqual(unknown('lambda'));
      expect(
        executeApiAuthorizationRequests(operation, { apiId: 'a', stage: 's', connectionId: 'c' }, TARGET),
      ).toEqual(unknown('execute-api'));
    }
  });
});

describe('DynamoDB', () => {
  const ddb = (operation: string, input: Record<string, unknown>) =>
    dynamodbAuthorizationRequests(operation, input, TARGET);

  test('an item action is on the table, as "Using IAM policy conditions for fine-grained access control"', () => {
    expect(ddb('GetItem', { TableName: 'GameScores', Key: { UserId: { S: 'u-1' } } })).toEqual([
      {
        action: 'dynamodb:GetItem',
        resource: 'arn:aws:dynamodb:us-west-2:123456789012:table/GameScores',
        context: { 'dynamodb:LeadingKeys': ['u-1'], 'dynamodb:Attributes': ['UserId'] },
      },
    ]);
  });

  test('a TableName given as an ARN is the resource as it is', () => {
    const arn = 'arn:aws:dynamodb:us-west-2:123456789012:table/GameScores';
    expect(targets(ddb('DescribeTable', { TableName: arn }))).toEqual([['dynamodb:DescribeTable', arn]]);
  });

  test('Query with IndexName is on table/<t>/index/<i>, with Select and the key condition', () => {
    const [request] = ddb('Query', {
      TableName: 'GameScores',
      IndexName: 'TopScoreDateTimeIndex',
      KeyConditionExpression: '#g = :g AND TopScoreDateTime BETWEEN :a AND :b',
      ExpressionAttributeNames: { '#g': 'GameTitle' },
      ExpressionAttributeValues: { ':g': { S: 'Meteor Blasters' }, ':a': { S: '1' }, ':b': { S: '2' } },
      ProjectionExpression: 'Wins, Losses',
    });
    expect(request).toEqual({
      action: 'dynamodb:Query',
      resource: 'arn:aws:dynamodb:us-west-2:123456789012:table/GameScores/index/TopScoreDateTimeIndex',
      context: {
        'dynamodb:LeadingKeys': ['Meteor Blasters'],
        'dynamodb:Attributes': ['Wins', 'Losses', 'GameTitle', 'TopScoreDateTime'],
        'dynamodb:Select': 'SPECIFIC_ATTRIBUTES',
      },
    });
  });

  test('Select always has a value for Query and Scan: ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES on an index', () => {
    expect(ddb('Scan', { TableName: 'GameScores' })[0]?.context['dynamodb:Select']).toBe('ALL_ATTRIBUTES');
    expect(ddb('Scan', { TableName: 'GameScores', IndexName: 'i' })[0]?.context['dynamodb:Select']).toBe(
      'ALL_PROJECTED_ATTRIBUTES',
    );
    expect(ddb('Query', { TableName: 'GameScores', Select: 'COUNT' })[0]?.context['dynamodb:Select']).toBe(
      'COUNT',
    );
  });

  test('the partition key comes from the key schema when the caller knows it', () => {
    const [request] = dynamodbAuthorizationRequests(
      'UpdateItem',
      {
        TableName: 'GameScores',
        Key: { UserId: { S: 'u-1' }, GameTitle: { S: 'Galaxy Invaders' } },
        UpdateExpression: 'SET TopScore = :s, #w = #w + :one REMOVE Streak.Days[0]',
        ConditionExpression: 'attribute_exists(UserId) AND size(Badges) > :zero',
        ExpressionAttributeNames: { '#w': 'Wins' },
        ReturnValues: 'UPDATED_NEW',
      },
      { ...TARGET, partitionKeyOf: (table) => (table === 'GameScores' ? 'UserId' : undefined) },
    );
    expect(request?.context).toEqual({
      'dynamodb:LeadingKeys': ['u-1'],
      'dynamodb:Attributes': ['UserId', 'GameTitle', 'TopScore', 'Wins', 'Streak', 'Badges'],
      'dynamodb:ReturnValues': 'UPDATED_NEW',
    });
  });

  test('without the key schema a two-attribute key gives no LeadingKeys; ReturnValues defaults to NONE', () => {
    const [request] = ddb('PutItem', {
      TableName: 'GameScores',
      Item: { UserId: { S: 'u-1' }, GameTitle: { S: 'g' }, Wins: { N: '3' } },
    });
    expect(request?.context).toEqual({
      'dynamodb:Attributes': ['UserId', 'GameTitle', 'Wins'],
      'dynamodb:ReturnValues': 'NONE',
    });
  });

  test('TransactWriteItems is each item action on its table, with the enclosing operation', () => {
    const requests = ddb('TransactWriteItems', {
      TransactItems: [
        { Put: { TableName: 'Orders', Item: { id: { S: 'o-1' } } } },
        { Update: { TableName: 'Stock', Key: { sku: { S: 's-1' } }, UpdateExpression: 'SET n = :n' } },
        { Delete: { TableName: 'Carts', Key: { id: { S: 'c-1' } } } },
        {
          ConditionCheck: {
            TableName: 'Users',
            Key: { id: { S: 'u-1' } },
            ConditionExpression: 'active = :t',
          },
        },
      ],
    });
    expect(targets(requests)).toEqual([
      ['dynamodb:PutItem', 'arn:aws:dynamodb:us-west-2:123456789012:table/Orders'],
      ['dynamodb:UpdateItem', 'arn:aws:dynamodb:us-west-2:123456789012:table/Stock'],
      ['dynamodb:DeleteItem', 'arn:aws:dynamodb:us-west-2:123456789012:table/Carts'],
      ['dynamodb:ConditionCheckItem', 'arn:aws:dynamodb:us-west-2:123456789012:table/Users'],
    ]);
    expect(requests.map((request) => request.context['dynamodb:EnclosingOperation'])).toEqual(
      Array(4).fill('TransactWriteItems'),
    );
    expect(requests[3]?.context).toEqual({
      'dynamodb:LeadingKeys': ['u-1'],
      'dynamodb:Attributes': ['id', 'active'],
      'dynamodb:EnclosingOperation': 'TransactWriteItems',
    });
  });

  test('TransactGetItems is dynamodb:GetItem on each table', () => {
    const requests = ddb('TransactGetItems', {
      TransactItems: [
        { Get: { TableName: 'Orders', Key: { id: { S: 'o-1' } } } },
        { Get: { TableName: 'Users', Key: { id: { S: 'u-1' } } } },
      ],
    });
    expect(targets(requests)).toEqual([
      ['dynamodb:GetItem', 'arn:aws:dynamodb:us-west-2:123456789012:table/Orders'],
      ['dynamodb:GetItem', 'arn:aws:dynamodb:us-west-2:123456789012:table/Users'],
    ]);
  });

  test('BatchWriteItem and BatchGetItem are their own action on each table', () => {
    const writes = ddb('BatchWriteItem', {
      RequestItems: {
        Orders: [
          { PutRequest: { Item: { id: { S: 'o-1' } } } },
          { DeleteRequest: { Key: { id: { S: 'o-2' } } } },
        ],
        Carts: [{ DeleteRequest: { Key: { id: { S: 'c-1' } } } }],
      },
    });
    expect(targets(writes)).toEqual([
      ['dynamodb:BatchWriteItem', 'arn:aws:dynamodb:us-west-2:123456789012:table/Orders'],
      ['dynamodb:BatchWriteItem', 'arn:aws:dynamodb:us-west-2:123456789012:table/Carts'],
    ]);
    expect(writes[0]?.context['dynamodb:LeadingKeys']).toEqual(['o-1', 'o-2']);
    const reads = ddb('BatchGetItem', { RequestItems: { Orders: { Keys: [{ id: { S: 'o-1' } }] } } });
    expect(targets(reads)).toEqual([
      ['dynamodb:BatchGetItem', 'arn:aws:dynamodb:us-west-2:123456789012:table/Orders'],
    ]);
  });

  test('PartiQL statements are PartiQLSelect/Insert/Update/Delete by verb, on the table or index they name', () => {
    const statement = (Statement: string) => targets(ddb('ExecuteStatement', { Statement }));
    const music = 'arn:aws:dynamodb:us-west-2:123456789012:table/Music';
    expect(statement('SELECT * FROM "Music" WHERE Artist = ?')).toEqual([['dynamodb:PartiQLSelect', music]]);
    expect(statement(`INSERT INTO Music VALUE {'Artist': 'a'}`)).toEqual([['dynamodb:PartiQLInsert', music]]);
    expect(statement(`update "Music" SET Awards = 1 WHERE Artist = 'a'`)).toEqual([
      ['dynamodb:PartiQLUpdate', music],
    ]);
    expect(statement(`DELETE FROM "Music" WHERE Artist = 'a'`)).toEqual([['dynamodb:PartiQLDelete', music]]);
    expect(statement('SELECT * FROM "Music"."index1"')).toEqual([
      ['dynamodb:PartiQLSelect', `${music}/index/index1`],
    ]);
    expect(
      targets(
        ddb('ExecuteTransaction', {
          TransactStatements: [
            { Statement: `EXISTS(SELECT * FROM "Music" WHERE Artist = 'a')` },
            { Statement: `DELETE FROM "Albums" WHERE Id = 'x'` },
          ],
        }),
      ),
    ).toEqual([
      ['dynamodb:PartiQLSelect', music],
      ['dynamodb:PartiQLDelete', 'arn:aws:dynamodb:us-west-2:123456789012:table/Albums'],
    ]);
  });

  test("Streams: DescribeStream and GetShardIterator on the stream ARN, GetRecords on the iterator's stream", () => {
    const stream = 'arn:aws:dynamodb:us-west-2:123456789012:table/GameScores/stream/2015-05-11T21:21:33.291';
    expect(targets(ddb('DescribeStream', { StreamArn: stream }))).toEqual([
      ['dynamodb:DescribeStream', stream],
    ]);
    expect(targets(ddb('GetShardIterator', { StreamArn: stream, ShardId: 's' }))).toEqual([
      ['dynamodb:GetShardIterator', stream],
    ]);
    // DynamoDB Local's iterator: its own ARN, a `|`, the shard's state.
    const iterator =
      'arn:aws:dynamodb:ddblocal:000000000000:table/GameScores/stream/2015-05-11T21:21:33.291|001|c2hhcmRJZA==';
    expect(targets(ddb('GetRecords', { ShardIterator: iterator }))).toEqual([
      ['dynamodb:GetRecords', stream],
    ]);
    expect(targets(ddb('ListStreams', { TableName: 'GameScores' }))).toEqual([['dynamodb:ListStreams', '*']]);
  });

  test('ListTables names no resource; control-plane operations are on their table or backup', () => {
    expect(targets(ddb('ListTables', {}))).toEqual([['dynamodb:ListTables', '*']]);
    expect(targets(ddb('UpdateTimeToLive', { TableName: 'GameScores' }))).toEqual([
      ['dynamodb:UpdateTimeToLive', 'arn:aws:dynamodb:us-west-2:123456789012:table/GameScores'],
    ]);
    const backup = 'arn:aws:dynamodb:us-west-2:123456789012:table/GameScores/backup/01489173575360-b308cd7d';
    expect(targets(ddb('DescribeBackup', { BackupArn: backup }))).toEqual([
      ['dynamodb:DescribeBackup', backup],
    ]);
    expect(ddb('FrobnicateTable', {})).toEqual([
      { action: 'dynamodb:FrobnicateTable', resource: '*', context: {} },
    ]);
  });
});

describe('S3', () => {
  const s3 = (operation: string, input: Partial<S3RequestInput>) =>
    s3AuthorizationRequests(
      operation,
      { method: 'GET', query: new URLSearchParams(), headers: {}, ...input },
      TARGET,
    );

  test('objects are arn:aws:s3:::<bucket>/<key>, buckets arn:aws:s3:::<bucket>', () => {
    expect(
      targets(s3('PutObject', { method: 'PUT', bucket: 'amzn-s3-demo-bucket', key: 'photos/a b.jpg' })),
    ).toEqual([['s3:PutObject', 'arn:aws:s3:::amzn-s3-demo-bucket/photos/a b.jpg']]);
    expect(targets(s3('HeadBucket', { method: 'HEAD', bucket: 'amzn-s3-demo-bucket' }))).toEqual([
      ['s3:ListBucket', 'arn:aws:s3:::amzn-s3-demo-bucket'],
    ]);
    expect(targets(s3('ListBuckets', {}))).toEqual([['s3:ListAllMyBuckets', '*']]);
  });

  test('HeadObject is s3:GetObject; a versionId makes it s3:GetObjectVersion', () => {
    expect(targets(s3('HeadObject', { method: 'HEAD', bucket: 'b', key: 'k' }))).toEqual([
      ['s3:GetObject', 'arn:aws:s3:::b/k'],
    ]);
    const query = new URLSearchParams('versionId=3HL4kqtJlcpXroDTDmJ');
    expect(targets(s3('GetObject', { bucket: 'b', key: 'k', query }))).toEqual([
      ['s3:GetObjectVersion', 'arn:aws:s3:::b/k'],
    ]);
  });

  test('ListObjectsV2 is s3:ListBucket on the bucket with s3:prefix, s3:delimiter, s3:max-keys', () => {
    const query = new URLSearchParams('list-type=2&prefix=home/alice/&delimiter=/&max-keys=10');
    expect(s3('ListObjectsV2', { bucket: 'b', query })).toEqual([
      {
        action: 's3:ListBucket',
        resource: 'arn:aws:s3:::b',
        context: { 's3:prefix': 'home/alice/', 's3:delimiter': '/', 's3:max-keys': '10' },
      },
    ]);
  });

  test('CopyObject reads the source (s3:GetObject) and writes the target (s3:PutObject)', () => {
    const headers = { 'x-amz-copy-source': '/source-bucket/reports/2024%20q1.csv', 'x-amz-acl': 'private' };
    expect(s3('CopyObject', { method: 'PUT', bucket: 'target-bucket', key: 'copy.csv', headers })).toEqual([
      { action: 's3:GetObject', resource: 'arn:aws:s3:::source-bucket/reports/2024 q1.csv', context: {} },
      {
        action: 's3:PutObject',
        resource: 'arn:aws:s3:::target-bucket/copy.csv',
        context: { 's3:x-amz-acl': 'private', 's3:x-amz-copy-source': headers['x-amz-copy-source'] },
      },
    ]);
    const versioned = { 'x-amz-copy-source': 'source-bucket/k?versionId=v1' };
    expect(
      targets(s3('UploadPartCopy', { method: 'PUT', bucket: 't', key: 'k', headers: versioned })),
    ).toEqual([
      ['s3:GetObjectVersion', 'arn:aws:s3:::source-bucket/k'],
      ['s3:PutObject', 'arn:aws:s3:::t/k'],
    ]);
  });

  test('multipart operations are s3:PutObject, s3:AbortMultipartUpload, s3:ListMultipartUploadParts', () => {
    const object = { bucket: 'b', key: 'big.bin' };
    expect(
      [
        'CreateMultipartUpload',
        'UploadPart',
        'CompleteMultipartUpload',
        'AbortMultipartUpload',
        'ListParts',
      ].map((operation) => s3(operation, object)[0]?.action),
    ).toEqual([
      's3:PutObject',
      's3:PutObject',
      's3:PutObject',
      's3:AbortMultipartUpload',
      's3:ListMultipartUploadParts',
    ]);
    expect(targets(s3('ListMultipartUploads', { bucket: 'b' }))).toEqual([
      ['s3:ListBucketMultipartUploads', 'arn:aws:s3:::b'],
    ]);
  });

  test('DeleteObjects is s3:DeleteObject on each key of its document', () => {
    const body = Buffer.from(
      '<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a.txt</Key></Object>' +
        '<Object><Key>logs/b.txt</Key><VersionId>v2</VersionId></Object></Delete>',
    );
    expect(targets(s3('DeleteObjects', { method: 'POST', bucket: 'b', body }))).toEqual([
      ['s3:DeleteObject', 'arn:aws:s3:::b/a.txt'],
      ['s3:DeleteObjectVersion', 'arn:aws:s3:::b/logs/b.txt'],
    ]);
    expect(targets(s3('DeleteObjects', { method: 'POST', bucket: 'b', body: Buffer.from('nope') }))).toEqual([
      ['s3:DeleteObject', '*'],
    ]);
  });

  test('bucket subresources take the actions their API pages name; x-amz-acl and x-amz-tagging count', () => {
    expect(s3('DeleteBucketCors', { method: 'DELETE', bucket: 'b' })[0]?.action).toBe('s3:PutBucketCORS');
    expect(s3('DeletePublicAccessBlock', { method: 'DELETE', bucket: 'b' })[0]?.action).toBe(
      's3:PutBucketPublicAccessBlock',
    );
    const headers = { 'x-amz-acl': 'public-read', 'x-amz-tagging': 'team=a' };
    expect(s3('PutObject', { method: 'PUT', bucket: 'b', key: 'k', headers })).toEqual([
      { action: 's3:PutObject', resource: 'arn:aws:s3:::b/k', context: { 's3:x-amz-acl': 'public-read' } },
      { action: 's3:PutObjectTagging', resource: 'arn:aws:s3:::b/k', context: {} },
    ]);
    expect(s3('SelectObjectContent', { bucket: 'b', key: 'k' })).toEqual([
      { action: 's3:SelectObjectContent', resource: '*', context: {} },
    ]);
  });
});

describe('SNS', () => {
  const sns = (operation: string, form: string) =>
    snsAuthorizationRequests(operation, new Map(new URLSearchParams(form)), TARGET);

  test('Publish and PublishBatch are sns:Publish on the topic ARN', () => {
    const topic = 'arn:aws:sns:us-west-2:123456789012:MyTopic';
    expect(targets(sns('Publish', `TopicArn=${topic}&Message=hi`))).toEqual([['sns:Publish', topic]]);
    expect(targets(sns('Publish', `TargetArn=${topic}&Message=hi`))).toEqual([['sns:Publish', topic]]);
    expect(targets(sns('PublishBatch', `TopicArn=${topic}`))).toEqual([['sns:Publish', topic]]);
  });

  test('CreateTopic is on the ARN the topic gets; listings and subscriptions on *', () => {
    expect(targets(sns('CreateTopic', 'Name=MyTopic'))).toEqual([
      ['sns:CreateTopic', 'arn:aws:sns:us-west-2:123456789012:MyTopic'],
    ]);
    expect(targets(sns('CreateTopic', 'Name=MyTopic&Tags.member.1.Key=team&Tags.member.1.Value=a'))).toEqual([
      ['sns:CreateTopic', 'arn:aws:sns:us-west-2:123456789012:MyTopic'],
      ['sns:TagResource', 'arn:aws:sns:us-west-2:123456789012:MyTopic'],
    ]);
    expect(targets(sns('ListTopics', ''))).toEqual([['sns:ListTopics', '*']]);
    expect(
      targets(sns('Unsubscribe', 'SubscriptionArn=arn:aws:sns:us-west-2:123456789012:MyTopic:1')),
    ).toEqual([['sns:Unsubscribe', '*']]);
  });

  test('Subscribe carries sns:Protocol and sns:Endpoint', () => {
    const topic = 'arn:aws:sns:us-west-2:123456789012:MyTopic';
    expect(sns('Subscribe', `TopicArn=${topic}&Protocol=email&Endpoint=a@example.com`)).toEqual([
      {
        action: 'sns:Subscribe',
        resource: topic,
        context: { 'sns:Protocol': 'email', 'sns:Endpoint': 'a@example.com' },
      },
    ]);
  });
});

describe('SQS', () => {
  const queue = 'arn:aws:sqs:us-west-2:123456789012:queue1';

  test("the queue ARN comes from the QueueUrl, on AWS's host or local-cloud's", () => {
    for (const QueueUrl of [
      'https://sqs.us-west-2.amazonaws.com/123456789012/queue1',
      'http://127.0.0.1:4566/123456789012/queue1',
      '/123456789012/queue1',
    ]) {
      expect(sqsAuthorizationRequests('SendMessage', { QueueUrl, MessageBody: 'x' }, TARGET)).toEqual([
        { action: 'sqs:SendMessage', resource: queue, context: {} },
      ]);
    }
  });

  test("both protocols: the Query protocol's parameters, shaped by queryInput, give the same requests", () => {
    const form = new URLSearchParams(
      'Action=SendMessageBatch&QueueUrl=http%3A%2F%2F127.0.0.1%3A4566%2F123456789012%2Fqueue1' +
        '&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=x',
    );
    const json = {
      QueueUrl: 'http://127.0.0.1:4566/123456789012/queue1',
      Entries: [{ Id: 'a', MessageBody: 'x' }],
    };
    const expected = [{ action: 'sqs:SendMessage', resource: queue, context: {} }];
    expect(sqsAuthorizationRequests('SendMessageBatch', queryInput(form), TARGET)).toEqual(expected);
    expect(sqsAuthorizationRequests('SendMessageBatch', json, TARGET)).toEqual(expected);
  });

  test('batch operations are their single actions; ListQueues is on *; CreateQueue on the queue it makes', () => {
    const QueueUrl = '/123456789012/queue1';
    expect(sqsAuthorizationRequests('DeleteMessageBatch', { QueueUrl }, TARGET)[0]?.action).toBe(
      'sqs:DeleteMessage',
    );
    expect(sqsAuthorizationRequests('ChangeMessageVisibilityBatch', { QueueUrl }, TARGET)[0]?.action).toBe(
      'sqs:ChangeMessageVisibility',
    );
    expect(targets(sqsAuthorizationRequests('ListQueues', {}, TARGET))).toEqual([['sqs:ListQueues', '*']]);
    expect(targets(sqsAuthorizationRequests('CreateQueue', { QueueName: 'queue1' }, TARGET))).toEqual([
      ['sqs:CreateQueue', queue],
    ]);
    expect(targets(sqsAuthorizationRequests('GetQueueUrl', { QueueName: 'queue1' }, TARGET))).toEqual([
      ['sqs:GetQueueUrl', queue],
    ]);
  });
});

describe('EventBridge', () => {
  test("PutEvents is on each entry's bus, the default bus when none is named, with source and detail type", () => {
    const requests = eventbridgeAuthorizationRequests(
      'PutEvents',
      {
        Entries: [
          { Source: 'com.mycompany.myapp', DetailType: 'OrderPlaced', Detail: '{}' },
          { Source: 'com.mycompany.myapp', DetailType: 'OrderPlaced', Detail: '{"x":1}' },
          { Source: 'billing', DetailType: 'Invoice', EventBusName: 'orders', Detail: '{}' },
          {
            Source: 'billing',
            DetailType: 'Refund',
            EventBusName: 'arn:aws:events:us-west-2:123456789012:event-bus/orders',
            Detail: '{}',
          },
        ],
      },
      TARGET,
    );
    expect(requests).toEqual([
      {
        action: 'events:PutEvents',
        resource: 'arn:aws:events:us-west-2:123456789012:event-bus/default',
        context: { 'events:source': ['com.mycompany.myapp'], 'events:detail-type': ['OrderPlaced'] },
      },
      {
        action: 'events:PutEvents',
        resource: 'arn:aws:events:us-west-2:123456789012:event-bus/orders',
        context: { 'events:source': ['billing'], 'events:detail-type': ['Invoice'] },
      },
      {
        action: 'events:PutEvents',
        resource: 'arn:aws:events:us-west-2:123456789012:event-bus/orders',
        context: { 'events:source': ['billing'], 'events:detail-type': ['Refund'] },
      },
    ]);
  });

  test('rules are rule/<name> on the default bus and rule/<bus>/<name> on another; PutTargets passes roles', () => {
    expect(targets(eventbridgeAuthorizationRequests('PutRule', { Name: 'nightly' }, TARGET))).toEqual([
      ['events:PutRule', 'arn:aws:events:us-west-2:123456789012:rule/nightly'],
    ]);
    const requests = eventbridgeAuthorizationRequests(
      'PutTargets',
      {
        Rule: 'paid',
        EventBusName: 'orders',
        Targets: [
          {
            Id: '1',
            Arn: 'arn:aws:states:us-west-2:123456789012:stateMachine:m',
            RoleArn: 'arn:aws:iam::123456789012:role/events',
          },
        ],
      },
      TARGET,
    );
    expect(requests).toEqual([
      {
        action: 'events:PutTargets',
        resource: 'arn:aws:events:us-west-2:123456789012:rule/orders/paid',
        context: {},
      },
      {
        action: 'iam:PassRole',
        resource: 'arn:aws:iam::123456789012:role/events',
        context: { 'iam:PassedToService': 'events.amazonaws.com' },
      },
    ]);
    expect(targets(eventbridgeAuthorizationRequests('ListRules', {}, TARGET))).toEqual([
      ['events:ListRules', '*'],
    ]);
  });
});

describe('Kinesis', () => {
  const stream = 'arn:aws:kinesis:us-west-2:123456789012:stream/orders';

  test('the stream ARN comes from StreamName or StreamARN', () => {
    expect(targets(kinesisAuthorizationRequests('PutRecord', { StreamName: 'orders' }, TARGET))).toEqual([
      ['kinesis:PutRecord', stream],
    ]);
    expect(targets(kinesisAuthorizationRequests('PutRecords', { StreamARN: stream }, TARGET))).toEqual([
      ['kinesis:PutRecords', stream],
    ]);
    expect(targets(kinesisAuthorizationRequests('ListStreams', {}, TARGET))).toEqual([
      ['kinesis:ListStreams', '*'],
    ]);
  });

  test('GetRecords is on the stream its iterator reads; an unreadable iterator names none', () => {
    const iterator = Buffer.from(
      JSON.stringify({ n: 'orders', c: 1, s: 'shardId-000000000000', p: 0, t: 2 }),
    ).toString('base64');
    expect(targets(kinesisAuthorizationRequests('GetRecords', { ShardIterator: iterator }, TARGET))).toEqual([
      ['kinesis:GetRecords', stream],
    ]);
    expect(targets(kinesisAuthorizationRequests('GetRecords', { ShardIterator: '%%' }, TARGET))).toEqual([
      ['kinesis:GetRecords', '*'],
    ]);
    const token = Buffer.from(JSON.stringify({ stream: 'orders', after: 'x' })).toString('base64');
    expect(targets(kinesisAuthorizationRequests('ListShards', { NextToken: token }, TARGET))).toEqual([
      ['kinesis:ListShards', stream],
    ]);
  });
});

describe('Step Functions', () => {
  const machine = 'arn:aws:states:us-west-2:123456789012:stateMachine:HelloWorld';
  const execution = 'arn:aws:states:us-west-2:123456789012:execution:HelloWorld:run-1';
  const sfn = (operation: string, input: Record<string, unknown>) =>
    targets(stepfunctionsAuthorizationRequests(operation, input, TARGET));

  test('StartExecution is on the state machine, DescribeExecution and StopExecution on the execution', () => {
    expect(sfn('StartExecution', { stateMachineArn: machine })).toEqual([['states:StartExecution', machine]]);
    expect(sfn('DescribeExecution', { executionArn: execution })).toEqual([
      ['states:DescribeExecution', execution],
    ]);
    expect(sfn('StopExecution', { executionArn: execution })).toEqual([['states:StopExecution', execution]]);
  });

  test('task token callbacks name no resource', () => {
    for (const operation of ['SendTaskSuccess', 'SendTaskFailure', 'SendTaskHeartbeat']) {
      expect(sfn(operation, { taskToken: 't' })).toEqual([[`states:${operation}`, '*']]);
    }
  });

  test('CreateStateMachine is on the ARN it will have, and passes its role', () => {
    const role = 'arn:aws:iam::123456789012:role/StepFunctionsRole';
    expect(
      stepfunctionsAuthorizationRequests('CreateStateMachine', { name: 'HelloWorld', roleArn: role }, TARGET),
    ).toEqual([
      { action: 'states:CreateStateMachine', resource: machine, context: {} },
      { action: 'iam:PassRole', resource: role, context: { 'iam:PassedToService': 'states.amazonaws.com' } },
    ]);
  });
});

describe('Secrets Manager', () => {
  test('GetSecretValue is on the secret ARN local-cloud gives it, whether named by name or by ARN', async () => {
    const directory = temporaryDirectory('authorization-requests-');
    const service = serviceWith({
      service: 'authorization-requests',
      servicePath: directory.path,
      resources: {
        Db: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'db-password', SecretString: 'x' } },
      },
    });
    const secrets = await createSecretsService({
      service,
      credentials: CREDENTIALS,
      region: 'us-east-1',
      log: () => {},
    });
    const client = new SecretsManagerClient(clientConfig(secrets.url));
    try {
      const { ARN } = await client.send(new DescribeSecretCommand({ SecretId: 'db-password' }));
      const target = { region: 'us-east-1', accountId: '123456789012' };
      const byName = secretsAuthorizationRequests('GetSecretValue', { SecretId: 'db-password' }, target);
      expect(byName).toEqual([
        {
          action: 'secretsmanager:GetSecretValue',
          resource: ARN,
          context: { 'secretsmanager:SecretId': 'db-password' },
        },
      ]);
      // AWS's form: `secret:<name>-` and six characters, which `secret:db-password-*` matches.
      expect(ARN).toMatch(
        /^arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password-[A-Za-z0-9]{6}$/,
      );
      const partial = ARN!.slice(0, -7);
      for (const SecretId of [ARN, partial]) {
        expect(secretsAuthorizationRequests('GetSecretValue', { SecretId }, target)[0]?.resource).toBe(ARN);
      }
    } finally {
      client.destroy();
      await secrets.stop();
      directory.remove();
    }
  });

  test('ListSecrets names no resource; VersionStage is a condition key', () => {
    expect(targets(secretsAuthorizationRequests('ListSecrets', {}, TARGET))).toEqual([
      ['secretsmanager:ListSecrets', '*'],
    ]);
    const [request] = secretsAuthorizationRequests(
      'GetSecretValue',
      { SecretId: 'a', VersionStage: 'AWSCURRENT' },
      TARGET,
    );
    expect(request?.context).toEqual({
      'secretsmanager:SecretId': 'a',
      'secretsmanager:VersionStage': 'AWSCURRENT',
    });
  });
});

describe('SSM Parameter Store', () => {
  test('GetParameter is on parameter/<name without the leading slash>; GetParameters on each name', () => {
    expect(targets(ssmAuthorizationRequests('GetParameter', { Name: '/dev/app/db' }, TARGET))).toEqual([
      ['ssm:GetParameter', 'arn:aws:ssm:us-west-2:123456789012:parameter/dev/app/db'],
    ]);
    expect(
      targets(ssmAuthorizationRequests('GetParameters', { Names: ['prod-db', '/prod/api'] }, TARGET)),
    ).toEqual([
      ['ssm:GetParameters', 'arn:aws:ssm:us-west-2:123456789012:parameter/prod-db'],
      ['ssm:GetParameters', 'arn:aws:ssm:us-west-2:123456789012:parameter/prod/api'],
    ]);
    const arn = 'arn:aws:ssm:us-west-2:123456789012:parameter/dev/app/db';
    expect(targets(ssmAuthorizationRequests('GetParameter', { Name: arn }, TARGET))).toEqual([
      ['ssm:GetParameter', arn],
    ]);
  });

  test('GetParametersByPath is on the path asked for', () => {
    expect(
      targets(ssmAuthorizationRequests('GetParametersByPath', { Path: '/dev/app', Recursive: true }, TARGET)),
    ).toEqual([['ssm:GetParametersByPath', 'arn:aws:ssm:us-west-2:123456789012:parameter/dev/app']]);
  });
});

describe('Lambda', () => {
  const fn = 'arn:aws:lambda:us-west-2:123456789012:function:my-function';
  const lambda = (operation: string, FunctionName: string, Qualifier?: string) =>
    targets(
      lambdaAuthorizationRequests(operation, { FunctionName, ...(Qualifier ? { Qualifier } : {}) }, TARGET),
    );

  test('Invoke is lambda:InvokeFunction on the function ARN, by name, partial ARN or ARN', () => {
    for (const name of ['my-function', '123456789012:function:my-function', fn]) {
      expect(lambda('Invoke', name)).toEqual([['lambda:InvokeFunction', fn]]);
    }
  });

  test('a qualifier, in the name or as ?Qualifier=, makes the resource the version or alias ARN', () => {
    expect(lambda('Invoke', 'my-function:prod')).toEqual([['lambda:InvokeFunction', `${fn}:prod`]]);
    expect(lambda('Invoke', fn, '1')).toEqual([['lambda:InvokeFunction', `${fn}:1`]]);
    expect(lambda('GetFunction', 'my-function')).toEqual([['lambda:GetFunction', fn]]);
    expect(targets(lambdaAuthorizationRequests('ListFunctions', {}, TARGET))).toEqual([
      ['lambda:ListFunctions', '*'],
    ]);
  });
});

describe('API Gateway management API', () => {
  test('PostToConnection is execute-api:ManageConnections on <apiId>/<stage>/POST/@connections/<id>', () => {
    const input = { apiId: 'a1b2c3d4e5', stage: 'dev', connectionId: 'L0SM9cOFvHcCIhw=' };
    expect(executeApiAuthorizationRequests('PostToConnection', input, TARGET)).toEqual([
      {
        action: 'execute-api:ManageConnections',
        resource:
          'arn:aws:execute-api:us-west-2:123456789012:a1b2c3d4e5/dev/POST/@connections/L0SM9cOFvHcCIhw=',
        context: {},
      },
    ]);
    expect(executeApiAuthorizationRequests('DeleteConnection', input, TARGET)[0]?.resource).toBe(
      'arn:aws:execute-api:us-west-2:123456789012:a1b2c3d4e5/dev/DELETE/@connections/L0SM9cOFvHcCIhw=',
    );
  });
});
