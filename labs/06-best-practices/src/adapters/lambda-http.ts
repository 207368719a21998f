// Adapter: API Gateway (REST, Lambda proxy v1) to the app's ApiRequest and back.
import type { APIGatewayProxyEvent, APIGatewayProxyHandler, APIGatewayProxyResult } from 'aws-lambda';
import type { ApiRequest, ApiResponse, ImagesApi } from '../app/api-types';

export function toApiRequest(event: APIGatewayProxyEvent): ApiRequest {
  // BEGIN SOLUTION lambda-adapter
  // TODO(lambda-adapter): take the method, the path (no stage) and the body, decoding base64 bodies.
  const body =
    event.body === null || event.body === undefined
      ? null
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
  return { method: event.httpMethod.toUpperCase(), path: event.path, body };
  // END SOLUTION
}

export function toProxyResult(response: ApiResponse): APIGatewayProxyResult {
  // BEGIN SOLUTION lambda-adapter
  // TODO(lambda-adapter): return { statusCode, headers, body } as API Gateway expects it.
  return { statusCode: response.statusCode, headers: response.headers, body: response.body };
  // END SOLUTION
}

export function lambdaHandler(api: ImagesApi): APIGatewayProxyHandler {
  return async (event) => toProxyResult(await api.handle(toApiRequest(event)));
}
