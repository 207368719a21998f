import {
  apiGatewayEvent,
  createContext,
  invokeHandler,
  type ApiGatewayEventOptions,
} from '@serverless-course/test-kit';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

type ProxyHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/** Calls a handler with an API Gateway proxy event, as the Lambda runtime would. */
export function call(handler: ProxyHandler, options: ApiGatewayEventOptions): Promise<APIGatewayProxyResult> {
  return invokeHandler(handler, apiGatewayEvent(options), createContext());
}

export function bodyOf(response: APIGatewayProxyResult): unknown {
  return JSON.parse(response.body) as unknown;
}

/** The message of an error response, checked to be the API's error shape: { "message": "..." }. */
export function messageOf(response: APIGatewayProxyResult): string {
  const body = bodyOf(response);
  expect(body).toEqual({ message: expect.any(String) as unknown });
  return (body as { message: string }).message;
}
