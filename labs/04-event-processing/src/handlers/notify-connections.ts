import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SNSEvent } from 'aws-lambda';
import { ApiGatewayConnectionNotifier } from '../adapters/api-gateway-connection-notifier';
import { DynamoDbConnectionRepository } from '../adapters/dynamodb-connection-repository';
import { requireEnv } from '../config/environment';
import { broadcast, imageUploadedMessage } from '../core/broadcast';
import { uploadsFromSnsEvent } from '../core/uploaded-object';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
// Outside a WebSocket event there is no requestContext to build the callback URL from, so serverless.yml
// builds it from the API's id, the Region and the stage.
const management = new ApiGatewayManagementApiClient({ endpoint: process.env.WEBSOCKET_ENDPOINT });

/** Subscribed to the image-uploaded topic: tells every open WebSocket connection about the new image. */
export async function handler(event: SNSEvent): Promise<void> {
  const deps = {
    connections: new DynamoDbConnectionRepository(documents, requireEnv('CONNECTIONS_TABLE')),
    notifier: new ApiGatewayConnectionNotifier(management),
  };
  for (const upload of uploadsFromSnsEvent(event)) {
    const result = await broadcast(deps, JSON.stringify(imageUploadedMessage(upload)));
    console.log(JSON.stringify({ imageId: upload.imageId, ...result }));
  }
}
