// The OAuth 2.0 authorization code flow with PKCE (RFC 6749 section 4.1, RFC 7636), as a browser app signs
// in with oidc-client-ts against Auth0: GET /authorize checks the request and shows a sign-in page, POST
// /authorize issues a one-time code and sends the browser back, POST /token trades the code and its
// verifier for tokens. There is no password: whoever types a user name is that user, which is why the
// issuer listens on loopback and sends codes only to loopback redirect URIs.
import { createHash, randomBytes } from 'node:crypto';
import { isLoopbackUrl, isRegisteredRedirect, type OAuthClient } from './clients';

/**
 * How long a code may wait for its exchange: a browser takes milliseconds, and a code is a bearer secret, so
 * well under RFC 6749's recommended maximum of 10 minutes.
 */
export const CODE_LIFETIME_MS = 60_000;

/** What a valid GET or POST /authorize carries, checked. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  scope: string;
  /** Auth0's way of naming the API an access token is for; default the issuer's audience. */
  audience?: string;
  /** Echoed in the ID token, so the app can tie it to its own request. */
  nonce?: string;
}

/** A request that must not go back to its redirect URI (unknown client, foreign redirect): shown as a page. */
export class UntrustedAuthorizationRequest extends Error {
  override readonly name = 'UntrustedAuthorizationRequest';
}

/** A request from a trusted client that is wrong otherwise: the client hears it at its redirect URI. */
export class AuthorizationRequestError extends Error {
  override readonly name = 'AuthorizationRequestError';

  constructor(
    readonly error: 'invalid_request' | 'unsupported_response_type' | 'access_denied',
    message: string,
  ) {
    super(message);
  }
}

/** A refused POST /token: the OAuth error code and its description (RFC 6749 section 5.2). */
export class TokenExchangeError extends Error {
  override readonly name = 'TokenExchangeError';

  constructor(
    readonly error: 'invalid_request' | 'invalid_grant' | 'invalid_client',
    message: string,
  ) {
    super(message);
  }
}

/** Checks client_id and redirect_uri first: until both are sound, an error must not be redirected. */
export function parseAuthorizationRequest(
  params: Record<string, unknown>,
  clients: readonly OAuthClient[],
): AuthorizationRequest {
  const text = (name: string) => {
    const value = params[name];
    return typeof value === 'string' ? value : '';
  };
  const clientId = text('client_id');
  const redirectUri = text('redirect_uri');
  if (clientId === '') {
    throw new UntrustedAuthorizationRequest('client_id is missing: the app must name itself with client_id');
  }
  const client = clients.find((candidate) => candidate.clientId === clientId);
  if (!client) {
    throw new UntrustedAuthorizationRequest(
      `client_id "${clientId}" is not registered with the local issuer. Register the app under custom.localCloud.identity.clients in serverless.yml (clientId and redirectUris), as with any OpenID provider`,
    );
  }
  if (!isLoopbackUrl(redirectUri)) {
    throw new UntrustedAuthorizationRequest(
      `redirect_uri "${redirectUri}" is not a loopback URL: the local issuer only sends codes to http://127.0.0.1, localhost or [::1]`,
    );
  }
  if (!isRegisteredRedirect(client, redirectUri)) {
    throw new UntrustedAuthorizationRequest(
      `redirect_uri "${redirectUri}" is not one of the redirect URIs registered for "${clientId}" (${client.redirectUris.join(', ')}; any port). Add it to its redirectUris in serverless.yml`,
    );
  }
  if (text('response_type') !== 'code') {
    throw new AuthorizationRequestError(
      'unsupported_response_type',
      'response_type must be "code": the local issuer supports the authorization code flow only',
    );
  }
  const state = text('state');
  if (state === '') {
    throw new AuthorizationRequestError('invalid_request', 'state is missing: send a random state value');
  }
  if (text('code_challenge_method') !== 'S256') {
    throw new AuthorizationRequestError(
      'invalid_request',
      'code_challenge_method must be "S256": PKCE with SHA-256 is required',
    );
  }
  const codeChallenge = text('code_challenge');
  if (!/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) {
    throw new AuthorizationRequestError(
      'invalid_request',
      'code_challenge must be the base64url SHA-256 of the code verifier (43 characters)',
    );
  }
  const audience = text('audience');
  const nonce = text('nonce');
  return {
    clientId,
    redirectUri,
    state,
    codeChallenge,
    scope: text('scope') || 'openid',
    ...(audience === '' ? {} : { audience }),
    ...(nonce === '' ? {} : { nonce }),
  };
}

/** The user name typed on the sign-in page: what becomes the tokens' `sub`. */
export function parseUserName(value: unknown): string {
  const name = typeof value === 'string' ? value.trim() : '';
  if (!/^[A-Za-z0-9._@-]{1,64}$/.test(name)) {
    throw new AuthorizationRequestError(
      'invalid_request',
      'Type a user name of 1 to 64 letters, digits, dots, dashes, underscores or @, such as alice',
    );
  }
  return name;
}

/** Where the browser goes after a decision: the redirect URI with the code (or error) and the state. */
export function redirectWith(redirectUri: string, params: Record<string, string>): string {
  const url = new URL(redirectUri);
  Object.entries(params).forEach(([name, value]) => url.searchParams.set(name, value));
  return url.toString();
}

export interface IssuedCode extends AuthorizationRequest {
  sub: string;
  expiresAt: number;
}

export interface TokenExchange {
  code: string;
  clientId: string;
  redirectUri: string;
  codeVerifier: string;
}

/** One-time codes in memory: a restart forgets them, as a browser mid-sign-in simply signs in again. */
export class AuthorizationCodes {
  private readonly codes = new Map<string, IssuedCode>();

  constructor(private readonly now: () => number) {}

  issue(request: AuthorizationRequest, sub: string): string {
    this.forgetExpired();
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, { ...request, sub, expiresAt: this.now() + CODE_LIFETIME_MS });
    return code;
  }

  /** The code's grant, once: a second exchange of the same code is refused, as RFC 6749 requires. */
  redeem(exchange: TokenExchange): IssuedCode {
    const issued = this.codes.get(exchange.code);
    this.codes.delete(exchange.code);
    if (!issued || issued.expiresAt <= this.now()) {
      throw new TokenExchangeError(
        'invalid_grant',
        'the code is unknown, expired or already used: sign in again to get a new one',
      );
    }
    if (exchange.clientId !== issued.clientId) {
      throw new TokenExchangeError('invalid_grant', 'client_id differs from the one the code was issued to');
    }
    if (exchange.redirectUri !== issued.redirectUri) {
      throw new TokenExchangeError(
        'invalid_grant',
        'redirect_uri differs from the one in the authorization request: send the same URI',
      );
    }
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(exchange.codeVerifier)) {
      throw new TokenExchangeError(
        'invalid_request',
        'code_verifier must be 43 to 128 characters of A-Z, a-z, 0-9, "-", ".", "_" or "~"',
      );
    }
    if (pkceChallenge(exchange.codeVerifier) !== issued.codeChallenge) {
      throw new TokenExchangeError(
        'invalid_grant',
        'code_verifier does not match the code_challenge: send the verifier the challenge was made from',
      );
    }
    return issued;
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [code, issued] of this.codes) if (issued.expiresAt <= now) this.codes.delete(code);
  }
}

/** BASE64URL(SHA256(verifier)), the S256 method of RFC 7636 section 4.2. */
export function pkceChallenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier).digest('base64url');
}
