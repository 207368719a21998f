import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyResultV2,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import { listFor, remove as removeBookmark, save, type Bookmark } from '../lib/bookmarks';

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}) =>
  ({
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  }) satisfies APIGatewayProxyStructuredResultV2;

/** The user the authorizer verified: the token's subject. */
const userOf = (event: Event) => event.requestContext.authorizer.jwt.claims.sub as string;

function bodyOf(event: Event): Record<string, unknown> | undefined {
  if (!event.body) return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Without a statusCode, API Gateway answers 200 with this as JSON (payload 2.0). */
interface Listing {
  user: string;
  bookmarks: Bookmark[];
}

export const list = async (event: Event): Promise<APIGatewayProxyResultV2<Listing>> => {
  const tag = event.queryStringParameters?.tag;
  const bookmarks = await listFor(userOf(event));
  return {
    user: userOf(event),
    bookmarks: tag ? bookmarks.filter((bookmark) => bookmark.tags.includes(tag)) : bookmarks,
  };
};

export const add = async (event: Event): Promise<APIGatewayProxyResultV2> => {
  const body = bodyOf(event);
  const url = typeof body?.url === 'string' ? URL.parse(body.url) : null;
  if (!url || !['http:', 'https:'].includes(url.protocol)) {
    return json(400, { message: 'Send {"url": "https://...", "tags": [...]} with an http(s) URL.' });
  }
  const tags = Array.isArray(body?.tags) ? body.tags.filter((tag) => typeof tag === 'string') : [];
  const bookmark = await save(userOf(event), url.href, tags);
  // Where the bookmark lives on the API as deployed, built from the API's id (Ref: HttpApi).
  const location = `https://${process.env.HTTP_API_ID}.execute-api.${process.env.AWS_REGION}.amazonaws.com/bookmarks/${bookmark.bookmarkId}`;
  return json(201, bookmark, { location });
};

export const remove = async (event: Event): Promise<APIGatewayProxyResultV2> => {
  const bookmarkId = event.pathParameters?.bookmarkId ?? '';
  return (await removeBookmark(userOf(event), bookmarkId))
    ? { statusCode: 204 }
    : json(404, { message: `You have no bookmark ${bookmarkId}.` });
};
