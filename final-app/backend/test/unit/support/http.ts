// Calling a REST handler as API Gateway does, and reading its answer.
import { apiGatewayEvent, createContext, type ApiGatewayEventOptions } from '@serverless-course/test-kit';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/**
 * A handler as middy wraps it. Its context type grows with what middleware adds (the pagination secret), and
 * its third parameter is middy's own options: neither matters to a caller.
 */
type RestHandler = (
  event: APIGatewayProxyEvent,
  context: never,
  ...rest: never[]
) => Promise<APIGatewayProxyResult>;

export interface Answer {
  statusCode: number;
  headers: Record<string, unknown>;
  body: Record<string, unknown>;
}

export const ALICE = { principalId: 'alice' };
export const BOB = { principalId: 'bob' };

export async function call(handler: RestHandler, options: ApiGatewayEventOptions): Promise<Answer> {
  const headers =
    options.body !== undefined ? { 'Content-Type': 'application/json', ...options.headers } : options.headers;
  const result = await handler(apiGatewayEvent({ ...options, headers }), createContext() as never);
  return {
    statusCode: result.statusCode,
    headers: result.headers ?? {},
    body: result.body === '' ? {} : (JSON.parse(result.body) as Record<string, unknown>),
  };
}

/** A DynamoDB or S3 error as the SDK throws it. */
export function sdkError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });
}

/** An S3 GetObject body, with the two readers the adapters use. */
export function objectBody(content: Buffer | string): never {
  const bytes = Buffer.from(content);
  return {
    transformToString: async () => bytes.toString('utf8'),
    transformToByteArray: async () => new Uint8Array(bytes),
  } as never;
}
