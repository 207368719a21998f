import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { HttpError } from '../core/errors';
import { jsonResponse } from './json-response';

type ProxyHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/**
 * The one place errors become HTTP responses: an HttpError answers its status code and message; anything
 * else is our fault, logged in full and answered 500 without internals (a stack trace helps attackers, not
 * clients).
 */
export function httpHandler(handle: ProxyHandler): ProxyHandler {
  return async (event) => {
    try {
      return await handle(event);
    } catch (error) {
      if (error instanceof HttpError) {
        return jsonResponse(error.statusCode, { message: error.message });
      }
      console.error('Unexpected error', error);
      return jsonResponse(500, {
        message: 'Internal server error. Try again later; if it keeps failing, the function logs say why.',
      });
    }
  };
}
