import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { MAX_NAME_LENGTH, NAME_PATTERN, NAME_RULE } from '../greeting/name-rules';
import { jsonResponse } from '../http/json-response';

/**
 * GET /greet?name=Ada, or a JSON body {"name":"Ada"}: the legacy callback handler in src/legacy/greet-callback.ts,
 * moved to an async handler so that it runs on nodejs24.x, which refuses callback handlers. Every response
 * and every failure stays as it was:
 * - what the legacy code passed as `callback(null, result)`, this returns (a 400 response included: a bad
 *   request is still a successful invocation);
 * - what it passed as `callback(error)`, this throws: the invocation fails, as before.
 */
export async function handler(
  event: APIGatewayProxyEvent | null | undefined,
  _context: Context,
): Promise<APIGatewayProxyResult> {
  // BEGIN SOLUTION callback-handler
  if (typeof event?.httpMethod !== 'string') {
    // Not an HTTP request at all (a direct invoke with no payload, say): a caller's mistake, so fail loudly.
    throw new Error(
      'GET /greet expects an API Gateway proxy event. Call it through GET /greet?name=Ada, or invoke it with such an event.',
    );
  }
  let name: unknown = event.queryStringParameters?.name;
  if (event.body !== null && event.body !== '') {
    const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return jsonResponse(400, {
        message: 'The request body is not valid JSON. Send {"name":"Ada"}, or no body and /greet?name=Ada.',
      });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return jsonResponse(400, {
        message: 'The request body must be a JSON object, for example {"name":"Ada"}.',
      });
    }
    name = (parsed as Record<string, unknown>).name ?? name;
  }
  if (name === undefined) return jsonResponse(200, { message: 'Hello, world!' });
  if (typeof name !== 'string') {
    return jsonResponse(400, { message: 'name must be a string, for example {"name":"Ada"}.' });
  }
  const trimmed = name.normalize('NFC').trim();
  if (trimmed === '') return jsonResponse(200, { message: 'Hello, world!' });
  if (Array.from(trimmed).length > MAX_NAME_LENGTH) {
    return jsonResponse(400, {
      message: `name is too long: at most ${MAX_NAME_LENGTH} characters allowed. Send a shorter name, for example {"name":"Ada"}.`,
    });
  }
  if (!NAME_PATTERN.test(trimmed)) {
    return jsonResponse(400, {
      message: `name may contain only ${NAME_RULE}. Remove the other characters, for example {"name":"Ada"}.`,
    });
  }
  return jsonResponse(200, { message: `Hello, ${trimmed}!` });
  // END SOLUTION
}
