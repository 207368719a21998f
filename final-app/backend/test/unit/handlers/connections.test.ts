// WebSocket $connect and $disconnect keep the connections table.
import '../support/env';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { handler as connect } from '../../../src/handlers/connect';
import { handler as disconnect } from '../../../src/handlers/disconnect';
import { sdkError } from '../support/http';

const dynamo = mockClient(DynamoDBDocumentClient);

function webSocketEvent(eventType: 'CONNECT' | 'DISCONNECT'): APIGatewayProxyWebsocketEventV2 {
  return {
    requestContext: {
      connectionId: 'abc=',
      eventType,
      routeKey: eventType === 'CONNECT' ? '$connect' : '$disconnect',
      domainName: 'ws.example.com',
      stage: 'dev',
    },
    isBase64Encoded: false,
  } as APIGatewayProxyWebsocketEventV2;
}

beforeEach(() => dynamo.reset());

describe('WebSocket connections', () => {
  it('remembers a new connection, with an expiry after API Gateway’s 2 h limit', async () => {
    dynamo.on(PutCommand).resolves({});

    const result = await connect(webSocketEvent('CONNECT'));

    expect(result.statusCode).toBe(200);
    const item = dynamo.commandCalls(PutCommand)[0]!.args[0].input.Item as Record<string, number>;
    expect(item).toMatchObject({ connectionId: 'abc=' });
    expect(item.expiresAt! - item.connectedAt!).toBe(7200);
  });

  it('refuses the connection (by failing) when it cannot be remembered', async () => {
    dynamo.on(PutCommand).rejects(sdkError('ProvisionedThroughputExceededException'));

    await expect(connect(webSocketEvent('CONNECT'))).rejects.toThrow('busy');
  });

  it('forgets a closed connection', async () => {
    dynamo.on(DeleteCommand).resolves({});

    const result = await disconnect(webSocketEvent('DISCONNECT'));

    expect(result.statusCode).toBe(200);
    expect(dynamo).toHaveReceivedCommandWith(DeleteCommand, {
      TableName: 'connections-table',
      Key: { connectionId: 'abc=' },
    });
  });
});
