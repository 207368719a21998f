// Verifies RS256 access tokens as any OIDC resource server does: the key named by the token's `kid` from the
// issuer's JWKS (fetched with jwks-rsa, cached), then signature, issuer, audience and expiry (jsonwebtoken).
import jwt, { type JwtPayload } from 'jsonwebtoken';
import { JwksClient } from 'jwks-rsa';

export interface TokenSettings {
  issuer: string;
  jwksUri: string;
  audience: string;
}

export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

/** The issuer is AUTH_ISSUER when set (Auth0 or any OIDC provider, on AWS), else local-cloud's own. */
export function tokenSettingsFromEnvironment(env: NodeJS.ProcessEnv = process.env): TokenSettings {
  const issuer = env.AUTH_ISSUER || env.LOCAL_CLOUD_IDENTITY_ISSUER;
  const jwksUri = env.AUTH_JWKS_URI || env.LOCAL_CLOUD_IDENTITY_JWKS_URI;
  if (!issuer || !jwksUri) {
    throw new Error(
      'No token issuer is configured. Set AUTH_ISSUER and AUTH_JWKS_URI (serverless.yml reads them)',
    );
  }
  return { issuer, jwksUri, audience: env.AUTH_AUDIENCE || 'udagram' };
}

export class TokenVerifier {
  private readonly keys: JwksClient;

  constructor(
    private readonly settings: TokenSettings,
    keys?: JwksClient,
  ) {
    // Keys are cached (10 minutes) and fetched at most 10 times a minute: a flood of tokens naming unknown
    // key ids cannot turn into a flood of requests to the issuer.
    this.keys =
      keys ??
      new JwksClient({
        jwksUri: settings.jwksUri,
        cache: true,
        cacheMaxAge: 10 * 60 * 1000,
        rateLimit: true,
        jwksRequestsPerMinute: 10,
        timeout: 5000,
      });
  }

  /** The user the token names (`sub`); throws InvalidTokenError for any token that does not verify. */
  async verify(token: string): Promise<string> {
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || decoded.header.alg !== 'RS256' || typeof decoded.header.kid !== 'string') {
      throw new InvalidTokenError('not an RS256 JWT with a key id');
    }
    let publicKey: string;
    try {
      publicKey = (await this.keys.getSigningKey(decoded.header.kid)).getPublicKey();
    } catch (error) {
      throw new InvalidTokenError(`no signing key ${decoded.header.kid}: ${(error as Error).message}`);
    }
    let payload: string | JwtPayload;
    try {
      payload = jwt.verify(token, publicKey, {
        algorithms: ['RS256'],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
      });
    } catch (error) {
      throw new InvalidTokenError((error as Error).message);
    }
    if (typeof payload === 'string' || typeof payload.sub !== 'string' || payload.sub === '') {
      throw new InvalidTokenError('the token names no user (sub)');
    }
    // jsonwebtoken checks exp only when it is there: a token without one would work forever if it leaked.
    if (typeof payload.exp !== 'number') throw new InvalidTokenError('the token never expires (no exp)');
    return payload.sub;
  }
}
