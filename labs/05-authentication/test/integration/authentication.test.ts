// The lab's real serverless.yml on local-cloud: API Gateway runs the authorizers in front of the routes, as
// on AWS, and tokens come from local-cloud's identity issuer (RS256, JWKS at /.well-known/jwks.json). Every
// forgery of the unit tests is sent again over HTTP and must be answered 401, and a valid token of the wrong
// user 403.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { start, type LocalCloud } from '@serverless-course/local-cloud';
import { MOCK_TOKEN } from '../../src/handlers/mock-authorizer';
import type { Image } from '../../src/images/image';
import { uploadTicket } from '../../src/images/upload-ticket';
import {
  hs256WithPublicKey,
  makeKeyPair,
  nowSeconds,
  signRs256,
  tamperedToken,
  unsignedToken,
  type Claims,
  type KeyPair,
} from '../support/token-factory';

const SERVICE_PATH = path.join(__dirname, '..', '..');
const AUDIENCE = 'udagram';

// Cold starts of several sandboxes and of DynamoDB Local's first writes, on a busy machine.
jest.setTimeout(30_000);

let cloud: LocalCloud;
/** The local issuer's own key, to sign tokens it would never issue (expired, another issuer). */
let issuerKey: KeyPair;

beforeAll(async () => {
  cloud = await start({ servicePath: SERVICE_PATH, inMemory: true, stage: 'lab05-int' });
  const { identity } = cloud.platform.services;
  const privateKey = createPrivateKey(
    readFileSync(path.join(SERVICE_PATH, '.local-cloud', 'identity', 'private-key.pem')),
  );
  issuerKey = { kid: identity.kid, privateKey, publicKey: createPublicKey(privateKey) };
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
});

function tokenFor(sub: string): string {
  return cloud.platform.services.identity.mintToken({ sub, audience: AUDIENCE });
}

function claims(overrides: Claims = {}): Claims {
  const now = nowSeconds();
  const { issuer } = cloud.platform.services.identity;
  return { iss: issuer, sub: 'alice', aud: AUDIENCE, iat: now, exp: now + 3600, ...overrides };
}

async function call(method: string, route: string, authorization?: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (authorization !== undefined) headers.Authorization = authorization;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${cloud.apiUrl}${route}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: (text ? JSON.parse(text) : null) as unknown,
  };
}

async function createImageAs(user: string, title = 'Sunset'): Promise<Image> {
  const response = await call('POST', '/images', `Bearer ${tokenFor(user)}`, { title });
  expect(response.status).toBe(201);
  return (response.json as { image: Image }).image;
}

describe('over HTTP on local-cloud, the mock authorizer', () => {
  it('lets the fixed token through as the mock user', async () => {
    const response = await call('GET', '/mock/me', MOCK_TOKEN);

    expect(response.status).toBe(200);
    expect(response.json).toEqual({ principalId: 'mock-user', userId: 'mock-user' });
  });

  it('answers 401 to any other token', async () => {
    const response = await call('GET', '/mock/me', 'Bearer guess');

    expect(response.status).toBe(401);
    expect(response.json).toEqual({ message: 'Unauthorized' });
  });
});

describe('over HTTP on local-cloud, the JWT authorizer', () => {
  it("lets a token of the local issuer through, with the user's id in the request context", async () => {
    const response = await call('GET', '/me', `Bearer ${tokenFor('alice')}`);

    expect(response.status).toBe(200);
    expect(response.json).toEqual({ principalId: 'alice', userId: 'alice' });
  });

  it.each<[string, () => string]>([
    ['alg "none"', () => unsignedToken(issuerKey.kid, claims())],
    ['HS256 signed with the public key', () => hs256WithPublicKey(issuerKey, claims())],
    ['an expired token', () => signRs256(issuerKey, claims({ exp: nowSeconds() - 300 }))],
    [
      'a token not yet valid',
      () =>
        cloud.platform.services.identity.mintToken({
          sub: 'alice',
          audience: AUDIENCE,
          claims: { nbf: nowSeconds() + 300 },
        }),
    ],
    ['a token of another issuer', () => signRs256(issuerKey, claims({ iss: 'https://evil.example.com/' }))],
    [
      'a token for another audience',
      () => cloud.platform.services.identity.mintToken({ sub: 'alice', audience: 'other-api' }),
    ],
    ['a token signed by an unknown kid', () => signRs256(makeKeyPair('rogue'), claims())],
    ['a tampered payload', () => tamperedToken(tokenFor('bob'), { sub: 'alice' })],
  ])('answers 401 to %s', async (_case, makeToken) => {
    const response = await call('GET', '/me', `Bearer ${makeToken()}`);

    expect(response.status).toBe(401);
    expect(response.json).toEqual({ message: 'Unauthorized' });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['malformed (another scheme)', 'Basic YWxpY2U6c2VjcmV0'],
    ['malformed (no token)', 'Bearer'],
    ['malformed (not a JWT)', 'Bearer not.a.jwt'],
  ])('answers 401 when the Authorization header is %s', async (_case, header) => {
    const response = await call('GET', '/me', header);

    expect(response.status).toBe(401);
  });

  it("adds CORS headers to the gateway's 401, so a browser can read it", async () => {
    const response = await call('GET', '/me');

    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('covers the whole API with one cached policy: the same token passes on another method next', async () => {
    const token = `Bearer ${tokenFor('carol')}`;
    await call('GET', '/me', token);

    // The authorizer does not run again: API Gateway evaluates its cached policy against DELETE. A policy
    // naming only GET /me would be answered 403 here; the whole-API policy lets it through to the function.
    const response = await call('DELETE', '/images/no-such-image', token);

    expect(response.status).not.toBe(401);
    expect(response.status).not.toBe(403);
  });
});

describe('over HTTP on local-cloud, protected writes', () => {
  it.each([
    ['POST', '/images'],
    ['PATCH', '/images/some-image'],
    ['DELETE', '/images/some-image'],
  ])('answers 401 to %s %s without a token, or with a forged one', async (method, route) => {
    const body = method === 'DELETE' ? undefined : { title: 'Anonymous' };
    const forged = unsignedToken(issuerKey.kid, claims());

    const anonymous = await call(method, route, undefined, body);
    const withForgery = await call(method, route, `Bearer ${forged}`, body);

    expect(anonymous.status).toBe(401);
    expect(withForgery.status).toBe(401);
  });

  it('records the user of the token as the owner of a new image', async () => {
    const image = await createImageAs('alice');

    const read = await call('GET', `/images/${image.imageId}`);

    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ imageId: image.imageId, userId: 'alice', title: 'Sunset' });
  });

  it("answers 403 when a valid token of another user edits someone else's image", async () => {
    const image = await createImageAs('alice');

    const response = await call('PATCH', `/images/${image.imageId}`, `Bearer ${tokenFor('bob')}`, {
      title: 'Mine',
    });

    expect(response.status).toBe(403);
    expect((await call('GET', `/images/${image.imageId}`)).json).toMatchObject({ title: 'Sunset' });
  });

  it("answers 403 when another user deletes someone else's image, and 204 for its owner", async () => {
    const image = await createImageAs('alice');

    const byBob = await call('DELETE', `/images/${image.imageId}`, `Bearer ${tokenFor('bob')}`);
    const byAlice = await call('DELETE', `/images/${image.imageId}`, `Bearer ${tokenFor('alice')}`);

    expect(byBob.status).toBe(403);
    expect(byAlice.status).toBe(204);
    expect((await call('GET', `/images/${image.imageId}`)).status).toBe(404);
  });

  it('ignores an owner sent in the body: the request model refuses it with 400', async () => {
    const response = await call('POST', '/images', `Bearer ${tokenFor('mallory')}`, {
      title: 'x',
      userId: 'alice',
    });

    expect(response.status).toBe(400);
  });
});

describe('over HTTP on local-cloud, the signing key', () => {
  it('signs upload tickets with the secret CloudFormation generated in Secrets Manager', async () => {
    const { secrets } = cloud.platform.services;
    const client = new SecretsManagerClient({
      endpoint: secrets.url,
      region: cloud.region,
      credentials: cloud.credentials,
    });
    const { SecretString } = await client.send(
      new GetSecretValueCommand({ SecretId: 'authentication/lab05-int/signing-key' }),
    );
    client.destroy();

    const response = await call('POST', '/images', `Bearer ${tokenFor('dave')}`, { title: 'Ticketed' });

    const { image, uploadTicket: ticket } = response.json as { image: Image; uploadTicket: string };
    const expires = Number(ticket.split('.')[0]);
    expect(ticket).toBe(uploadTicket(SecretString ?? '', image.imageId, 'dave', expires - 900));
  });
});
