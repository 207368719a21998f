// A JWT authorizer, in the steps of API Gateway's workflow (http-api-jwt-authorizer): the token from the
// identity source (alone or after `Bearer `), decoded; its RSA signature checked with the issuer's key named
// by `kid`; then `iss` (exactly the issuerUrl), `aud` (or, without aud, `client_id`) among the audiences,
// `exp` after now, `nbf` and `iat` not after now, and, when the route has scopes, one of them in `scope` or
// `scp`. A token failing any step is `401 {"message":"Unauthorized"}` with a `www-authenticate` header saying
// why; a valid token without the route's scopes is `403 {"message":"Forbidden"}`. The claims reach the
// function as strings, as AWS passes them.
import { constants, verify as verifySignature } from 'node:crypto';
import { isRecord } from '../common/records';
import type { JwtAuthorizerConfig } from './api-config';
import type { Authorization } from './event-v2';
import type { IssuerKeys } from './issuer-keys';
import type { HttpApiRequest } from './request';

export type AuthorizerOutcome =
  | { allowed: true; authorization: Authorization }
  | {
      allowed: false;
      status: 401 | 403 | 500;
      /** Why, for the log line. */
      reason: string;
      /** Flat name, value list: `www-authenticate` for token errors. */
      headers: string[];
    };

/** RSA algorithms, the only ones API Gateway's JWT authorizers accept, with Node's digest for each. */
const ALGORITHMS: Record<string, { digest: string; pss: boolean }> = {
  RS256: { digest: 'sha256', pss: false },
  RS384: { digest: 'sha384', pss: false },
  RS512: { digest: 'sha512', pss: false },
  PS256: { digest: 'sha256', pss: true },
  PS384: { digest: 'sha384', pss: true },
  PS512: { digest: 'sha512', pss: true },
};

export interface JwtAuthorizerOptions {
  keys: IssuerKeys;
  now?: () => number;
  /** Told once when the issuer cannot be reached (and again after it was reached and is lost again). */
  onUnreachableIssuer: (config: JwtAuthorizerConfig, detail: string) => void;
}

export class JwtAuthorizer {
  private readonly now: () => number;
  private unreachable = false;

  constructor(
    private readonly config: JwtAuthorizerConfig,
    private readonly options: JwtAuthorizerOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async authorize(request: HttpApiRequest, routeScopes: readonly string[]): Promise<AuthorizerOutcome> {
    const { identitySource } = this.config;
    const value =
      identitySource.where === 'header'
        ? request.headers[identitySource.name.toLowerCase()]
        : request.queryStringParameters?.[identitySource.name];
    if (value === undefined || value.trim() === '') {
      return {
        allowed: false,
        status: 401,
        reason: `the identity source ${identitySource.expression} is missing or empty`,
        headers: [],
      };
    }
    const token = value.trim().replace(/^Bearer\s+/i, '');
    const parts = token.split('.');
    const header = parts.length === 3 ? jsonPart(parts[0] as string) : undefined;
    const claims = parts.length === 3 ? jsonPart(parts[1] as string) : undefined;
    if (!header || !claims) return invalid('the token is not a JWT (three base64url JSON parts)');

    const algorithm = typeof header.alg === 'string' ? ALGORITHMS[header.alg] : undefined;
    if (!algorithm)
      return invalid(
        `the token's algorithm ${JSON.stringify(header.alg)} is not an RSA algorithm (RS256, ...)`,
      );
    if (typeof header.kid !== 'string') return invalid('the token names no signing key (kid)');
    const lookup = await this.options.keys.key(this.config.issuerUrl, header.kid);
    if (!lookup.ok && lookup.reason === 'unreachable') {
      if (!this.unreachable) this.options.onUnreachableIssuer(this.config, lookup.detail);
      this.unreachable = true;
      return invalid(`the issuer ${this.config.issuerUrl} cannot be reached to verify the token`);
    }
    this.unreachable = false;
    if (!lookup.ok) return invalid(`the issuer's key set has no key ${header.kid}`);
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    const signature = Buffer.from(parts[2] as string, 'base64url');
    const key = algorithm.pss ? { key: lookup.key, padding: constants.RSA_PKCS1_PSS_PADDING } : lookup.key;
    if (!verifySignature(algorithm.digest, signed, key, signature))
      return invalid('the token has an invalid signature');

    const problem = this.claimsProblem(claims);
    if (problem) return invalid(problem);
    const tokenScopes = scopesOf(claims);
    if (routeScopes.length > 0 && !routeScopes.some((scope) => tokenScopes.includes(scope))) {
      return {
        allowed: false,
        status: 403,
        reason: `the token's scopes [${tokenScopes.join(' ')}] include none of the route's [${routeScopes.join(' ')}]`,
        headers: [
          'www-authenticate',
          `Bearer scope="${routeScopes.join(' ')}" error="insufficient_scope" error_description="expected scopes: [${routeScopes.join(' ')}]"`,
        ],
      };
    }
    return {
      allowed: true,
      authorization: {
        kind: 'jwt',
        claims: Object.fromEntries(Object.entries(claims).map(([name, claim]) => [name, claimText(claim)])),
        scopes: tokenScopes.length > 0 ? tokenScopes : null,
      },
    };
  }

  private claimsProblem(claims: Record<string, unknown>): string | undefined {
    const { issuerUrl, audience } = this.config;
    if (claims.iss !== issuerUrl) {
      return `the token's issuer ${JSON.stringify(claims.iss)} is not the authorizer's issuerUrl ${JSON.stringify(issuerUrl)}`;
    }
    // `client_id` counts only when there is no `aud` (http-api-troubleshooting-jwt).
    const audiences = claims.aud !== undefined ? [claims.aud].flat() : [claims.client_id];
    if (!audiences.some((item) => typeof item === 'string' && audience.includes(item))) {
      return 'the token does not have a valid audience';
    }
    const seconds = this.now() / 1000;
    if (typeof claims.exp !== 'number') return 'the token has no expiry (exp)';
    if (claims.exp <= seconds) return 'the token has expired';
    if (typeof claims.nbf === 'number' && claims.nbf > seconds) return 'the token is not valid yet (nbf)';
    if (typeof claims.iat === 'number' && claims.iat > seconds + 1)
      return 'the token was issued in the future (iat)';
    return undefined;
  }
}

function invalid(description: string): AuthorizerOutcome {
  return {
    allowed: false,
    status: 401,
    reason: description,
    headers: [
      'www-authenticate',
      `Bearer scope="" error="invalid_token" error_description="${description.replaceAll('"', "'")}"`,
    ],
  };
}

function jsonPart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** `scope` (space-separated, OAuth 2.0) or `scp` (a list, or space-separated). */
function scopesOf(claims: Record<string, unknown>): string[] {
  const raw = claims.scope ?? claims.scp;
  if (typeof raw === 'string') return raw.split(/\s+/).filter((scope) => scope !== '');
  return Array.isArray(raw) ? raw.filter((scope): scope is string => typeof scope === 'string') : [];
}

/** A claim as API Gateway passes it: numbers and booleans as text, lists as `[a b]`, objects as JSON. */
function claimText(claim: unknown): string {
  if (typeof claim === 'string') return claim;
  if (Array.isArray(claim)) return `[${claim.map(claimText).join(' ')}]`;
  if (isRecord(claim)) return JSON.stringify(claim);
  return String(claim);
}
