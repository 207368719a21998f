// WebSocket $disconnect: forget the connection (best effort: API Gateway does not retry it, and the
// connection's item expires anyway).
import type { APIGatewayProxyResult, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { connections } from './dependencies';
import { flushingTraces } from '../adapters/aws-clients';

async function handle(event: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyResult> {
  await connections().remove(event.requestContext.connectionId);
  return { statusCode: 200, body: 'Disconnected' };
}

export const handler = flushingTraces(handle);
