import { json, withoutBody } from '../lib/api';
import { openShare } from '../lib/shares';

export const handler = withoutBody(async (event, context) => {
  const share = await openShare(event.pathParameters?.token ?? '', context.signingKey);
  return json(200, share);
});
