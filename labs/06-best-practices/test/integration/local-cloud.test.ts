// The same integration contract over HTTP on local-cloud: API Gateway, the Lambda runtime, DynamoDB Local
// and the wiring of serverless.yml, each function with its own role as on AWS. Then the trace of one request: the OpenTelemetry spans the functions
// export over OTLP, as local-cloud prints them under the invocation's segment (the tree X-Ray would show).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { start, type LocalCloud } from '@serverless-course/local-cloud';
import { eventually } from '@serverless-course/test-kit';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { describeImagesContract, startImageHost, type Transport } from './images-contract';

// DynamoDB Local (a Java process) and the first bundle of each function: seconds, once for the file.
jest.setTimeout(120_000);

let cloud: LocalCloud;
let imageHost: Awaited<ReturnType<typeof startImageHost>>;
const log: string[] = [];

beforeAll(async () => {
  imageHost = await startImageHost();
  cloud = await start({
    servicePath: path.resolve(__dirname, '../..'),
    inMemory: true,
    stage: 'lab06-int',
    log: (line) => log.push(line),
  });
});

afterAll(async () => {
  await cloud?.stop();
  await imageHost?.close();
});

const send: Transport = async (method, urlPath, body) => {
  const response = await fetch(`${cloud.apiUrl}${urlPath}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
};

describeImagesContract('the images contract over HTTP on local-cloud', () => ({
  send,
  imageHost: imageHost.url,
}));

/** The trees printed so far, each as its lines without the log prefix, header line first. */
function printedTraces(): string[][] {
  const traces: string[][] = [];
  for (const line of log) {
    const text = /\[xray\] (.*)$/.exec(line)?.[1];
    if (text === undefined) continue;
    if (text.startsWith('trace ')) traces.push([text]);
    else traces.at(-1)?.push(text);
  }
  return traces;
}

/** The tree of the first trace rooted in `functionName` that mentions `marker`; polls until it is printed. */
function traceOf(functionName: string, marker: string, timeoutMs = 10_000): Promise<string[]> {
  return eventually(
    () => {
      const found = printedTraces().find(
        (lines) =>
          lines[1]?.startsWith(`${functionName}  AWS::Lambda::Function`) && lines.join('\n').includes(marker),
      );
      if (!found) throw new Error('not printed yet');
      return found.slice(1);
    },
    { timeoutMs, description: `a trace of ${functionName}` },
  );
}

describe('OpenTelemetry traces on local-cloud', () => {
  it('prints a created image as a tree: the request, the probe with its HTTP call, and the DynamoDB write', async () => {
    const groupId = `g-${randomUUID().slice(0, 8)}`;

    const response = await send('POST', `/groups/${groupId}/images`, {
      title: 'Cat',
      imageUrl: `${imageHost.url}/cat.jpg`,
    });
    const tree = await traceOf('best-practices-lab06-int-createImage', `groupId=${groupId}`);

    expect(response.status).toBe(201);
    expect(tree[0]).toMatch(/^best-practices-lab06-int-createImage {2}AWS::Lambda::Function {2}[\d.]+ ms$/);
    // The invocation's own span (tracedHandler), then the app's spans under it.
    expect(tree[1]).toMatch(/^└─ best-practices-lab06-int-createImage {2}[\d.]+ ms$/);
    expect(tree[2]).toMatch(new RegExp(`^ {3}└─ POST images {2}[\\d.]+ ms {2}groupId=${groupId}$`));
    const text = tree.join('\n');
    expect(text).toMatch(/─ probe-image {2}[\d.]+ ms {2}imageHost=127\.0\.0\.1/);
    // The HTTP instrumentation's span of the probe's request, nested in probe-image, URL with its port.
    expect(text).toMatch(/│? +└─ 127\.0\.0\.1 {2}[\d.]+ ms {2}HEAD http:\/\/127\.0\.0\.1:\d+\/cat\.jpg 200/);
    // The AWS SDK instrumentation's span, and no HTTP span under it (suppressInternalInstrumentation).
    expect(text).toMatch(/─ DynamoDB {2}[\d.]+ ms {2}PutItem best-practices-lab06-int-images$/m);
    expect(tree).toHaveLength(6);
  });

  it('traces a read with its DynamoDB call and no probe', async () => {
    await send('GET', '/groups/nobody/images');
    const tree = await traceOf('best-practices-lab06-int-listImages', 'groupId=nobody');

    const text = tree.join('\n');
    expect(text).toMatch(/─ DynamoDB {2}[\d.]+ ms {2}Query best-practices-lab06-int-images/);
    expect(text).not.toContain('probe-image');
  });
});

describe('least privilege on local-cloud', () => {
  // Each function acts with its own role (local-cloud enforces IAM, as AWS does). Signed as the function,
  // the role allows the one table action its handler makes and denies the others.
  const TABLE = 'best-practices-lab06-int-images';
  const key = { groupId: 'g-least', imageId: 'i-least' };
  const calls = {
    PutItem: (client: DynamoDBDocumentClient) =>
      client.send(new PutCommand({ TableName: TABLE, Item: { ...key, title: 'least privilege' } })),
    GetItem: (client: DynamoDBDocumentClient) => client.send(new GetCommand({ TableName: TABLE, Key: key })),
    Query: (client: DynamoDBDocumentClient) =>
      client.send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: 'groupId = :g',
          ExpressionAttributeValues: { ':g': key.groupId },
        }),
      ),
    DeleteItem: (client: DynamoDBDocumentClient) =>
      client.send(new DeleteCommand({ TableName: TABLE, Key: key })),
  };

  it.each([
    ['createImage', 'PutItem'],
    ['getImage', 'GetItem'],
    ['listImages', 'Query'],
  ] as const)('lets %s do %s and nothing else to the table', async (functionKey, allowed) => {
    const client = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: cloud.lambdaEndpoint,
        region: cloud.region,
        credentials: cloud.credentialsOf(functionKey),
      }),
    );
    try {
      for (const [action, call] of Object.entries(calls)) {
        if (action === allowed) await expect(call(client)).resolves.toBeDefined();
        else await expect(call(client)).rejects.toMatchObject({ name: 'AccessDeniedException' });
      }
    } finally {
      client.destroy();
    }
  });
});
