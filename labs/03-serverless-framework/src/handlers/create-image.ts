import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbGroupRepository } from '../adapters/dynamodb-group-repository';
import { DynamoDbImageRepository } from '../adapters/dynamodb-image-repository';
import { requiredEnvironment } from '../adapters/environment';
import { createImage, parseNewImage } from '../core/create-image';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { jsonBody, pathParameter } from '../http/request';

// Once per sandbox: warm invocations reuse the client and its open connections.
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const groups = new DynamoDbGroupRepository(documents, requiredEnvironment('GROUPS_TABLE'));
const images = new DynamoDbImageRepository(
  documents,
  requiredEnvironment('IMAGES_TABLE'),
  requiredEnvironment('IMAGE_ID_INDEX'),
);

/** POST /groups/{groupId}/images {title, contentType}: 201 with the new image, 400 or 404 otherwise. */
export const handler = httpHandler(async (event) => {
  const groupId = pathParameter(event, 'groupId');
  const newImage = parseNewImage(jsonBody(event));
  return jsonResponse(201, await createImage(groupId, newImage, { images, groups }));
});
