/** Where tokens come from and whom they are for: the three settings a JWT authorizer needs. */
export interface AuthConfig {
  /** The `iss` every token must carry, exactly: Auth0's is `https://<tenant>.auth0.com/`, slash included. */
  issuer: string;
  /** The issuer's public keys (JWKS). Auth0: `https://<tenant>.auth0.com/.well-known/jwks.json`. */
  jwksUri: string;
  /** The `aud` every token must carry: the API's identifier at the issuer. */
  audience: string;
  /** How far the clocks of the issuer and of Lambda may disagree, for `exp`, `nbf` and `iat`. */
  clockToleranceSeconds: number;
}

/**
 * A minute of tolerance: enough for clocks kept by NTP (usually within a second), short enough that an
 * expired token is refused soon after it expires.
 */
export const CLOCK_TOLERANCE_SECONDS = 60;

/**
 * Reads the settings once per sandbox. On AWS, `AUTH_ISSUER`, `AUTH_JWKS_URI` and `AUTH_AUDIENCE` come from
 * serverless.yml's stage parameters (your Auth0 tenant); on local-cloud they are left empty and the local
 * issuer's `LOCAL_CLOUD_IDENTITY_ISSUER` and `LOCAL_CLOUD_IDENTITY_JWKS_URI` stand in.
 */
export function authConfigFromEnvironment(environment: NodeJS.ProcessEnv = process.env): AuthConfig {
  const issuer = environment.AUTH_ISSUER || environment.LOCAL_CLOUD_IDENTITY_ISSUER;
  const jwksUri = environment.AUTH_JWKS_URI || environment.LOCAL_CLOUD_IDENTITY_JWKS_URI;
  const audience = environment.AUTH_AUDIENCE;
  const missing = [
    issuer ? undefined : 'AUTH_ISSUER',
    jwksUri ? undefined : 'AUTH_JWKS_URI',
    audience ? undefined : 'AUTH_AUDIENCE',
  ].filter((name) => name !== undefined);
  if (!issuer || !jwksUri || !audience) {
    throw new Error(
      `The authorizer is not configured: ${missing.join(', ')} empty. Set the stage parameters authIssuer, authJwksUri and authAudience (serverless deploy --param="authIssuer=https://<tenant>.auth0.com/"), or run it on local-cloud, which provides its own issuer.`,
    );
  }
  return { issuer, jwksUri, audience, clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS };
}
