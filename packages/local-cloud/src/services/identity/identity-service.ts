// A local OpenID-style token issuer for the authentication lab and the final app, standing in for Auth0 or
// Cognito: RS256 tokens whose keys are published at `/.well-known/jwks.json` (and discovered through
// `/.well-known/openid-configuration`), so an authorizer verifies them exactly as it verifies a real
// provider's. Tokens for any user, without a password, come only from code on this machine (`mintToken()`
// and `local-cloud token --sub alice`, which read the key from disk); a browser app signs in with the
// authorization code flow and PKCE (`/authorize`, `/token`, `/logout`) as it does with Auth0. This issuer is
// for local development only and listens on loopback.
import type http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { listen, urlHost } from '../../http-listener';
import { internalErrorMessage, logInternalError, type Log } from '../../http/internal-errors';
import {
  AuthorizationCodes,
  AuthorizationRequestError,
  parseAuthorizationRequest,
  parseUserName,
  redirectWith,
  TokenExchangeError,
  UntrustedAuthorizationRequest,
} from './authorization-code';
import { messagePage, signInPage } from './sign-in-page';
import { loadOrCreateSigningKey, type PublicJwk } from './signing-key';
import { DEFAULT_EXPIRES_IN_SECONDS, mintToken, TokenRequestError, type MintTokenOptions } from './tokens';
import { isRecord } from '../../common/records';
import { isClientOrigin, isLoopbackUrl, type OAuthClient } from './clients';

export type { MintTokenOptions } from './tokens';

export interface IdentityServiceOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where the key pair lives: `<service>/.local-cloud/identity` (see identityDataDir()). */
  dataDir: string;
  /** The tokens' `iss`. Default the service's URL with a trailing slash: `http://127.0.0.1:PORT/`. */
  issuer?: string;
  /** The tokens' default `aud`; none: tokens carry no audience unless one is asked for. */
  audience?: string;
  /** ms since the epoch, for `iat` and `exp`. */
  now?: () => number;
  /**
   * The apps allowed to sign users in (client id and redirect URIs), from serverless.yml (see clients.ts).
   * None: /authorize refuses every app, and says how to register one.
   */
  clients?: OAuthClient[];
  /** Receives the issuer's own failures, stack included (the client gets no detail). Default: stderr. */
  log?: Log;
}

export interface IdentityService {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  issuer: string;
  audience?: string;
  /** `<url>/.well-known/jwks.json`. */
  jwksUri: string;
  kid: string;
  jwks(): { keys: PublicJwk[] };
  /** A signed RS256 token for the user; throws TokenRequestError for a missing sub or a bad expiry. */
  mintToken(options: MintTokenOptions): string;
  stop(): Promise<void>;
}

/** What the last started issuer recorded, so `local-cloud token` mints tokens it accepts. */
export const ISSUER_FILE = 'issuer.json';

export function identityDataDir(servicePath: string): string {
  return path.join(servicePath, '.local-cloud', 'identity');
}

export async function createIdentityService(options: IdentityServiceOptions): Promise<IdentityService> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => console.error(`[identity] ${line}`));
  const key = loadOrCreateSigningKey(options.dataDir);
  const listener = await listen({
    port: options.port ?? 0,
    host,
    purpose: 'identity issuer',
    fix: 'choose another port for the identity issuer',
  });
  const url = `http://${urlHost(host)}:${listener.port}`;
  const issuer = options.issuer ?? `${url}/`;
  const audience = options.audience;
  const jwksUri = `${url}/.well-known/jwks.json`;
  mkdirSync(options.dataDir, { recursive: true });
  writeFileSync(
    path.join(options.dataDir, ISSUER_FILE),
    `${JSON.stringify({ issuer, audience, url }, null, 2)}\n`,
  );

  const mint = (request: MintTokenOptions) => mintToken(key, { issuer, audience }, request, now());
  const codes = new AuthorizationCodes(now);
  const discovery = {
    issuer,
    jwks_uri: jwksUri,
    authorization_endpoint: `${url}/authorize`,
    token_endpoint: `${url}/token`,
    end_session_endpoint: `${url}/logout`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: ['openid', 'profile'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['none'],
  };

  listener.attach((req, res) => {
    route(req, res, {
      jwks: { keys: [key.jwk] },
      discovery,
      codes,
      clients: options.clients ?? [],
      exchange: (body) => {
        const grant = codes.redeem({
          code: typeof body.code === 'string' ? body.code : '',
          clientId: typeof body.client_id === 'string' ? body.client_id : '',
          redirectUri: typeof body.redirect_uri === 'string' ? body.redirect_uri : '',
          codeVerifier: typeof body.code_verifier === 'string' ? body.code_verifier : '',
        });
        const profile = { name: grant.sub, preferred_username: grant.sub };
        return {
          // The ID token is for the app (aud = its client id), the access token for the API it calls.
          id_token: mint({
            sub: grant.sub,
            audience: grant.clientId,
            claims: { ...profile, ...(grant.nonce === undefined ? {} : { nonce: grant.nonce }) },
          }),
          access_token: mint({ sub: grant.sub, audience: grant.audience, claims: { scope: grant.scope } }),
          token_type: 'Bearer',
          expires_in: DEFAULT_EXPIRES_IN_SECONDS,
          scope: grant.scope,
        };
      },
    }).catch((error: unknown) => {
      logInternalError(log, req, error);
      answerInternalError(req, res);
    });
  });

  return {
    url,
    issuer,
    audience,
    jwksUri,
    kid: key.kid,
    jwks: () => ({ keys: [key.jwk] }),
    mintToken: mint,
    stop: () => listener.close(),
  };
}

interface Routes {
  jwks: object;
  discovery: object;
  codes: AuthorizationCodes;
  clients: OAuthClient[];
  /** POST /token with grant_type=authorization_code; throws TokenExchangeError. */
  exchange(body: Record<string, unknown>): object;
}

async function route(req: http.IncomingMessage, res: http.ServerResponse, routes: Routes): Promise<void> {
  /** `returnsTo`: the app the page's form ends up redirecting to, which the CSP must allow. */
  const html = (status: number, text: string, returnsTo?: string) => {
    res
      .writeHead(status, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': Buffer.byteLength(text),
        'cache-control': 'no-store',
        // The sign-in page must not be framed by another page (clickjacking) and runs no script.
        'x-frame-options': 'DENY',
        // Browsers apply form-action to the redirect that follows the POST too, so the app's origin is listed.
        'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self'${returnsTo ? ` ${new URL(returnsTo).origin}` : ''}`,
      })
      .end(text);
  };
  const redirect = (location: string) => {
    // 303: the browser follows with a GET, whether it came from GET or from the form's POST.
    res.writeHead(303, { location, 'cache-control': 'no-store' }).end();
  };
  const pathname = (req.url ?? '/').split('?')[0];
  // Keys and discovery are public, as at any OpenID provider. Tokens go only to a page on this machine (an
  // app on another local port): a page from anywhere else gets no CORS answer, so its script cannot read one.
  const isPublic = req.method === 'GET' && pathname?.startsWith('/.well-known/');
  const origin = req.headers.origin;
  const allowedOrigin = isPublic
    ? '*'
    : origin !== undefined && isClientOrigin(routes.clients, origin)
      ? origin
      : undefined;
  const cors =
    allowedOrigin === undefined ? {} : { 'access-control-allow-origin': allowedOrigin, vary: 'origin' };
  const send = (status: number, body: object) => {
    const text = JSON.stringify(body);
    res
      .writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
        ...cors,
        'cache-control': 'no-store',
      })
      .end(text);
  };
  if (req.method === 'OPTIONS') {
    res
      .writeHead(204, {
        ...cors,
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': 'content-type',
        'access-control-max-age': '600',
      })
      .end();
    return;
  }
  if (req.method === 'GET' && pathname === '/.well-known/jwks.json') return send(200, routes.jwks);
  if (req.method === 'GET' && pathname === '/.well-known/openid-configuration')
    return send(200, routes.discovery);
  if (pathname === '/authorize' && (req.method === 'GET' || req.method === 'POST')) {
    let params: Record<string, unknown>;
    try {
      params =
        req.method === 'GET'
          ? Object.fromEntries(new URL(req.url ?? '/', 'http://issuer').searchParams)
          : await readRequestBody(req);
    } catch {
      return html(
        400,
        messagePage('Sign-in request refused', 'The form could not be read. Start again from the app.'),
      );
    }
    try {
      const request = parseAuthorizationRequest(params, routes.clients);
      if (req.method === 'GET') return html(200, signInPage(request), request.redirectUri);
      if (params.action === 'cancel') {
        throw new AuthorizationRequestError('access_denied', 'the user cancelled the sign-in');
      }
      let sub: string;
      try {
        sub = parseUserName(params.user_name);
      } catch (error) {
        const message = (error as Error).message;
        return html(
          400,
          signInPage(request, {
            error: message,
            userName: typeof params.user_name === 'string' ? params.user_name : '',
          }),
          request.redirectUri,
        );
      }
      return redirect(
        redirectWith(request.redirectUri, { code: routes.codes.issue(request, sub), state: request.state }),
      );
    } catch (error) {
      if (error instanceof UntrustedAuthorizationRequest) {
        return html(
          400,
          messagePage('Sign-in request refused', `${error.message}. Fix the app's settings and start again.`),
        );
      }
      if (error instanceof AuthorizationRequestError) {
        const redirectUri = String(params.redirect_uri);
        const answer: Record<string, string> = { error: error.error, error_description: error.message };
        if (typeof params.state === 'string' && params.state !== '') answer.state = params.state;
        return redirect(redirectWith(redirectUri, answer));
      }
      throw error;
    }
  }
  if (req.method === 'GET' && pathname === '/logout') {
    // Nothing to end here (the issuer keeps no session): send the browser back to the app, if it is local.
    const query = new URL(req.url ?? '/', 'http://issuer').searchParams;
    const back = query.get('post_logout_redirect_uri');
    if (back === null)
      return html(200, messagePage('Signed out', 'You are signed out. You can close this page.'));
    if (!isLoopbackUrl(back)) {
      return html(
        400,
        messagePage(
          'Sign-out request refused',
          `post_logout_redirect_uri "${back}" is not a loopback URL: the local issuer only returns to this machine.`,
        ),
      );
    }
    const state = query.get('state');
    return redirect(redirectWith(back, state === null ? {} : { state }));
  }
  if (req.method === 'POST' && pathname === '/token') {
    let body: Record<string, unknown>;
    try {
      body = await readRequestBody(req);
    } catch {
      return send(400, {
        error: 'invalid_request',
        error_description: 'the body must be JSON or form-encoded',
      });
    }
    try {
      if (body.grant_type === 'authorization_code') return send(200, routes.exchange(body));
      // No token for a user who did not sign in: any page can send a POST. Tokens for any user come from
      // the command line, which reads the issuer's key from disk.
      return send(400, {
        error: 'unsupported_grant_type',
        error_description:
          'grant_type must be authorization_code. For a token for any user, run: npx local-cloud token --sub <user>',
      });
    } catch (error) {
      if (error instanceof TokenExchangeError) {
        return send(400, { error: error.error, error_description: error.message });
      }
      if (error instanceof TokenRequestError) {
        return send(400, { error: 'invalid_request', error_description: error.message });
      }
      throw error;
    }
  }
  send(404, {
    error: 'not_found',
    error_description:
      'the identity issuer serves GET /.well-known/jwks.json, GET /.well-known/openid-configuration, GET and POST /authorize, POST /token and GET /logout',
  });
}

/** The issuer's own failure: a page where a browser is (sign-in, sign-out), OAuth's server_error elsewhere. */
function answerInternalError(req: http.IncomingMessage, res: http.ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const message = internalErrorMessage('identity issuer');
  const pathname = (req.url ?? '/').split('?')[0];
  const [type, body] =
    pathname === '/authorize' || pathname === '/logout'
      ? ['text/html; charset=utf-8', messagePage('Identity issuer failed', message)]
      : ['application/json', JSON.stringify({ error: 'server_error', error_description: message })];
  res
    .writeHead(500, {
      'content-type': type,
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
    })
    .end(body);
}

async function readRequestBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
    if (chunks.reduce((size, item) => size + item.length, 0) > 64 * 1024) throw new Error('too large');
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  const parsed: unknown = text === '' ? {} : JSON.parse(text);
  if (!isRecord(parsed)) throw new Error('not an object');
  return parsed;
}
