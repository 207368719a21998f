import type { APIGatewayProxyEvent } from 'aws-lambda';
import { UnauthorizedError } from './errors';

/**
 * The authenticated user of a request: the `principalId` the authorizer returned, which API Gateway puts in
 * `requestContext.authorizer`. Only API Gateway writes there, after the authorizer allowed the request, so it
 * can be trusted, unlike any header or body field the client sends.
 */
export function userIdOf(event: Pick<APIGatewayProxyEvent, 'requestContext'>): string {
  // BEGIN SOLUTION protected-writes
  // TODO(protected-writes): return requestContext.authorizer.principalId; throw UnauthorizedError when there is none.
  const principalId: unknown = event.requestContext.authorizer?.principalId;
  if (typeof principalId !== 'string' || principalId === '') {
    throw new UnauthorizedError(
      'This request has no authenticated user. Send a token in the Authorization header, and put an authorizer in front of this route in serverless.yml.',
    );
  }
  return principalId;
  // END SOLUTION
}
