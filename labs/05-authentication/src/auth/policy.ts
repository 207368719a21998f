import type { APIGatewayAuthorizerResult } from 'aws-lambda';

/** What a Lambda authorizer may pass on: API Gateway accepts only strings, numbers and booleans here. */
export type AuthorizerContext = Record<string, string | number | boolean>;

/**
 * The resource that covers every method of the API's stage: `arn:aws:execute-api:us-east-1:123456789012:
 * a1b2c3/dev/GET/images/42` becomes `arn:aws:execute-api:us-east-1:123456789012:a1b2c3/dev/*`.
 *
 * Why not the method ARN itself: API Gateway caches the authorizer's policy by token (for
 * `resultTtlInSeconds`, 300 s by default) and evaluates the cached policy against every later request
 * carrying that token. A policy naming only `POST /images` would then deny the same user's `PATCH` with a 403
 * until the cache expires.
 */
export function apiWideResource(methodArn: string): string {
  const [apiArn, stage] = methodArn.split('/');
  if (apiArn === undefined || !apiArn.startsWith('arn:aws') || !stage) {
    throw new TypeError(
      `"${methodArn}" is not an API Gateway method ARN. Expected arn:aws:execute-api:<region>:<account>:<api id>/<stage>/<method>/<path>.`,
    );
  }
  return `${apiArn}/${stage}/*`;
}

/** An Allow for the whole API, for the user `principalId`, with `context` for the functions behind it. */
export function allowWholeApi(
  principalId: string,
  methodArn: string,
  context: AuthorizerContext = {},
): APIGatewayAuthorizerResult {
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: apiWideResource(methodArn) }],
    },
    context,
  };
}

/**
 * API Gateway answers `401 {"message":"Unauthorized"}` only when the authorizer fails with exactly this
 * message; any other error is a 500. Throw it for every token that is missing, malformed or invalid.
 */
export function unauthorized(): Error {
  return new Error('Unauthorized');
}
