// GET /groups/{groupId}/images?limit&nextKey: a page of the group's images, newest first.
import { listImages } from '../core/images';
import { groups, images, storage } from './dependencies';
import { httpHandler, json } from './http';
import { pageTokensOf, paginationSecret } from './pagination-secret';
import { LIMIT_RANGE, limitOf, listImagesSchema } from './schemas';

export const handler = httpHandler(
  async (event, context) => {
    const query = event.queryStringParameters;
    const page = await listImages(
      { groups: groups(), images: images(), storage: storage(), pageTokens: pageTokensOf(context) },
      {
        groupId: event.pathParameters!.groupId!,
        limit: limitOf(query, LIMIT_RANGE.default),
        nextKey: query?.nextKey,
      },
    );
    return json(200, page);
  },
  { eventSchema: listImagesSchema },
).use(paginationSecret());
