// Task websocket-connections: the Connections table ($connect, $disconnect) and the notifier that sends each
// new image to every connection, forgetting those API Gateway answers 410 Gone for.
import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { s3Event, snsEvent } from '@serverless-course/test-kit';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler as connect } from '../../src/handlers/connect';
import { handler as disconnect } from '../../src/handlers/disconnect';
import { handler as notifyConnections } from '../../src/handlers/notify-connections';
import { websocketEvent } from '../support/websocket-event';

const dynamo = mockClient(DynamoDBDocumentClient);
const management = mockClient(ApiGatewayManagementApiClient);
const IMAGE_ID = '9d1c2b3a-4e5f-4a6b-8c7d-1e2f3a4b5c6d';
const upload = snsEvent({
  message: s3Event({
    bucket: 'images',
    key: `images/g1/${IMAGE_ID}.jpg`,
    size: 2048,
    time: new Date('2026-03-01T10:00:00Z'),
  }),
});

function gone(): GoneException {
  return new GoneException({ message: 'Gone', $metadata: { httpStatusCode: 410 } });
}

let logged: jest.SpyInstance;

beforeEach(() => {
  // The handler logs one summary line per image: kept out of the test output, and checked below.
  logged = jest.spyOn(console, 'log').mockImplementation(() => {});
  dynamo.reset();
  management.reset();
  process.env.CONNECTIONS_TABLE = 'connections';
  dynamo.on(PutCommand).resolves({});
  dynamo.on(DeleteCommand).resolves({});
  dynamo.on(ScanCommand).resolves({ Items: [{ connectionId: 'c1' }, { connectionId: 'c2' }] });
  management.on(PostToConnectionCommand).resolves({});
});

describe('$connect and $disconnect', () => {
  it('$connect remembers the connection with the time it connected, and accepts it', async () => {
    const response = await connect(websocketEvent('$connect', 'c1', new Date('2026-03-01T10:00:00.000Z')));

    expect(response.statusCode).toBe(200);
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'connections',
      Item: { connectionId: 'c1', connectedAt: '2026-03-01T10:00:00.000Z' },
    });
  });

  it('$disconnect forgets the connection', async () => {
    const response = await disconnect(websocketEvent('$disconnect', 'c1'));

    expect(response.statusCode).toBe(200);
    expect(dynamo).toHaveReceivedCommandWith(DeleteCommand, {
      TableName: 'connections',
      Key: { connectionId: 'c1' },
    });
  });
});

describe('notifyConnections', () => {
  it('sends the new image to every connection', async () => {
    await notifyConnections(upload);

    expect(management).toHaveReceivedCommandTimes(PostToConnectionCommand, 2);
    const sent = management.commandCalls(PostToConnectionCommand).map((call) => call.args[0].input);
    expect(sent.map((input) => input.ConnectionId).sort()).toEqual(['c1', 'c2']);
    expect(JSON.parse(sent[0]?.Data as string)).toEqual({
      type: 'image-uploaded',
      groupId: 'g1',
      imageId: IMAGE_ID,
      key: `images/g1/${IMAGE_ID}.jpg`,
      thumbnailKey: `thumbnails/${IMAGE_ID}.jpg`,
      size: 2048,
      uploadedAt: '2026-03-01T10:00:00.000Z',
    });
    expect(logged).toHaveBeenCalledWith(JSON.stringify({ imageId: IMAGE_ID, sent: 2, removed: 0 }));
  });

  it('reads every page of the Connections table', async () => {
    dynamo
      .on(ScanCommand)
      .resolvesOnce({ Items: [{ connectionId: 'c1' }], LastEvaluatedKey: { connectionId: 'c1' } })
      .resolvesOnce({ Items: [{ connectionId: 'c2' }, { connectionId: 'c3' }] });

    await notifyConnections(upload);

    const scans = dynamo.commandCalls(ScanCommand).map((call) => call.args[0].input.ExclusiveStartKey);
    expect(scans).toEqual([undefined, { connectionId: 'c1' }]);
    expect(management).toHaveReceivedCommandTimes(PostToConnectionCommand, 3);
  });

  it('deletes the connections that answer 410 Gone, and only those', async () => {
    management.on(PostToConnectionCommand, { ConnectionId: 'c2' }).rejects(gone());

    await notifyConnections(upload);

    expect(dynamo).toHaveReceivedCommandTimes(DeleteCommand, 1);
    expect(dynamo).toHaveReceivedCommandWith(DeleteCommand, {
      TableName: 'connections',
      Key: { connectionId: 'c2' },
    });
  });

  it('still notifies the others when one connection fails, then fails the invocation so that it is retried', async () => {
    management.on(PostToConnectionCommand, { ConnectionId: 'c1' }).rejects(new Error('ThrottlingException'));

    await expect(notifyConnections(upload)).rejects.toThrow(/1 connection\(s\) could not be notified/);

    expect(management).toHaveReceivedCommandWith(PostToConnectionCommand, { ConnectionId: 'c2' });
    expect(dynamo).not.toHaveReceivedCommand(DeleteCommand);
  });

  // BEGIN HIDDEN TESTS
  it('sends nothing when nobody is connected', async () => {
    dynamo.on(ScanCommand).resolves({ Items: [] });

    await notifyConnections(upload);

    expect(management).not.toHaveReceivedCommand(PostToConnectionCommand);
  });
  // END HIDDEN TESTS
});
