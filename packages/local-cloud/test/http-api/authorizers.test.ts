// The HTTP API's authorizers on real requests. JWT: tokens from local-cloud's own identity issuer, found by
// OpenID discovery and its key set as API Gateway finds them, and tokens forged, expired or for someone else;
// an issuer nobody runs. Lambda authorizers: simple responses with caching, IAM policies with payload 1.0.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyEventV2WithLambdaAuthorizer,
} from 'aws-lambda';
import jwt from 'jsonwebtoken';
import { createIdentityService, type IdentityService } from '../../src/services/identity/identity-service';
import { loadOrCreateSigningKey, type SigningKey } from '../../src/services/identity/signing-key';
import { echoed, startFixture, type StartedFixture } from './support/http-api-fixture';

const AUDIENCE = 'http-api-fixture';
let dataDir: string;
let issuer: IdentityService;
let signingKey: SigningKey;
let api: StartedFixture;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-http-api-issuer-'));
  issuer = await createIdentityService({ dataDir, port: 0, audience: AUDIENCE, log: () => {} });
  signingKey = loadOrCreateSigningKey(dataDir);
  // serverless.yml reads the issuer's URL from the environment, as a service reads AUTH_ISSUER.
  process.env.HTTP_API_FIXTURE_ISSUER = issuer.issuer;
  api = await startFixture('http-api-service');
}, 90_000);

afterAll(async () => {
  await api?.stop();
  await issuer?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const get = (route: string, headers: Record<string, string> = {}) => fetch(`${api.url}${route}`, { headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const invocationsOf = (functionKey: string) =>
  api.log.lines.filter((line) => new RegExp(` ${functionKey} (success|error) `).test(line)).length;

/** A token signed with the issuer's own key, with exactly these claims (its mintToken refuses odd ones). */
function signed(claims: Record<string, unknown>, key = signingKey.privateKey): string {
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign(
    { iss: issuer.issuer, sub: 'alice', aud: AUDIENCE, iat: now, exp: now + 600, ...claims },
    key,
    {
      algorithm: 'RS256',
      keyid: signingKey.kid,
    },
  );
}

async function expectRefusal(response: Response, status: 401 | 403, described?: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(await response.text()).toBe(
    status === 401 ? '{"message":"Unauthorized"}' : '{"message":"Forbidden"}',
  );
  if (described !== undefined) expect(response.headers.get('www-authenticate')).toContain(described);
}

describe('a JWT authorizer', () => {
  it('lets a token from the issuer through, its claims (as strings) in requestContext.authorizer.jwt', async () => {
    const token = issuer.mintToken({
      sub: 'alice',
      claims: { email: 'alice@example.com', groups: ['admins', 'staff'] },
    });
    const response = await get('/private', bearer(token));
    const { event } = await echoed<APIGatewayProxyEventV2WithJWTAuthorizer>(response);

    expect(event.requestContext.authorizer.jwt).toEqual({
      claims: {
        iss: issuer.issuer,
        sub: 'alice',
        aud: AUDIENCE,
        email: 'alice@example.com',
        groups: '[admins staff]',
        iat: expect.stringMatching(/^\d+$/) as unknown,
        exp: expect.stringMatching(/^\d+$/) as unknown,
      },
      scopes: null,
    });
    // The token alone, without `Bearer `, is accepted too.
    expect((await get('/private', { authorization: token })).status).toBe(200);
  });

  it('accepts client_id as the audience when the token has no aud', async () => {
    const response = await get('/private', bearer(signed({ aud: undefined, client_id: AUDIENCE })));

    expect(response.status).toBe(200);
  });

  it('refuses a missing token with 401 without invoking the function', async () => {
    const before = invocationsOf('echo');

    await expectRefusal(await get('/private'), 401);
    await expectRefusal(await get('/private', { authorization: 'Bearer ' }), 401);
    expect(invocationsOf('echo')).toBe(before);
  });

  it.each([
    ['expired', () => signed({ exp: Math.floor(Date.now() / 1000) - 60 }), 'the token has expired'],
    [
      'not valid yet',
      () => signed({ nbf: Math.floor(Date.now() / 1000) + 600 }),
      'the token is not valid yet',
    ],
    [
      'for another audience',
      () => signed({ aud: 'someone-else' }),
      'the token does not have a valid audience',
    ],
    ['from another issuer', () => signed({ iss: 'https://issuer.example/' }), "the token's issuer"],
    [
      'forged (signed with another key under the issuer’s kid)',
      () => signed({}, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey),
      'the token has an invalid signature',
    ],
    ['not a JWT', () => 'not.a.jwt', 'the token is not a JWT'],
    [
      'signed with HS256',
      () => jwt.sign({ iss: issuer.issuer, aud: AUDIENCE }, 'shared-secret', { keyid: signingKey.kid }),
      "the token's algorithm",
    ],
  ])('refuses a token %s with 401, saying why in www-authenticate and the log', async (_case, token, why) => {
    const response = await get('/private', bearer(token()));

    await expectRefusal(response, 401, `error="invalid_token" error_description="${why}`);
    expect(
      api.log.lines.some(
        (line) => line.includes('GET /private') && line.includes(`401: authorizer jwtAuth: ${why}`),
      ),
    ).toBe(true);
  });

  it('refuses a token without one of the route’s scopes with 403, and takes scope or scp', async () => {
    const readOnly = await get('/admin', bearer(signed({ scope: 'users:read' })));
    const withScope = await get('/admin', bearer(signed({ scope: 'users:read admin:write' })));
    const withScp = await get('/admin', bearer(signed({ scp: ['admin:write'] })));

    await expectRefusal(readOnly, 403, 'error="insufficient_scope"');
    const { event } = await echoed<APIGatewayProxyEventV2WithJWTAuthorizer>(withScope);
    expect(event.requestContext.authorizer.jwt.scopes).toEqual(['users:read', 'admin:write']);
    expect(withScp.status).toBe(200);
  });

  it('answers 401 when its issuer cannot be reached, with one log line naming the issuer and the fix', async () => {
    const token = signed({});
    await expectRefusal(await get('/offline', bearer(token)), 401);
    await expectRefusal(await get('/offline', bearer(token)), 401);

    const lines = api.log.lines.filter((line) => line.includes('cannot reach its issuer'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('JWT authorizer offlineIssuer cannot reach its issuer http://127.0.0.1:1/');
    expect(lines[0]).toContain(
      `Fix: point issuerUrl at local-cloud's own issuer, ${api.cloud.platform.services.identity.issuer}`,
    );
    expect(lines[0]).toContain('npx local-cloud token --sub alice --aud http-api-fixture');
  });
});

describe('a Lambda authorizer with simple responses', () => {
  type Event = APIGatewayProxyEventV2WithLambdaAuthorizer<{
    user: string;
    roles: string[];
    calls: number;
    received: Record<string, unknown>;
  }>;

  it('is not invoked when its identity source is missing: 401', async () => {
    const before = invocationsOf('simpleAuthorizer');

    await expectRefusal(await get('/simple'), 401);
    expect(invocationsOf('simpleAuthorizer')).toBe(before);
  });

  it('gets the payload 2.0 REQUEST event, and its context reaches the function in requestContext.authorizer.lambda', async () => {
    const { event, httpApiId } = await echoed<Event>(
      await get('/simple?x=1', { 'x-api-key': 'letmein-event' }),
    );
    const { received, ...context } = event.requestContext.authorizer.lambda;

    expect(context).toEqual({ user: 'alice', roles: ['reader'], calls: expect.any(Number) as unknown });
    expect(received).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeArn: `arn:aws:execute-api:eu-west-1:123456789012:${httpApiId}/$default/GET/simple`,
      identitySource: ['letmein-event'],
      routeKey: 'GET /simple',
      rawPath: '/simple',
      rawQueryString: 'x=1',
      queryStringParameters: { x: '1' },
      headers: { 'x-api-key': 'letmein-event' },
      requestContext: {
        apiId: httpApiId,
        routeKey: 'GET /simple',
        stage: '$default',
        http: { method: 'GET', path: '/simple' },
      },
    });
    expect(received).not.toHaveProperty('body');
    expect(received).not.toHaveProperty('isBase64Encoded');
  });

  it('caches its answer by identity source for resultTtlInSeconds', async () => {
    const first = await echoed<Event>(await get('/simple', { 'x-api-key': 'letmein-cached' }));
    const invoked = invocationsOf('simpleAuthorizer');
    const second = await echoed<Event>(await get('/simple', { 'x-api-key': 'letmein-cached' }));
    const other = await echoed<Event>(await get('/simple', { 'x-api-key': 'letmein-other' }));

    expect(second.event.requestContext.authorizer.lambda.calls).toBe(
      first.event.requestContext.authorizer.lambda.calls,
    );
    expect(other.event.requestContext.authorizer.lambda.calls).toBeGreaterThan(
      first.event.requestContext.authorizer.lambda.calls,
    );
    expect(invocationsOf('simpleAuthorizer')).toBe(invoked + 1);
  });

  it('refuses with 403 when it answers isAuthorized: false, and fails with 500 when it throws', async () => {
    await expectRefusal(await get('/simple', { 'x-api-key': 'nope' }), 403);
    const crashed = await get('/simple', { 'x-api-key': 'crash' });

    expect(crashed.status).toBe(500);
    expect(await crashed.text()).toBe('{"message":"Internal Server Error"}');
    expect(
      api.log.lines.some((line) =>
        line.includes('500: authorizer simpleAuth: the authorizer failed: Error: authorizer bug'),
      ),
    ).toBe(true);
  });
});

describe('a Lambda authorizer with payload 1.0 and an IAM policy', () => {
  type Event = APIGatewayProxyEventV2WithLambdaAuthorizer<Record<string, string>>;

  it('gets the REST-compatible REQUEST event; an Allow for the route lets the request through', async () => {
    const { event, httpApiId } = await echoed<Event>(await get('/policy', { 'x-api-key': 'letmein' }));

    expect(event.requestContext.authorizer.lambda).toEqual({
      version: '1.0',
      type: 'REQUEST',
      methodArn: `arn:aws:execute-api:eu-west-1:123456789012:${httpApiId}/$default/GET/policy`,
      authorizationToken: 'letmein',
    });
  });

  it('refuses with 403 on a Deny, and fails with 500 on an answer that is not a policy', async () => {
    await expectRefusal(await get('/policy', { 'x-api-key': 'deny' }), 403);
    const garbage = await get('/policy', { 'x-api-key': 'garbage' });

    expect(garbage.status).toBe(500);
    expect(
      api.log.lines.some((line) =>
        line.includes("500: authorizer policyAuth: the authorizer's result is malformed"),
      ),
    ).toBe(true);
  });
});
