// The TOKEN authorizer against a real JWKS endpoint (a local HTTP server publishing a test key), so jwks-rsa
// and jsonwebtoken do exactly what they do in production.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import jwt from 'jsonwebtoken';
import { handler, wholeApi } from '../../../src/authorizer/authorize';
import { TokenVerifier, tokenSettingsFromEnvironment } from '../../../src/authorizer/token-verifier';

const METHOD_ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123/dev/POST/groups';
const KID = 'test-key';
let issuer: string;
let server: http.Server;
let privateKey: KeyObject;
let jwksRequests = 0;

function sign(claims: object, options: jwt.SignOptions = {}, key: KeyObject = privateKey): string {
  return jwt.sign({ sub: 'alice', ...claims }, key, {
    algorithm: 'RS256',
    keyid: KID,
    issuer,
    audience: 'udagram',
    expiresIn: '1h',
    ...options,
  });
}

function authorize(authorizationToken: string) {
  const event: APIGatewayTokenAuthorizerEvent = { type: 'TOKEN', authorizationToken, methodArn: METHOD_ARN };
  return handler(event);
}

beforeAll(async () => {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  privateKey = keys.privateKey;
  const jwk = { ...keys.publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' };
  server = http.createServer((_request, response) => {
    jwksRequests += 1;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  issuer = `http://127.0.0.1:${port}/`;
  process.env.LOCAL_CLOUD_IDENTITY_ISSUER = issuer;
  process.env.LOCAL_CLOUD_IDENTITY_JWKS_URI = `${issuer}.well-known/jwks.json`;
  process.env.AUTH_ISSUER = '';
  process.env.AUTH_JWKS_URI = '';
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  jest.spyOn(console, 'warn').mockImplementation(() => {});
});

describe('the authorizer', () => {
  it('allows a valid token for the whole API (the answer is cached per token) and names the user', async () => {
    const result = await authorize(`Bearer ${sign({})}`);

    expect(result).toEqual({
      principalId: 'alice',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Action: 'execute-api:Invoke',
            Effect: 'Allow',
            Resource: 'arn:aws:execute-api:us-east-1:123456789012:abc123/dev/*',
          },
        ],
      },
      context: { userId: 'alice' },
    });
  });

  it('fetches the issuer keys once and reuses them', async () => {
    const before = jwksRequests;

    await authorize(`Bearer ${sign({ sub: 'bob' })}`);
    await authorize(`Bearer ${sign({ sub: 'carol' })}`);

    expect(jwksRequests - before).toBeLessThanOrEqual(1);
  });

  it.each([
    ['no Bearer prefix', () => sign({})],
    ['an empty header', () => ''],
    ['garbage', () => 'Bearer not-a-jwt'],
    ['an expired token', () => `Bearer ${sign({}, { expiresIn: -10 })}`],
    ['another audience', () => `Bearer ${sign({}, { audience: 'someone-else' })}`],
    ['another issuer', () => `Bearer ${sign({}, { issuer: 'https://evil.example/' })}`],
    ['an unknown key id', () => `Bearer ${sign({}, { keyid: 'other' })}`],
    [
      'a signature by another key',
      () => `Bearer ${sign({}, {}, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)}`,
    ],
    [
      'an HS256 token (algorithm confusion)',
      () => `Bearer ${jwt.sign({ sub: 'x' }, 'secret', { keyid: KID })}`,
    ],
    [
      'no subject',
      () =>
        `Bearer ${jwt.sign({}, privateKey, { algorithm: 'RS256', keyid: KID, issuer, audience: 'udagram' })}`,
    ],
    [
      'a token that never expires (no exp)',
      () =>
        `Bearer ${jwt.sign({ sub: 'alice' }, privateKey, { algorithm: 'RS256', keyid: KID, issuer, audience: 'udagram' })}`,
    ],
  ])('answers Unauthorized (401) for %s', async (_case, header) => {
    await expect(authorize(header())).rejects.toThrow(/^Unauthorized$/);
  });
});

describe('its settings', () => {
  it('prefer AUTH_ISSUER and AUTH_JWKS_URI, falling back to local-cloud’s issuer', () => {
    expect(
      tokenSettingsFromEnvironment({
        AUTH_ISSUER: 'https://tenant.auth0.com/',
        AUTH_JWKS_URI: 'https://tenant.auth0.com/.well-known/jwks.json',
        LOCAL_CLOUD_IDENTITY_ISSUER: 'http://127.0.0.1:1/',
      }),
    ).toEqual({
      issuer: 'https://tenant.auth0.com/',
      jwksUri: 'https://tenant.auth0.com/.well-known/jwks.json',
      audience: 'udagram',
    });
    expect(
      tokenSettingsFromEnvironment({
        AUTH_ISSUER: '',
        LOCAL_CLOUD_IDENTITY_ISSUER: 'http://127.0.0.1:1/',
        LOCAL_CLOUD_IDENTITY_JWKS_URI: 'http://127.0.0.1:1/.well-known/jwks.json',
        AUTH_AUDIENCE: 'api',
      }),
    ).toEqual({
      issuer: 'http://127.0.0.1:1/',
      jwksUri: 'http://127.0.0.1:1/.well-known/jwks.json',
      audience: 'api',
    });
  });

  it('refuse to run without an issuer', () => {
    expect(() => tokenSettingsFromEnvironment({})).toThrow(/^No token issuer is configured\./);
  });

  it('turn a method ARN into the whole API of its stage', () => {
    expect(wholeApi('arn:aws:execute-api:eu-west-1:1:api/prod/DELETE/images/x')).toBe(
      'arn:aws:execute-api:eu-west-1:1:api/prod/*',
    );
  });

  it('reject a token when the key cannot be fetched', async () => {
    const verifier = new TokenVerifier({
      issuer,
      jwksUri: 'http://127.0.0.1:1/jwks.json',
      audience: 'udagram',
    });

    await expect(verifier.verify(sign({}))).rejects.toThrow(/no signing key/);
  });
});
