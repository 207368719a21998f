import { createHash, randomBytes } from 'node:crypto';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import jwksClient from 'jwks-rsa';
import { CODE_LIFETIME_MS } from '../../src/services/identity/authorization-code';
import {
  createIdentityService,
  identityDataDir,
  type IdentityService,
} from '../../src/services/identity/identity-service';
import { temporaryDirectory } from '../sns/messaging-harness';

const AUDIENCE = 'udagram';
const CLIENT_ID = 'udagram-web';
const APP = 'http://127.0.0.1:8080';
const REDIRECT_URI = `${APP}/callback`;
const servicePath = temporaryDirectory('identity-code-flow-');
let clock = Date.now();
let identity: IdentityService;

beforeAll(async () => {
  identity = await createIdentityService({
    dataDir: identityDataDir(servicePath.path),
    audience: AUDIENCE,
    now: () => clock,
    // Registered without a port, as loopback redirect URIs are (RFC 8252): the app's own port matches.
    clients: [
      { clientId: CLIENT_ID, redirectUris: ['http://127.0.0.1/callback', 'http://localhost/callback'] },
    ],
  });
});

afterAll(async () => {
  await identity.stop();
  servicePath.remove();
});

/** A PKCE pair as oidc-client-ts makes one: a random verifier and its S256 challenge. */
function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeParams(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const params: Record<string, string | undefined> = {
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: 'openid profile',
    state: 'state-123',
    code_challenge: pkcePair().challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

function getAuthorize(params: Record<string, string>): Promise<Response> {
  return fetch(`${identity.url}/authorize?${new URLSearchParams(params).toString()}`, { redirect: 'manual' });
}

function postAuthorize(params: Record<string, string>): Promise<Response> {
  return fetch(`${identity.url}/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
    redirect: 'manual',
  });
}

/** Signs in as the user and returns the query the browser is sent back to the app with. */
async function signIn(user: string, params: Record<string, string>): Promise<URLSearchParams> {
  const response = await postAuthorize({ ...params, user_name: user, action: 'sign-in' });
  expect(response.status).toBe(303);
  const location = new URL(response.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(params.redirect_uri);
  return location.searchParams;
}

function exchange(body: Record<string, string>): Promise<Response> {
  return fetch(`${identity.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: APP },
    body: new URLSearchParams({ grant_type: 'authorization_code', ...body }),
  });
}

function verify(token: string, audience: string): Promise<JwtPayload> {
  const keys = jwksClient({ jwksUri: identity.jwksUri, cache: false });
  return new Promise((resolve, reject) => {
    jwt.verify(
      token,
      (header, callback) => {
        keys.getSigningKey(header.kid).then(
          (key) => callback(null, key.getPublicKey()),
          (error: Error) => callback(error),
        );
      },
      { algorithms: ['RS256'], issuer: identity.issuer, audience },
      (error, payload) => (error ? reject(error) : resolve(payload as JwtPayload)),
    );
  });
}

describe('discovery for the authorization code flow', () => {
  it('names the authorization, token and end-session endpoints, the code response type and S256', async () => {
    const discovery = (await (
      await fetch(`${identity.url}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;

    expect(discovery).toMatchObject({
      authorization_endpoint: `${identity.url}/authorize`,
      token_endpoint: `${identity.url}/token`,
      end_session_endpoint: `${identity.url}/logout`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
    });
  });
});

describe('GET /authorize', () => {
  it('shows an accessible sign-in page that carries the request into its form', async () => {
    const params = authorizeParams({ audience: AUDIENCE, nonce: 'n-1' });

    const response = await getAuthorize(params);
    const page = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<label for="user-name">User name</label>');
    expect(page).toMatch(/<input id="user-name" name="user_name" autocomplete="username" required/);
    expect(page).toContain('<form method="post" action="/authorize">');
    // The form's redirect back to the app must be allowed, or the browser blocks it.
    expect(response.headers.get('content-security-policy')).toContain(`form-action 'self' ${APP}`);
    for (const [name, value] of Object.entries(params)) {
      expect(page).toContain(`<input type="hidden" name="${name}" value="${value}">`);
    }
  });

  it('escapes what it echoes, so a crafted state cannot inject markup', async () => {
    const page = await (await getAuthorize(authorizeParams({ state: '"><script>alert(1)</script>' }))).text();

    expect(page).not.toContain('<script>');
    expect(page).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it.each([
    ['a missing client_id', { client_id: undefined }, 'client_id is missing'],
    [
      'a redirect_uri on another host',
      { redirect_uri: 'https://evil.example.com/callback' },
      'not a loopback URL',
    ],
    ['a redirect_uri that is not http', { redirect_uri: 'javascript:alert(1)' }, 'not a loopback URL'],
    ['a missing redirect_uri', { redirect_uri: undefined }, 'not a loopback URL'],
    [
      'a client_id nobody registered',
      { client_id: 'someone-else' },
      'is not registered with the local issuer. Register the app under custom.localCloud.identity.clients in serverless.yml',
    ],
    [
      'a loopback redirect_uri the client did not register',
      { redirect_uri: 'http://127.0.0.1:8080/elsewhere' },
      'is not one of the redirect URIs registered for &quot;udagram-web&quot; (http://127.0.0.1/callback, http://localhost/callback; any port)',
    ],
  ])('refuses %s with a page, never redirecting', async (_case, overrides, message) => {
    const response = await getAuthorize(authorizeParams(overrides));

    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain(message);
  });

  it.each([
    ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
    ['a missing state', { state: undefined }, 'invalid_request'],
    ['code_challenge_method=plain', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['a missing code_challenge', { code_challenge: undefined }, 'invalid_request'],
  ])('sends %s back to the app as an OAuth error', async (_case, overrides, error) => {
    const response = await getAuthorize(authorizeParams(overrides));

    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('error')).toBe(error);
    expect(location.searchParams.get('error_description')).toEqual(expect.any(String));
  });
});

describe('POST /authorize', () => {
  it('sends the browser back to the app with a one-time code and the state', async () => {
    const query = await signIn('alice', authorizeParams());

    expect(query.get('state')).toBe('state-123');
    expect(query.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('shows the form again, with the error announced, for an empty or malformed user name', async () => {
    const response = await postAuthorize({ ...authorizeParams(), user_name: 'a b<c>', action: 'sign-in' });
    const page = await response.text();

    expect(response.status).toBe(400);
    expect(page).toContain('role="alert"');
    expect(page).toContain('aria-invalid="true"');
    expect(page).toContain('value="a b&lt;c&gt;"');
  });

  it('answers a cancel with access_denied at the redirect URI', async () => {
    const response = await postAuthorize({ ...authorizeParams(), action: 'cancel' });

    const location = new URL(response.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('state-123');
  });

  it('checks the request again: a form posted with a foreign redirect_uri is refused', async () => {
    const response = await postAuthorize({
      ...authorizeParams({ redirect_uri: 'http://192.168.1.10/callback' }),
      user_name: 'alice',
    });

    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });
});

describe('POST /token with grant_type=authorization_code', () => {
  it('trades the code and its verifier for an ID token (for the app) and an access token (for the API)', async () => {
    const { verifier, challenge } = pkcePair();
    const query = await signIn(
      'alice',
      authorizeParams({ code_challenge: challenge, audience: AUDIENCE, nonce: 'nonce-1' }),
    );

    const response = await exchange({
      code: query.get('code') ?? '',
      code_verifier: verifier,
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
    });
    const body = (await response.json()) as Record<string, string>;

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'openid profile' });
    await expect(verify(body.id_token ?? '', CLIENT_ID)).resolves.toMatchObject({
      sub: 'alice',
      name: 'alice',
      nonce: 'nonce-1',
    });
    await expect(verify(body.access_token ?? '', AUDIENCE)).resolves.toMatchObject({ sub: 'alice' });
  });

  it("gives the access token the issuer's audience when the request names none", async () => {
    const { verifier, challenge } = pkcePair();
    const query = await signIn('bob', authorizeParams({ code_challenge: challenge }));

    const body = (await (
      await exchange({
        code: query.get('code') ?? '',
        code_verifier: verifier,
        client_id: CLIENT_ID,
        redirect_uri: REDIRECT_URI,
      })
    ).json()) as Record<string, string>;

    await expect(verify(body.access_token ?? '', AUDIENCE)).resolves.toMatchObject({ sub: 'bob' });
  });

  it('answers the browser preflight for the token endpoint, for an app on this machine only', async () => {
    const preflight = (origin: string) =>
      fetch(`${identity.url}/token`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });

    const local = await preflight(APP);
    const foreign = await preflight('https://attacker.example');

    expect(local.status).toBe(204);
    expect(local.headers.get('access-control-allow-origin')).toBe(APP);
    expect(local.headers.get('access-control-allow-methods')).toContain('POST');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('gives a page from another origin no CORS answer: its script cannot read the tokens', async () => {
    const { verifier, challenge } = pkcePair();
    const query = await signIn('alice', authorizeParams({ code_challenge: challenge }));

    const response = await fetch(`${identity.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://attacker.example' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: query.get('code') ?? '',
        code_verifier: verifier,
        client_id: CLIENT_ID,
        redirect_uri: REDIRECT_URI,
      }),
    });

    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('publishes its keys and discovery document to any origin, as OpenID providers do', async () => {
    const keys = await fetch(identity.jwksUri, { headers: { origin: 'https://elsewhere.example' } });

    expect(keys.headers.get('access-control-allow-origin')).toBe('*');
  });

  describe('refuses', () => {
    let verifier: string;
    let code: string;

    beforeEach(async () => {
      const pair = pkcePair();
      verifier = pair.verifier;
      const query = await signIn('alice', authorizeParams({ code_challenge: pair.challenge }));
      code = query.get('code') ?? '';
    });

    const expectRefusal = async (response: Response, error: string, description: RegExp) => {
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error,
        error_description: expect.stringMatching(description) as unknown,
      });
    };

    it('a verifier that does not match the challenge', async () => {
      const response = await exchange({
        code,
        code_verifier: pkcePair().verifier,
        client_id: CLIENT_ID,
        redirect_uri: REDIRECT_URI,
      });

      await expectRefusal(response, 'invalid_grant', /code_verifier does not match/);
    });

    it('a malformed verifier', async () => {
      const response = await exchange({
        code,
        code_verifier: 'short',
        client_id: CLIENT_ID,
        redirect_uri: REDIRECT_URI,
      });

      await expectRefusal(response, 'invalid_request', /code_verifier must be 43 to 128/);
    });

    it('a code used a second time, even with the right verifier', async () => {
      const body = { code, code_verifier: verifier, client_id: CLIENT_ID, redirect_uri: REDIRECT_URI };
      const first = await exchange(body);

      const second = await exchange(body);

      expect(first.status).toBe(200);
      await expectRefusal(second, 'invalid_grant', /unknown, expired or already used/);
    });

    it('a code after a failed attempt: a guessed verifier burns it', async () => {
      await exchange({
        code,
        code_verifier: pkcePair().verifier,
        client_id: CLIENT_ID,
        redirect_uri: REDIRECT_URI,
      });

      const retry = await exchange({
        code,
        code_verifier: verifier,
        client_id: CLIENT_ID,
        redirect_uri: REDIRECT_URI,
      });

      await expectRefusal(retry, 'invalid_grant', /already used/);
    });

    it('an expired code', async () => {
      clock += CODE_LIFETIME_MS;
      try {
        const response = await exchange({
          code,
          code_verifier: verifier,
          client_id: CLIENT_ID,
          redirect_uri: REDIRECT_URI,
        });

        await expectRefusal(response, 'invalid_grant', /expired/);
      } finally {
        clock -= CODE_LIFETIME_MS;
      }
    });

    it('another client_id', async () => {
      const response = await exchange({
        code,
        code_verifier: verifier,
        client_id: 'other-app',
        redirect_uri: REDIRECT_URI,
      });

      await expectRefusal(response, 'invalid_grant', /client_id differs/);
    });

    it('another redirect_uri', async () => {
      const response = await exchange({
        code,
        code_verifier: verifier,
        client_id: CLIENT_ID,
        redirect_uri: `${APP}/elsewhere`,
      });

      await expectRefusal(response, 'invalid_grant', /redirect_uri differs/);
    });

    it('an unknown grant type', async () => {
      const response = await fetch(`${identity.url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', username: 'alice', password: 'x' }),
      });

      await expectRefusal(response, 'unsupported_grant_type', /grant_type must be authorization_code/);
    });
  });
});

describe('GET /logout', () => {
  it('sends the browser back to a local post_logout_redirect_uri with the state', async () => {
    const response = await fetch(
      `${identity.url}/logout?${new URLSearchParams({ post_logout_redirect_uri: `${APP}/`, state: 's-9', id_token_hint: 'x' }).toString()}`,
      { redirect: 'manual' },
    );

    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${APP}/?state=s-9`);
  });

  it('refuses a non-loopback post_logout_redirect_uri, and shows a page without one', async () => {
    const foreign = await fetch(
      `${identity.url}/logout?post_logout_redirect_uri=${encodeURIComponent('https://evil.example.com/')}`,
      { redirect: 'manual' },
    );
    const plain = await fetch(`${identity.url}/logout`, { redirect: 'manual' });

    expect(foreign.status).toBe(400);
    expect(foreign.headers.get('location')).toBeNull();
    expect(plain.status).toBe(200);
    expect(await plain.text()).toContain('You are signed out');
  });
});
