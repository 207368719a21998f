import {
  ApiGatewayManagementApiClient,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import type { APIGatewayProxyResult, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { CHANNELS, isChannel } from '../lib/channels';
import { forget, remember } from '../lib/connections';

/** $connect's event has the handshake's query string, which the v2 WebSocket type leaves out. */
type ConnectEvent = APIGatewayProxyWebsocketEventV2 & {
  queryStringParameters?: Record<string, string | undefined> | null;
};

export const connect = async (event: ConnectEvent): Promise<APIGatewayProxyResult> => {
  const channels = (event.queryStringParameters?.channels ?? '').split(',').filter(Boolean);
  if (channels.length === 0 || !channels.every(isChannel)) {
    // Any status but 2xx refuses the connection: the client's handshake fails with it.
    return {
      statusCode: 400,
      body: `Follow one or more of ${CHANNELS.join(', ')}: ?channels=deploys,alerts`,
    };
  }
  await remember(event.requestContext.connectionId, channels);
  return { statusCode: 200, body: 'Connected.' };
};

export const disconnect = async (event: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyResult> => {
  await forget(event.requestContext.connectionId);
  return { statusCode: 200, body: 'Disconnected.' };
};

/** Answers the client on its own connection, through the management API at `endpoint`. */
async function reply(
  event: APIGatewayProxyWebsocketEventV2,
  endpoint: string,
  message: object,
): Promise<void> {
  const api = new ApiGatewayManagementApiClient({ endpoint });
  const command = new PostToConnectionCommand({
    ConnectionId: event.requestContext.connectionId,
    Data: JSON.stringify(message),
  });
  await api.send(command);
}

export const ping = async (event: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyResult> => {
  // The callback URL of the API the message came through, from the event.
  const { domainName, stage } = event.requestContext;
  await reply(event, `https://${domainName}/${stage}`, {
    type: 'pong',
    at: event.requestContext.requestTimeEpoch,
  });
  return { statusCode: 200, body: '' };
};

export const unknownAction = async (
  event: APIGatewayProxyWebsocketEventV2,
): Promise<APIGatewayProxyResult> => {
  // The URL AWS documents for the API, built from its id.
  const { apiId, stage } = event.requestContext;
  await reply(event, `https://${apiId}.execute-api.${process.env.AWS_REGION}.amazonaws.com/${stage}`, {
    type: 'error',
    message: 'Send {"action":"ping"}; announcements arrive on their own.',
  });
  return { statusCode: 200, body: '' };
};
