// WebSocket $connect: remember the connection, so notifications reach it.
import type { APIGatewayProxyResult, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { connections } from './dependencies';
import { flushingTraces } from '../adapters/aws-clients';

async function handle(event: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyResult> {
  await connections().add(event.requestContext.connectionId);
  return { statusCode: 200, body: 'Connected' };
}

export const handler = flushingTraces(handle);
