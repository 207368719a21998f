// WebSocket $connect: remember the connection, so notifications reach it.
import type { APIGatewayProxyResult, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { connections } from './dependencies';

export async function handler(event: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyResult> {
  await connections().add(event.requestContext.connectionId);
  return { statusCode: 200, body: 'Connected' };
}
