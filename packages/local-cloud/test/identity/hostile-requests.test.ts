// The identity issuer under requests no app sends, and under its own failures: JSON answers are OAuth
// errors, browser pages are short pages, and local-cloud's stack and the machine's paths go to its log only.
import { AuthorizationCodes } from '../../src/services/identity/authorization-code';
import {
  createIdentityService,
  identityDataDir,
  type IdentityService,
} from '../../src/services/identity/identity-service';
import {
  diskError,
  expectInternalErrorMessage,
  expectNothingInternal,
  loggedWithStack,
} from '../support/leaks';
import { sendRaw } from '../support/raw-http';
import { temporaryDirectory } from '../sns/messaging-harness';

const servicePath = temporaryDirectory('identity-hostile-requests-');
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const logged: string[] = [];
let identity: IdentityService;

beforeAll(async () => {
  identity = await createIdentityService({
    dataDir: identityDataDir(servicePath.path),
    log: (line) => logged.push(line),
    clients: [{ clientId: 'hostile-web', redirectUris: ['http://127.0.0.1/callback'] }],
  });
});

afterAll(async () => {
  await identity.stop();
  servicePath.remove();
});

/** A sign-in form as the issuer's own page posts it, for a local app. */
const SIGN_IN = new URLSearchParams({
  client_id: 'hostile-web',
  redirect_uri: 'http://127.0.0.1:8080/callback',
  response_type: 'code',
  state: 'hostile-state',
  code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  code_challenge_method: 'S256',
  user_name: 'alice',
  action: 'sign-in',
}).toString();

describe('the identity issuer, sent what no app sends', () => {
  it.each([
    '/%',
    '/%E0%A4%A',
    '/../../etc/passwd',
    '/..%2f..%2fetc%2fpasswd',
    '/.well-known/..%2f..%2fetc%2fpasswd',
  ])('answers %s with 404 not_found, listing what it serves', async (target) => {
    const answer = await sendRaw(identity.url, { path: target });

    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'not_found' });
    expectNothingInternal(answer.body);
  });

  it.each([
    '/authorize?%E0%A4%A=%',
    '/authorize?client_id=%&redirect_uri=%E0%A4%A',
    '/logout?post_logout_redirect_uri=%E0%A4%A',
  ])('refuses %s with a 400 page that says what is wrong', async (target) => {
    const answer = await sendRaw(identity.url, { path: target });

    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toMatch(/^text\/html/);
    expect(answer.body).toMatch(/Sign-(in|out) request refused/);
    expectNothingInternal(answer.body);
  });

  it.each([
    ['application/json', '{"sub": '],
    ['text/plain', 'sub=alice'],
  ])(
    'refuses a token request sent as %s that is not JSON with 400 invalid_request',
    async (contentType, body) => {
      const answer = await sendRaw(identity.url, {
        method: 'POST',
        path: '/token',
        headers: { 'content-type': contentType },
        body,
      });

      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toEqual({
        error: 'invalid_request',
        error_description: 'the body must be JSON or form-encoded',
      });
    },
  );
});

describe('the identity issuer, failing itself', () => {
  it('answers a token request with 500 server_error that says where the reason is, and logs the reason', async () => {
    jest.spyOn(AuthorizationCodes.prototype, 'redeem').mockImplementationOnce(() => {
      throw diskError();
    });

    const answer = await sendRaw(identity.url, {
      method: 'POST',
      path: '/token',
      headers: FORM,
      body: 'grant_type=authorization_code&code=any&client_id=hostile-web',
    });

    expect(answer.status).toBe(500);
    const error = JSON.parse(answer.body) as { error: string; error_description: string };
    expect(error.error).toBe('server_error');
    expectInternalErrorMessage(error.error_description);
    expectNothingInternal(answer.body);
    expect(loggedWithStack(logged)).toBe(true);
  });

  it('answers a sign-in it fails on with a 500 page, not JSON, for the browser that shows it', async () => {
    jest.spyOn(AuthorizationCodes.prototype, 'issue').mockImplementationOnce(() => {
      throw diskError();
    });

    const answer = await sendRaw(identity.url, {
      method: 'POST',
      path: '/authorize',
      headers: FORM,
      body: SIGN_IN,
    });

    expect(answer.status).toBe(500);
    expect(answer.headers['content-type']).toMatch(/^text\/html/);
    expect(answer.body).toContain('failed on this request. Its terminal output says why');
    expectNothingInternal(answer.body);
  });
});
