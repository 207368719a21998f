import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { bearerTokenOf } from './bearer-token';
import { allowWholeApi, unauthorized } from './policy';
import { InvalidTokenError, type VerifiedUser } from './verify-token';

/** Checks a bearer token and says who it belongs to, or throws InvalidTokenError. */
export type TokenVerifier = (token: string) => Promise<VerifiedUser>;

/**
 * A TOKEN authorizer: takes the `Authorization` header API Gateway passes as `authorizationToken`, verifies
 * the bearer token, and allows the whole API for its user, with the user id in the context. Every refused
 * token is the error `Unauthorized` (401); the reason is logged, the token never is.
 */
export function authorizeWith(
  verify: TokenVerifier,
): (event: APIGatewayTokenAuthorizerEvent) => Promise<APIGatewayAuthorizerResult> {
  return async (event) => {
    // BEGIN SOLUTION jwt-authorizer
    // TODO(jwt-authorizer): verify the bearer token; allow the whole API for its user with { userId } as context, or throw unauthorized().
    try {
      const user = await verify(bearerTokenOf(event.authorizationToken));
      return allowWholeApi(user.userId, event.methodArn, { userId: user.userId });
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        console.log(JSON.stringify({ level: 'info', message: 'token refused', reason: error.reason }));
        throw unauthorized();
      }
      throw error;
    }
    // END SOLUTION
  };
}
