import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbImageRepository } from '../adapters/dynamodb-image-repository';
import { requiredEnvironment } from '../adapters/environment';
import { getImage } from '../core/get-image';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { pathParameter } from '../http/request';

// Once per sandbox: warm invocations reuse the client and its open connections.
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const images = new DynamoDbImageRepository(
  documents,
  requiredEnvironment('IMAGES_TABLE'),
  requiredEnvironment('IMAGE_ID_INDEX'),
);

/** GET /images/{imageId}: 200 with the image, or 404. */
export const handler = httpHandler(async (event) => {
  const imageId = pathParameter(event, 'imageId');
  return jsonResponse(200, await getImage(imageId, images));
});
