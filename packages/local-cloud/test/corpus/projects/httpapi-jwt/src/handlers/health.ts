import type { APIGatewayProxyEventV2 } from 'aws-lambda';

// No statusCode: API Gateway answers 200 with the JSON of what the function returns (payload 2.0 only).
export const handler = async (event: APIGatewayProxyEventV2) => ({
  ok: true,
  route: event.routeKey,
  stage: event.requestContext.stage,
});
