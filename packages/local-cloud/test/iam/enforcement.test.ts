// IAM as a student meets it: a function whose role allows dynamodb:GetItem on its table gets AWS's
// AccessDeniedException, word for word, when it queries the table's index; the same function works once the
// statement is added and local-cloud starts again. The account's own key pair (tests, the CLI) is an
// administrator's. `--iam warn` lets the call through and logs what AWS would deny; `--iam off` checks nothing.
import path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { start, type LocalCloud } from '../../src';
import type { IamMode } from '../../src/iam/authorizer';
import { serviceDefinition } from '../support/function-definition';
import { logRecorder } from '../support/log-recorder';

const SERVICE_PATH = path.resolve(__dirname, '../fixtures/iam');
const TABLE = 'iam-enforcement-images';
const TABLE_ARN = `arn:aws:dynamodb:us-east-1:123456789012:table/${TABLE}`;
const ROLE_SESSION = 'arn:aws:sts::123456789012:assumed-role/iam-enforcement-dev-us-east-1-lambdaRole';

const IMAGES_TABLE = {
  Type: 'AWS::DynamoDB::Table',
  Properties: {
    TableName: TABLE,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'groupId', AttributeType: 'S' },
      { AttributeName: 'imageId', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'groupId', KeyType: 'HASH' },
      { AttributeName: 'imageId', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'ImageIdIndex',
        KeySchema: [{ AttributeName: 'imageId', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  },
};

function service(statements: unknown[]) {
  const environment = { IMAGES_TABLE: TABLE };
  return serviceDefinition({
    service: 'iam-enforcement',
    servicePath: SERVICE_PATH,
    provider: { iamRole: { statements } },
    functions: {
      getImage: { handler: 'src/images.getImage', environment },
      queryByImageId: { handler: 'src/images.queryByImageId', environment },
    },
    resources: { ImagesTable: IMAGES_TABLE },
  });
}

const GET_ITEM_ONLY = [{ Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: TABLE_ARN }];
const WITH_INDEX_QUERY = [
  ...GET_ITEM_ONLY,
  { Effect: 'Allow', Action: ['dynamodb:Query'], Resource: `${TABLE_ARN}/index/ImageIdIndex` },
];

interface Outcome {
  ok: boolean;
  result?: { Items?: unknown[]; Item?: unknown };
  name?: string;
  message?: string;
  status?: number;
}

async function invoke(cloud: LocalCloud, key: string): Promise<Outcome> {
  const lambda = new LambdaClient({
    endpoint: cloud.lambdaEndpoint,
    region: 'us-east-1',
    credentials: cloud.credentials,
  });
  try {
    const output = await lambda.send(new InvokeCommand({ FunctionName: `iam-enforcement-dev-${key}` }));
    return JSON.parse(Buffer.from(output.Payload!).toString()) as Outcome;
  } finally {
    lambda.destroy();
  }
}

async function started(statements: unknown[], iam?: IamMode) {
  const recorder = logRecorder();
  const cloud = await start({ service: service(statements), inMemory: true, log: recorder.log, iam });
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: cloud.lambdaEndpoint,
      region: 'us-east-1',
      credentials: cloud.credentials,
    }),
  );
  await documents.send(new PutCommand({ TableName: TABLE, Item: { groupId: 'g1', imageId: 'i1' } }));
  documents.destroy();
  return { cloud, recorder };
}

describe('IAM enforced on a function’s calls (--iam enforce, the default)', () => {
  let cloud: LocalCloud;
  let recorder: ReturnType<typeof logRecorder>;

  beforeAll(async () => {
    ({ cloud, recorder } = await started(GET_ITEM_ONLY));
  }, 60_000);
  afterAll(() => cloud.stop());

  it('allows what the role allows', async () => {
    const outcome = await invoke(cloud, 'getImage');
    expect(outcome).toMatchObject({ ok: true, result: { Item: { groupId: 'g1', imageId: 'i1' } } });
  });

  it('denies a Query on the index with AWS’s AccessDeniedException and message', async () => {
    const outcome = await invoke(cloud, 'queryByImageId');
    expect(outcome).toEqual({
      ok: false,
      name: 'AccessDeniedException',
      status: 400,
      message:
        `User: ${ROLE_SESSION}/iam-enforcement-dev-queryByImageId is not authorized to perform: dynamodb:Query ` +
        `on resource: ${TABLE_ARN}/index/ImageIdIndex because no identity-based policy allows the dynamodb:Query action`,
    });
  });

  it('logs which permission was missing and the statement to add', async () => {
    await invoke(cloud, 'queryByImageId');
    const line = await recorder.waitFor(/queryByImageId: denied dynamodb:Query/);
    expect(line).toContain(`on ${TABLE_ARN}/index/ImageIdIndex`);
    expect(line).toContain(
      `Fix: add to provider.iam.role.statements: { Effect: Allow, Action: dynamodb:Query, Resource: ${TABLE_ARN}/index/ImageIdIndex }`,
    );
  });

  it('lets the account’s own key pair do everything, as an administrator', async () => {
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: cloud.lambdaEndpoint,
        region: 'us-east-1',
        credentials: cloud.credentials,
      }),
    );
    try {
      const output = await documents.send(
        new QueryCommand({
          TableName: TABLE,
          IndexName: 'ImageIdIndex',
          KeyConditionExpression: 'imageId = :id',
          ExpressionAttributeValues: { ':id': 'i1' },
        }),
      );
      expect(output.Items).toHaveLength(1);
    } finally {
      documents.destroy();
    }
  });

  it('acts as a function with credentialsOf(key): its role decides, as in its sandbox', async () => {
    const asFunction = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: cloud.lambdaEndpoint,
        region: 'us-east-1',
        credentials: cloud.credentialsOf('queryByImageId'),
      }),
    );
    try {
      await expect(
        asFunction.send(new PutCommand({ TableName: TABLE, Item: { groupId: 'g2', imageId: 'i2' } })),
      ).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: expect.stringContaining('is not authorized to perform: dynamodb:PutItem') as unknown,
      });
    } finally {
      asFunction.destroy();
    }
    expect(() => cloud.credentialsOf('nope')).toThrow(
      'no function "nope" in iam-enforcement. Fix: use one of getImage, queryByImageId',
    );
  });

  it('refuses a role session key without its session token, as AWS does', async () => {
    const { accessKeyId, secretAccessKey } = cloud.credentialsOf('getImage');
    const withoutToken = new DynamoDBClient({
      endpoint: cloud.lambdaEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId, secretAccessKey },
    });
    try {
      await expect(withoutToken.send(new ListTablesCommand({}))).rejects.toMatchObject({
        name: 'UnrecognizedClientException',
        message: 'The security token included in the request is invalid.',
      });
    } finally {
      withoutToken.destroy();
    }
  });

  it('says in the start-up table that IAM is enforced', () => {
    expect(cloud.platform.summaryRows('.')).toContainEqual(
      expect.objectContaining({ name: 'IAM', where: '--iam enforce' }),
    );
  });
});

describe('the same function after the statement is added and local-cloud starts again', () => {
  it('queries the index', async () => {
    const { cloud } = await started(WITH_INDEX_QUERY);
    try {
      const outcome = await invoke(cloud, 'queryByImageId');
      expect(outcome).toMatchObject({ ok: true, result: { Items: [{ groupId: 'g1', imageId: 'i1' }] } });
    } finally {
      await cloud.stop();
    }
  }, 60_000);
});

describe('--iam warn and --iam off', () => {
  it('warn: allows the call and logs what AWS would deny', async () => {
    const { cloud, recorder } = await started(GET_ITEM_ONLY, 'warn');
    try {
      expect(await invoke(cloud, 'queryByImageId')).toMatchObject({ ok: true });
      const line = await recorder.waitFor(/queryByImageId: allowed \(--iam warn\), but AWS would deny/);
      expect(line).toContain('dynamodb:Query');
    } finally {
      await cloud.stop();
    }
  }, 60_000);

  it('off: checks nothing and logs nothing', async () => {
    const { cloud, recorder } = await started(GET_ITEM_ONLY, 'off');
    try {
      expect(await invoke(cloud, 'queryByImageId')).toMatchObject({ ok: true });
      expect(recorder.lines.filter((line) => /would deny|denied dynamodb/.test(line))).toEqual([]);
    } finally {
      await cloud.stop();
    }
  }, 60_000);
});
