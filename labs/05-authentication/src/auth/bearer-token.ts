import { InvalidTokenError } from './verify-token';

/**
 * The token in an `Authorization` header value: `Bearer eyJhbGciOi...` (RFC 6750, section 2.1). The scheme
 * is case-insensitive; anything else (another scheme, no token, extra parts) is refused.
 */
export function bearerTokenOf(authorization: string | undefined): string {
  // BEGIN SOLUTION jwt-authorizer
  // TODO(jwt-authorizer): accept exactly "Bearer <token>" and return the token; throw InvalidTokenError otherwise.
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(authorization?.trim() ?? '');
  if (!match?.[1]) {
    throw new InvalidTokenError('the Authorization header is not "Bearer <token>"');
  }
  return match[1];
  // END SOLUTION
}
