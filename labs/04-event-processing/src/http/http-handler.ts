import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { HttpError, ValidationError } from '../core/errors';

export interface HttpResult {
  statusCode: number;
  body: unknown;
}

/** A proxy response with a JSON body. The proxy integration adds no CORS headers: the function must. */
export function jsonResponse(statusCode: number, body: unknown): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' },
    body: JSON.stringify(body),
  };
}

/** Errors to HTTP in one place: HttpErrors keep their status and message; anything else is a logged 500. */
export function httpHandler(
  run: (event: APIGatewayProxyEvent) => Promise<HttpResult>,
): (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult> {
  return async (event) => {
    try {
      const result = await run(event);
      return jsonResponse(result.statusCode, result.body);
    } catch (error) {
      if (error instanceof HttpError) return jsonResponse(error.statusCode, { message: error.message });
      console.error(error);
      return jsonResponse(500, {
        message:
          'The server failed to answer. Try again in a moment; if it persists, check the function logs.',
      });
    }
  };
}

/** The body as a JSON object, or a 400 that says what to send. */
export function jsonObjectBody(event: APIGatewayProxyEvent, example: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(event.body ?? '');
  } catch {
    throw new ValidationError(`The body is not valid JSON. Send a JSON object such as ${example}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ValidationError(`The body must be a JSON object. Send one such as ${example}.`);
  }
  return parsed as Record<string, unknown>;
}

/** A trimmed string field of 1 to `max` characters, or a 400 that names the field. */
export function textField(body: Record<string, unknown>, name: string, max: number, example: string): string {
  const value = body[name];
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') {
    throw new ValidationError(
      `${name} is missing or empty. Send it as a non-empty string, for example ${example}.`,
    );
  }
  if (text.length > max) {
    throw new ValidationError(
      `${name} is ${text.length} characters long; at most ${max} are allowed. Shorten it.`,
    );
  }
  return text;
}
