// The edge every handler shares: runs the handler's work, turns what it returns into a JSON response and
// what it throws into an error response, both with CORS headers. Later labs do this with middy middleware.
import type { APIGatewayProxyEvent, APIGatewayProxyHandler } from 'aws-lambda';
import { errorResponse, jsonResponse } from './responses';

export interface HttpResult {
  statusCode: number;
  body: unknown;
}

export function httpHandler(
  work: (event: APIGatewayProxyEvent) => Promise<HttpResult>,
  allowedOrigin: string,
): APIGatewayProxyHandler {
  return async (event) => {
    try {
      const result = await work(event);
      return jsonResponse(result.statusCode, result.body, allowedOrigin);
    } catch (error) {
      return errorResponse(error, allowedOrigin);
    }
  };
}
