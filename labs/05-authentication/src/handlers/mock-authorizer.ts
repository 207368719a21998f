import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { allowWholeApi, unauthorized } from '../auth/policy';

/**
 * The one token the mock authorizer accepts. A stand-in to wire an API to an authorizer before any identity
 * provider exists: never deploy it in front of real data.
 */
export const MOCK_TOKEN = 'Bearer let-me-in';
export const MOCK_USER_ID = 'mock-user';

/** A TOKEN authorizer that allows MOCK_TOKEN, as the user MOCK_USER_ID, and refuses everything else. */
export async function handler(event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  // BEGIN SOLUTION mock-authorizer
  // TODO(mock-authorizer): allow the whole API for MOCK_USER_ID when the token is MOCK_TOKEN; otherwise throw unauthorized().
  if (event.authorizationToken !== MOCK_TOKEN) throw unauthorized();
  return allowWholeApi(MOCK_USER_ID, event.methodArn, { userId: MOCK_USER_ID });
  // END SOLUTION
}
