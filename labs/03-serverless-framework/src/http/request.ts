import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ValidationError } from '../core/errors';

/** DynamoDB keys may be longer, but no id this API hands out is: a longer one is a mistake. */
export const MAX_ID_LENGTH = 128;

/** A path parameter such as {groupId}: present, non-blank and of a sensible length. */
export function pathParameter(event: APIGatewayProxyEvent, name: string): string {
  const value = event.pathParameters?.[name]?.trim() ?? '';
  if (value === '') {
    throw new ValidationError(
      `The path parameter ${name} is missing. Put it in the URL, as in the route's {${name}}.`,
    );
  }
  if (value.length > MAX_ID_LENGTH) {
    throw new ValidationError(
      `The path parameter ${name} is too long: at most ${MAX_ID_LENGTH} characters. Check the id in the URL.`,
    );
  }
  return value;
}

/** The request body parsed as JSON (API Gateway sends null for no body, base64 for binary media types). */
export function jsonBody(event: APIGatewayProxyEvent): unknown {
  if (event.body === null || event.body === '') {
    throw new ValidationError(
      'The request has no body. Send a JSON object with Content-Type: application/json.',
    );
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError(
      'The body is not valid JSON. Send a JSON object with Content-Type: application/json.',
    );
  }
}
