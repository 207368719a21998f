import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { DynamoDbConnectionRepository } from '../adapters/dynamodb-connection-repository';
import { requireEnv } from '../config/environment';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/** $disconnect is best-effort: API Gateway may never call it, which is why the notifier also cleans up on 410. */
export async function handler(event: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyResult> {
  const connections = new DynamoDbConnectionRepository(documents, requireEnv('CONNECTIONS_TABLE'));
  await connections.remove(event.requestContext.connectionId);
  return { statusCode: 200, body: 'Disconnected' };
}
