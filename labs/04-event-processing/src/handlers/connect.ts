import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { DynamoDbConnectionRepository } from '../adapters/dynamodb-connection-repository';
import { requireEnv } from '../config/environment';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/** $connect: a 2xx answer accepts the connection; an error refuses the upgrade. */
export async function handler(event: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyResult> {
  const connections = new DynamoDbConnectionRepository(documents, requireEnv('CONNECTIONS_TABLE'));
  const { connectionId, requestTimeEpoch } = event.requestContext;
  await connections.save(connectionId, new Date(requestTimeEpoch).toISOString());
  return { statusCode: 200, body: 'Connected' };
}
