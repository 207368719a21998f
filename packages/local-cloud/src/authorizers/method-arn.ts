// The method ARN API Gateway passes to an authorizer and matches its policy against.

export interface MethodArnParts {
  region: string;
  accountId: string;
  apiId: string;
  stage: string;
}

/**
 * `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}` for a REST request: the actual
 * method (GET for an ANY route) and the request path after the stage, as the event's `path` has it
 * (`/groups/42` gives `.../dev/GET/groups/42`, `/` gives `.../dev/GET/`).
 */
export function restMethodArn(api: MethodArnParts, httpMethod: string, path: string): string {
  return `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/${api.stage}/${httpMethod}/${path.replace(/^\//, '')}`;
}

/** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/$connect`, a WebSocket API's `$connect` route. */
export function webSocketConnectArn(api: MethodArnParts): string {
  return `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/${api.stage}/$connect`;
}
