import type {
  APIGatewayProxyCallback,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Context,
} from 'aws-lambda';
import { MAX_NAME_LENGTH, NAME_PATTERN, NAME_RULE } from '../greeting/name-rules';
import { jsonResponse } from '../http/json-response';

/*
 * GET /greet?name=Ada, or a JSON body {"name":"Ada"}: the /hello greeting in the older callback style.
 *
 * The runtime passes a callback-style handler a third argument and waits until it is called:
 * - `callback(null, result)` succeeds with `result`, which API Gateway sends as the HTTP response;
 * - `callback(error)` fails the invocation: Lambda records a function error, API Gateway answers
 *   502 {"message": "Internal server error"}, and asynchronous sources (S3, SNS) retry the event.
 * A bad *request* is therefore still a success for Lambda: `callback(null, <a 400 response>)`.
 *
 * Why new code uses async handlers instead:
 * - one way to finish, return or throw; a forgotten callback leaves the function running until its timeout,
 *   and a second call is silently ignored;
 * - with `callbackWaitsForEmptyEventLoop` (true by default) the invocation only ends once timers and open
 *   sockets are done, so a kept-alive connection can hold it open;
 * - `await` and `try`/`catch` replace passing every error along by hand;
 * - the Node.js 24 runtime no longer accepts callback handlers; nodejs20.x, used here, still does.
 */
export function handler(
  event: APIGatewayProxyEvent | null | undefined,
  _context: Context,
  callback: APIGatewayProxyCallback,
): void {
  // BEGIN SOLUTION callback-handler
  function greet(request: APIGatewayProxyEvent): APIGatewayProxyResult {
    let name: unknown = request.queryStringParameters?.name;
    if (request.body !== null && request.body !== '') {
      const text = request.isBase64Encoded
        ? Buffer.from(request.body, 'base64').toString('utf8')
        : request.body;
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
    if (name === undefined) {
      return jsonResponse(200, { message: 'Hello, world!' });
    }
    if (typeof name !== 'string') {
      return jsonResponse(400, { message: 'name must be a string, for example {"name":"Ada"}.' });
    }
    const trimmed = name.normalize('NFC').trim();
    if (trimmed === '') {
      return jsonResponse(200, { message: 'Hello, world!' });
    }
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
  }

  if (typeof event?.httpMethod !== 'string') {
    // Not an HTTP request at all (a direct invoke with no payload, say): a caller's mistake, so fail loudly.
    callback(
      new Error(
        'greetCallback expects an API Gateway proxy event. Call it through GET /greet?name=Ada, or invoke it with such an event.',
      ),
    );
    return;
  }
  callback(null, greet(event));
  // END SOLUTION
}
