// GET /groups?limit&nextKey: a page of groups.
import { listGroups } from '../core/groups';
import { groups } from './dependencies';
import { httpHandler, json } from './http';
import { pageTokensOf, paginationSecret } from './pagination-secret';
import { LIMIT_RANGE, limitOf, listGroupsSchema } from './schemas';

export const handler = httpHandler(
  async (event, context) => {
    const query = event.queryStringParameters;
    const page = await listGroups(
      { groups: groups(), pageTokens: pageTokensOf(context) },
      { limit: limitOf(query, LIMIT_RANGE.default), nextKey: query?.nextKey },
    );
    return json(200, page);
  },
  { eventSchema: listGroupsSchema },
).use(paginationSecret());
