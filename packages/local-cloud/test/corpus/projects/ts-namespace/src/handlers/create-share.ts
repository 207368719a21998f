import type { APIGatewayProxyEvent } from 'aws-lambda';
import createError from 'http-errors';
import { json, withJsonBody } from '../lib/api';
import { createShare } from '../lib/shares';

const DEFAULT_LIFETIME_SECONDS = 3600;
const MAX_LIFETIME_SECONDS = 7 * 24 * 3600;

interface CreateShareBody {
  file?: unknown;
  expiresInSeconds?: unknown;
}

type Event = Omit<APIGatewayProxyEvent, 'body'> & { body: CreateShareBody };

export const handler = withJsonBody<Event>(async (event, context) => {
  const { file, expiresInSeconds = DEFAULT_LIFETIME_SECONDS } = event.body;
  if (typeof file !== 'string' || file === '') throw createError(400, 'Name the file to share in "file".');
  if (
    typeof expiresInSeconds !== 'number' ||
    !Number.isInteger(expiresInSeconds) ||
    expiresInSeconds < 1 ||
    expiresInSeconds > MAX_LIFETIME_SECONDS
  ) {
    throw createError(400, `"expiresInSeconds" is a whole number of seconds up to ${MAX_LIFETIME_SECONDS}.`);
  }
  const { share, token } = await createShare(file, expiresInSeconds, context.signingKey);
  const { domainName, stage } = event.requestContext;
  return json(201, { ...share, url: `https://${domainName}/${stage}/shares/${token}` });
});
