// The middleware every REST handler shares, so a handler is only: read the validated input, call the use
// case, shape the answer. In order: header names lower-cased, the JSON body parsed, the whole event checked
// against the handler's JSON Schema, CORS headers added, and every error turned into
// `{ "message": "<what is wrong>. <how to fix it>" }` with its status code.
import middy, { type MiddlewareObj } from '@middy/core';
import httpCors from '@middy/http-cors';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import validator from '@middy/validator';
import { transpileSchema } from '@middy/validator/transpile';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { flushTraces } from '../adapters/aws-clients';
import { HttpError, UnauthorizedError } from '../core/errors';

export type HttpEvent<Body = unknown> = Omit<APIGatewayProxyEvent, 'body'> & { body: Body };
type Handler<Body> = (event: HttpEvent<Body>, context: Context) => Promise<APIGatewayProxyResult>;

export interface HttpHandlerOptions {
  /** JSON Schema of the event (body, pathParameters, queryStringParameters), compiled once per sandbox. */
  eventSchema?: object;
  /** Parse the body as JSON (POST handlers). */
  jsonBody?: boolean;
}

export function httpHandler<Body = unknown>(handler: Handler<Body>, options: HttpHandlerOptions = {}) {
  const wrapped = middy<APIGatewayProxyEvent, APIGatewayProxyResult>(
    handler as unknown as (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>,
  )
    // First in, so last out: the spans of everything below are exported before the answer (flushTraces).
    .use(flushTracesAfter())
    .use(httpHeaderNormalizer())
    .use(httpCors({ origin: process.env.ALLOWED_ORIGIN || '*', methods: 'GET,POST,DELETE,OPTIONS' }))
    .use(errorResponse());
  if (options.jsonBody) wrapped.use(jsonBody());
  if (options.eventSchema) {
    // Types are checked as sent (no coercion): `{"name": 5}` is an error, not the name "5".
    wrapped.use(
      validator({
        eventSchema: transpileSchema(options.eventSchema, { coerceTypes: false, useDefaults: true }),
      }),
    );
  }
  return wrapped;
}

function flushTracesAfter(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const flush = async () => {
    await flushTraces();
  };
  return { after: flush, onError: flush };
}

export function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

export function noContent(): APIGatewayProxyResult {
  return { statusCode: 204, headers: {}, body: '' };
}

/** The caller, as the authorizer identified it (the token's `sub`). */
export function userIdOf(event: HttpEvent): string {
  const principalId: unknown = event.requestContext.authorizer?.principalId;
  if (typeof principalId !== 'string' || principalId === '') {
    throw new UnauthorizedError('This request needs a signed-in user. Send Authorization: Bearer <token>');
  }
  return principalId;
}

/** Bodies must be JSON objects sent as application/json; anything else is a 400 naming the fix. */
function jsonBody(): MiddlewareObj<APIGatewayProxyEvent> {
  const parser = httpJsonBodyParser({ disableContentTypeError: false });
  return {
    before: async (request) => {
      if (request.event.body === null || request.event.body === '') {
        throw badRequest('The request has no body. Send a JSON object with Content-Type: application/json');
      }
      try {
        await parser.before?.(request as never);
      } catch (error) {
        const status = (error as { statusCode?: number }).statusCode;
        if ((error as Error).message === 'Unsupported Media Type') {
          throw new UnsupportedMediaTypeError(
            'The body is not declared as JSON. Send it with Content-Type: application/json',
          );
        }
        if (status === 415) {
          throw badRequest('The body is not valid JSON. Send a JSON object, such as {"name": "Cats"}');
        }
        throw error;
      }
    },
  };
}

class BadRequestError extends HttpError {
  override readonly name = 'BadRequestError';
  readonly statusCode = 400;
}

class UnsupportedMediaTypeError extends HttpError {
  override readonly name = 'UnsupportedMediaTypeError';
  readonly statusCode = 415;
}

function badRequest(message: string): BadRequestError {
  return new BadRequestError(message);
}

interface AjvError {
  instancePath: string;
  message?: string;
}

/** The one place failures become responses. */
function errorResponse(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: async (request) => {
      const error = request.error as
        (Error & { statusCode?: number; cause?: { package?: string; data?: unknown } }) | null;
      let statusCode = 500;
      let message = 'Something went wrong on our side. Try again in a moment';
      if (error instanceof HttpError) {
        statusCode = error.statusCode;
        message = error.message;
      } else if (error?.cause?.package === '@middy/validator' && Array.isArray(error.cause.data)) {
        statusCode = 400;
        message = validationMessage(error.cause.data as AjvError[]);
      } else {
        console.error('Unexpected error', error);
      }
      request.response = json(statusCode, { message });
    },
  };
}

function validationMessage(errors: AjvError[]): string {
  const messages = [...new Set(errors.map((error) => error.message ?? 'is not valid'))];
  const text = messages.join('; ');
  return /\.\s/.test(text)
    ? text
    : `The request is not valid: ${text}. Check it against the API in the README`;
}
