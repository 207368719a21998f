import type {
  APIGatewayProxyCallback,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Context,
} from 'aws-lambda';
import { MAX_NAME_LENGTH, NAME_PATTERN, NAME_RULE } from '../greeting/name-rules';
import { jsonResponse } from '../http/json-response';

/*
 * The legacy GET /greet handler, as it ran on nodejs20.x: the /hello greeting in the callback style (GET
 * /greet?name=Ada, or a JSON body {"name":"Ada"}). Task callback-handler moves it to src/handlers/greet.ts as
 * an async handler; this file stays as the reference for what must not change, and nothing deploys it.
 *
 * The runtime passes a callback-style handler a third argument and waits until it is called:
 * - `callback(null, result)` succeeds with `result`, which API Gateway sends as the HTTP response;
 * - `callback(error)` fails the invocation: Lambda records a function error, API Gateway answers
 *   502 {"message": "Internal server error"}, and asynchronous sources (S3, SNS) retry the event.
 * A bad *request* is therefore still a success for Lambda: `callback(null, <a 400 response>)`.
 *
 * Why it has to move: the nodejs24.x runtime refuses a handler that takes a callback (three parameters, not
 * async) when the function starts, with Runtime.CallbackHandlerDeprecated; nodejs22.x still runs it.
 */
export function handler(
  event: APIGatewayProxyEvent | null | undefined,
  _context: Context,
  callback: APIGatewayProxyCallback,
): void {
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
        'GET /greet expects an API Gateway proxy event. Call it through GET /greet?name=Ada, or invoke it with such an event.',
      ),
    );
    return;
  }
  callback(null, greet(event));
}
