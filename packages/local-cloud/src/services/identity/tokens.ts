// Minting RS256 JWTs as an OpenID provider issues access tokens: `iss`, `sub`, `aud` (when configured),
// `iat`, `exp`, signed with the issuer's key and naming it in the header's `kid`, so an application that
// verifies with jsonwebtoken + jwks-rsa (key lookup by kid, issuer, audience, expiry) accepts them.
import jwt from 'jsonwebtoken';
import type { SigningKey } from './signing-key';

export interface MintTokenOptions {
  /** The user: the token's `sub`. */
  sub: string;
  /** Overrides the issuer's default audience for this token. */
  audience?: string;
  /** Seconds, or `30s`, `15m`, `1h`, `1d`. Default 1 hour, at most 24 hours. */
  expiresIn?: number | string;
  /** More claims (`email`, `name`, `scope`, ...). `iss`, `sub`, `aud`, `iat` and `exp` are the issuer's. */
  claims?: Record<string, unknown>;
}

export const DEFAULT_EXPIRES_IN_SECONDS = 3600;
/**
 * The longest lifetime the issuer gives a token: a leaked token stops working within a day, as the access
 * tokens of hosted providers do (Auth0's default is 24 hours; Cognito's at most one day).
 */
export const MAX_EXPIRES_IN_SECONDS = 86_400;

/** A token request local-cloud refuses: a missing `sub`, a malformed duration. */
export class TokenRequestError extends Error {
  override readonly name = 'TokenRequestError';
}

export function mintToken(
  key: SigningKey,
  issuer: { issuer: string; audience?: string },
  options: MintTokenOptions,
  nowMs: number,
): string {
  if (typeof options.sub !== 'string' || options.sub === '') {
    throw new TokenRequestError('a token needs a subject: give sub, such as "alice"');
  }
  const issuedAt = Math.floor(nowMs / 1000);
  const audience = options.audience ?? issuer.audience;
  const payload = {
    ...options.claims,
    iss: issuer.issuer,
    sub: options.sub,
    ...(audience === undefined ? {} : { aud: audience }),
    iat: issuedAt,
    exp: issuedAt + durationSeconds(options.expiresIn ?? DEFAULT_EXPIRES_IN_SECONDS),
  };
  return jwt.sign(payload, key.privateKey, { algorithm: 'RS256', keyid: key.kid });
}

export function durationSeconds(value: number | string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return withinLifetime(value, value);
  const match = typeof value === 'string' ? /^(\d+)\s*(s|m|h|d)?$/.exec(value.trim()) : null;
  if (!match || Number(match[1]) === 0) {
    throw new TokenRequestError(
      `expiry "${String(value)}" is not a duration: give whole seconds or a number with s, m, h or d, such as 1h`,
    );
  }
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[(match[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
  return withinLifetime(Number(match[1]) * unit, value);
}

function withinLifetime(seconds: number, asGiven: number | string): number {
  if (seconds > MAX_EXPIRES_IN_SECONDS) {
    throw new TokenRequestError(
      `expiry "${String(asGiven)}" is longer than 24h, the longest lifetime the local issuer gives a token: give 24h or less, and mint a new token when it expires`,
    );
  }
  return seconds;
}
