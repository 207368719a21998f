import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbGroupRepository } from '../adapters/dynamodb-group-repository';
import { DynamoDbImageRepository } from '../adapters/dynamodb-image-repository';
import { requiredEnvironment } from '../adapters/environment';
import { listImages } from '../core/list-images';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { pathParameter } from '../http/request';

// Once per sandbox: warm invocations reuse the client and its open connections.
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const groups = new DynamoDbGroupRepository(documents, requiredEnvironment('GROUPS_TABLE'));
const images = new DynamoDbImageRepository(
  documents,
  requiredEnvironment('IMAGES_TABLE'),
  requiredEnvironment('IMAGE_ID_INDEX'),
);

/** GET /groups/{groupId}/images: 200 { items } newest first, or 404 for an unknown group. */
export const handler = httpHandler(async (event) => {
  const groupId = pathParameter(event, 'groupId');
  const items = await listImages(groupId, { images, groups });
  return jsonResponse(200, { items });
});
