import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { jsonResponse } from '../http/json-response';

/**
 * GET /me (JWT authorizer) and GET /mock/me (mock authorizer): what the authorizer passed on, as API Gateway
 * delivers it: the principalId, and the context values (as strings) beside it. Deliberately without the
 * middleware of the image routes, so the authorizers can be tried before that middleware exists.
 */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const authorizer: Record<string, unknown> = event.requestContext.authorizer ?? {};
  return jsonResponse(200, {
    principalId: authorizer.principalId ?? null,
    userId: authorizer.userId ?? null,
  });
}
