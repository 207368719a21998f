import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';

/** A WebSocket API route event ($connect, $disconnect), as API Gateway sends it, with the fields handlers read. */
export function websocketEvent(
  routeKey: '$connect' | '$disconnect',
  connectionId: string,
  requestTime = new Date('2026-03-01T10:00:00.000Z'),
): APIGatewayProxyWebsocketEventV2 {
  return {
    requestContext: {
      routeKey,
      eventType: routeKey === '$connect' ? 'CONNECT' : 'DISCONNECT',
      connectionId,
      extendedRequestId: randomUUID(),
      requestTime: requestTime.toUTCString(),
      messageDirection: 'IN',
      stage: 'dev',
      connectedAt: requestTime.getTime(),
      requestTimeEpoch: requestTime.getTime(),
      requestId: randomUUID(),
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      apiId: 'abc123',
      // @types/aws-lambda requires messageId, which only MESSAGE events carry.
    } as APIGatewayProxyWebsocketEventV2['requestContext'],
    isBase64Encoded: false,
  };
}
