import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { CreateImageInput } from '../core/create-image';
import { ValidationError } from '../core/errors';
import { isUploadContentType, MAX_TITLE_LENGTH, UPLOAD_CONTENT_TYPES } from '../core/image';
import { jsonObjectBody, textField } from './http-handler';

const EXAMPLE = '{"title":"Sunset over the bay","contentType":"image/jpeg"}';
const GROUP_ID = /^[A-Za-z0-9-]{1,64}$/;

/** POST /groups/{groupId}/images, checked at the edge: nothing unchecked reaches the use case. */
export function parseCreateImageRequest(event: APIGatewayProxyEvent): CreateImageInput {
  const groupId = event.pathParameters?.groupId ?? '';
  if (!GROUP_ID.test(groupId)) {
    throw new ValidationError(
      'The group id in the path is not valid. Use the groupId that POST /groups returned.',
    );
  }
  const body = jsonObjectBody(event, EXAMPLE);
  const title = textField(body, 'title', MAX_TITLE_LENGTH, EXAMPLE);
  const { contentType } = body;
  if (!isUploadContentType(contentType)) {
    throw new ValidationError(
      `contentType must be one of ${Object.keys(UPLOAD_CONTENT_TYPES).join(', ')}. Send the type of the file you will upload.`,
    );
  }
  return { groupId, title, contentType };
}
