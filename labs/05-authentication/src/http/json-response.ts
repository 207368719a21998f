import type { APIGatewayProxyResult } from 'aws-lambda';

/** A Lambda proxy response with a JSON body (API Gateway wants `body` as a string). */
export function jsonResponse(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}
