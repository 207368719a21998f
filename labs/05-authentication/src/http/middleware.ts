import middy, { type MiddlewareObj, type MiddyfiedHandler } from '@middy/core';
import httpCors from '@middy/http-cors';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import validator from '@middy/validator';
import { transpileSchema } from '@middy/validator/transpile';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { HttpError } from './errors';
import { jsonResponse } from './json-response';

/** A proxy event whose body the middleware has already parsed and validated. */
export type ApiEvent<TBody = null> = Omit<APIGatewayProxyEvent, 'body'> & { body: TBody };

export type ApiHandler<TBody> = (event: ApiEvent<TBody>, context: Context) => Promise<APIGatewayProxyResult>;

export interface HttpApiOptions {
  /** A JSON Schema for the body. With one, the request must be JSON (Content-Type: application/json). */
  bodySchema?: object;
}

/**
 * Who may call the API from a browser. The default `*` is safe here because the API reads bearer tokens from
 * the Authorization header, never cookies; set the allowedOrigin stage parameter to your site's origin.
 */
export const ALLOWED_ORIGIN = process.env.ALLOWED_ORIGIN || '*';

export const INTERNAL_ERROR_MESSAGE =
  'Internal server error. Try again later; if it keeps failing, report the time of the request.';

/** What an error from middy's own middleware looks like (the `http-errors` shape). */
interface MiddyError extends Error {
  statusCode?: number;
  expose?: boolean;
  cause?: { package?: string; data?: unknown; message?: string };
}

/**
 * The one place that turns a thrown error into an HTTP response: `{ "message": "<what is wrong>. <how to
 * fix it>" }` with the error's status for client errors (4xx), and a 500 that reveals nothing for the rest,
 * whose details go to the log instead.
 */
export function errorsAsJson(): MiddlewareObj<unknown, APIGatewayProxyResult> {
  return {
    onError: async (request) => {
      const error = request.error as MiddyError;
      const { statusCode, message } = describe(error);
      if (statusCode >= 500) console.error(error);
      request.response = jsonResponse(statusCode, { message });
    },
  };
}

function describe(error: MiddyError): { statusCode: number; message: string } {
  if (error instanceof HttpError && error.expose)
    return { statusCode: error.statusCode, message: error.message };
  if (error.cause?.package === '@middy/http-json-body-parser') {
    return error.message === 'Unsupported Media Type'
      ? {
          statusCode: 415,
          message: 'The body must be JSON. Send it with the header Content-Type: application/json.',
        }
      : {
          // middy says 415 for a body that does not parse; it is a malformed request, which HTTP calls 400.
          statusCode: 400,
          message: `The body is not valid JSON (${error.cause.message ?? 'empty'}). Send a JSON object, such as {"title":"Sunset"}.`,
        };
  }
  if (error.cause?.package === '@middy/validator' && error.statusCode === 400) {
    const problems = (error.cause.data as { instancePath: string; message?: string }[])
      .map(
        (problem) =>
          `${problem.instancePath.replace(/^\/body\/?/, '') || 'the body'} ${problem.message ?? ''}`,
      )
      .join('; ');
    return {
      statusCode: 400,
      message: `The body is not a valid request: ${problems}. Fix those fields and send it again.`,
    };
  }
  return { statusCode: 500, message: INTERNAL_ERROR_MESSAGE };
}

/**
 * Wraps a handler in the middleware every route of this API shares: header names in lower case, the JSON
 * body parsed and checked against `bodySchema`, CORS headers on every response (errors included), and
 * errors turned into JSON responses.
 */
export function httpApi<TBody = null>(
  handler: ApiHandler<TBody>,
  options: HttpApiOptions = {},
): MiddyfiedHandler<APIGatewayProxyEvent, APIGatewayProxyResult> {
  // BEGIN SOLUTION middleware
  // TODO(middleware): middy(handler) with header normalizer, CORS for ALLOWED_ORIGIN and errorsAsJson(); with a bodySchema, also the JSON body parser and a validator for { body: bodySchema }.
  const api = middy<APIGatewayProxyEvent, APIGatewayProxyResult>(handler as unknown as ApiHandler<unknown>)
    .use(httpHeaderNormalizer())
    // Before errorsAsJson: middy runs onError hooks last-added first, so CORS headers land on error responses.
    .use(httpCors({ origin: ALLOWED_ORIGIN }))
    .use(errorsAsJson());
  if (options.bodySchema !== undefined) {
    // Compiled once, when the handler module loads (Ajv turns the schema into a function: tens of ms).
    const eventSchema = transpileSchema({
      type: 'object',
      required: ['body'],
      properties: { body: options.bodySchema },
    });
    api.use(httpJsonBodyParser()).use(validator({ eventSchema }));
  }
  return api;
  // END SOLUTION
}
