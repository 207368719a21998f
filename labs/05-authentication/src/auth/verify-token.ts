import jwt, { type JwtPayload } from 'jsonwebtoken';
import jwksClient, { type SigningKey } from 'jwks-rsa';
import type { AuthConfig } from './auth-config';

/** Who a verified token speaks for. */
export interface VerifiedUser {
  /** The token's `sub`: Auth0's `auth0|64b...`, `google-oauth2|...`, or local-cloud's `alice`. */
  userId: string;
  /** Every claim of the token, checked. */
  claims: JwtPayload;
}

/** Where public keys come from, by key id: jwks-rsa's JwksClient, or anything shaped like it in a test. */
export interface SigningKeys {
  getSigningKey(kid: string): Promise<Pick<SigningKey, 'getPublicKey'>>;
}

/** A token that must be refused with 401. `reason` is for the log; the caller only ever sees Unauthorized. */
export class InvalidTokenError extends Error {
  constructor(readonly reason: string) {
    super(`invalid token: ${reason}`);
    this.name = 'InvalidTokenError';
  }
}

/**
 * The issuer's keys, fetched from its JWKS endpoint and kept in memory: a sandbox fetches them once, then at
 * most `jwksRequestsPerMinute` times a minute, only for a `kid` it has not seen (an issuer rotating keys).
 * That limit is what stops tokens with made-up `kid`s from turning the authorizer into a flood of requests
 * to the issuer.
 */
export function signingKeysFrom(jwksUri: string): SigningKeys {
  return jwksClient({
    jwksUri,
    cache: true,
    cacheMaxEntries: 5,
    cacheMaxAge: 10 * 60 * 1000,
    rateLimit: true,
    jwksRequestsPerMinute: 10,
    timeout: 3000,
  });
}

/** The errors of jwks-rsa that mean "this token names a key the issuer does not have". */
const UNKNOWN_KEY_ERRORS = new Set(['SigningKeyNotFoundError', 'JwksRateLimitError']);

/**
 * Verifies an RS256 JWT as an API must: the signature with the issuer's key named by the token's `kid`, and
 * the claims `iss`, `aud`, `exp`, `nbf` (with the configured clock tolerance) and `sub`. Throws an
 * InvalidTokenError saying why a token is refused; lets other errors (the JWKS endpoint is down) through.
 */
export async function verifyToken(
  token: string,
  config: AuthConfig,
  keys: SigningKeys,
): Promise<VerifiedUser> {
  // BEGIN SOLUTION jwt-authorizer
  // TODO(jwt-authorizer): find the key by the header's kid, verify with algorithms ['RS256'], issuer, audience and clockTolerance, and return the sub.
  const decoded = jwt.decode(token, { complete: true });
  if (decoded === null || typeof decoded.payload === 'string') {
    throw new InvalidTokenError('not a JWT (three base64url parts, a JSON header and payload)');
  }
  // Checked here as well as by jwt.verify below, so that a token with alg "none" or "HS256" never even
  // causes a key lookup.
  if (decoded.header.alg !== 'RS256') {
    throw new InvalidTokenError(`algorithm ${decoded.header.alg} is not allowed, only RS256`);
  }
  const { kid } = decoded.header;
  if (kid === undefined || kid === '') throw new InvalidTokenError('the header has no kid');

  let publicKey: string;
  try {
    publicKey = (await keys.getSigningKey(kid)).getPublicKey();
  } catch (error) {
    if (error instanceof Error && UNKNOWN_KEY_ERRORS.has(error.name)) {
      throw new InvalidTokenError(`the issuer has no key with kid "${kid}"`);
    }
    throw error;
  }

  let claims: string | JwtPayload;
  try {
    claims = jwt.verify(token, publicKey, {
      // Never let the token choose its own algorithm: that is how "alg: none" and HS256-with-the-public-key
      // forgeries get through.
      algorithms: ['RS256'],
      issuer: config.issuer,
      audience: config.audience,
      clockTolerance: config.clockToleranceSeconds,
    });
  } catch (error) {
    if (error instanceof jwt.JsonWebTokenError) throw new InvalidTokenError(error.message);
    throw error;
  }
  if (typeof claims === 'string' || typeof claims.sub !== 'string' || claims.sub === '') {
    throw new InvalidTokenError('the token names no user (sub)');
  }
  // jsonwebtoken checks exp only when it is there: a token without one would work forever if it leaked.
  if (typeof claims.exp !== 'number') throw new InvalidTokenError('the token never expires (no exp)');
  return { userId: claims.sub, claims };
  // END SOLUTION
}
