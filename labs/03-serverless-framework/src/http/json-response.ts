import type { APIGatewayProxyResult } from 'aws-lambda';

/**
 * A Lambda proxy response with a JSON body. API Gateway passes it on as is; anything else (no statusCode, a
 * body that is not a string) becomes `502 {"message": "Internal server error"}` for the caller.
 */
export function jsonResponse(statusCode: number, body: unknown): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  };
}
