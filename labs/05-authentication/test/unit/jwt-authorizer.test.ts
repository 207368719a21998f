// The JWT authorizer against every forgery in the lesson: keys made here, the JWKS served from 127.0.0.1 and
// fetched by the real jwks-rsa client, tokens signed (or forged) by the helpers in test/support. Each refusal
// must be the error `Unauthorized`, which API Gateway answers as 401 {"message":"Unauthorized"}.
import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import type { AuthConfig } from '../../src/auth/auth-config';
import { authorizeWith } from '../../src/auth/authorize';
import { bearerTokenOf } from '../../src/auth/bearer-token';
import { InvalidTokenError, signingKeysFrom, verifyToken } from '../../src/auth/verify-token';
import {
  hs256WithPublicKey,
  jwksOf,
  makeKeyPair,
  nowSeconds,
  serveJwks,
  signRs256,
  tamperedToken,
  unsignedToken,
  type Claims,
  type JwksServer,
} from '../support/token-factory';

const ISSUER = 'https://udagram-test.eu.auth0.com/';
const AUDIENCE = 'udagram';
const METHOD_ARN = 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/POST/images';
const issuerKey = makeKeyPair('issuer-key-1');
const rogueKey = makeKeyPair('rogue-key');

let jwks: JwksServer;
let config: AuthConfig;

beforeAll(async () => {
  jwks = await serveJwks(jwksOf(issuerKey));
  config = { issuer: ISSUER, jwksUri: jwks.uri, audience: AUDIENCE, clockToleranceSeconds: 60 };
});

afterAll(async () => {
  await jwks.close();
});

beforeEach(() => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

function validClaims(overrides: Claims = {}): Claims {
  const now = nowSeconds();
  return { iss: ISSUER, sub: 'alice', aud: AUDIENCE, iat: now, exp: now + 3600, ...overrides };
}

function authorizer() {
  const keys = signingKeysFrom(config.jwksUri);
  return authorizeWith((token) => verifyToken(token, config, keys));
}

function tokenEvent(authorizationToken: string): APIGatewayTokenAuthorizerEvent {
  return { type: 'TOKEN', authorizationToken, methodArn: METHOD_ARN };
}

describe('the JWT authorizer', () => {
  it('allows a valid RS256 token for the whole API, with its sub as principalId and userId', async () => {
    const token = signRs256(issuerKey, validClaims());

    const result = await authorizer()(tokenEvent(`Bearer ${token}`));

    expect(result).toEqual({
      principalId: 'alice',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Action: 'execute-api:Invoke',
            Effect: 'Allow',
            Resource: 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/*',
          },
        ],
      },
      context: { userId: 'alice' },
    });
  });

  it('accepts the scheme in any case ("bearer"), as RFC 6750 allows', async () => {
    const token = signRs256(issuerKey, validClaims({ sub: 'bob' }));

    const result = await authorizer()(tokenEvent(`bearer ${token}`));

    expect(result.principalId).toBe('bob');
  });

  it.each<[string, () => string]>([
    ['alg "none" (no signature)', () => unsignedToken(issuerKey.kid, validClaims())],
    ['HS256 signed with the public key', () => hs256WithPublicKey(issuerKey, validClaims())],
    ['expired five minutes ago', () => signRs256(issuerKey, validClaims({ exp: nowSeconds() - 300 }))],
    [
      'not valid for another five minutes (nbf)',
      () => signRs256(issuerKey, validClaims({ nbf: nowSeconds() + 300 })),
    ],
    ['from another issuer', () => signRs256(issuerKey, validClaims({ iss: 'https://evil.example.com/' }))],
    ['for another audience', () => signRs256(issuerKey, validClaims({ aud: 'another-api' }))],
    ['signed with a key the issuer does not publish (unknown kid)', () => signRs256(rogueKey, validClaims())],
    [
      'whose payload was changed after signing',
      () => tamperedToken(signRs256(issuerKey, validClaims()), { sub: 'mallory' }),
    ],
    ['without a sub', () => signRs256(issuerKey, validClaims({ sub: undefined }))],
    [
      'that never expires (no exp)',
      () => {
        const { exp: _exp, ...forever } = validClaims();
        return signRs256(issuerKey, forever);
      },
    ],
  ])('refuses a token %s with Unauthorized (401)', async (_case, makeToken) => {
    const token = makeToken();

    const attempt = authorizer()(tokenEvent(`Bearer ${token}`));

    await expect(attempt).rejects.toThrow(/^Unauthorized$/);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['only the scheme', 'Bearer'],
    ['another scheme', 'Basic YWxpY2U6c2VjcmV0'],
    ['a token without the scheme', 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln'],
    ['two tokens', 'Bearer a.b.c d.e.f'],
    ['not a JWT', 'Bearer not-a-jwt'],
  ])('refuses an Authorization header that is %s with Unauthorized (401)', async (_case, header) => {
    const event = {
      type: 'TOKEN',
      methodArn: METHOD_ARN,
      authorizationToken: header,
    } as APIGatewayTokenAuthorizerEvent;

    await expect(authorizer()(event)).rejects.toThrow(/^Unauthorized$/);
  });

  it('logs why a token was refused, but never the token', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const token = signRs256(issuerKey, validClaims({ aud: 'another-api' }));

    await expect(authorizer()(tokenEvent(`Bearer ${token}`))).rejects.toThrow('Unauthorized');

    const lines = log.mock.calls.map((call) => call.join(' ')).join('\n');
    expect(lines).toMatch(/audience/);
    expect(lines).not.toContain(token);
  });

  it('fetches the JWKS once for many tokens: keys are cached in the sandbox', async () => {
    const verify = authorizer();
    const before = jwks.requests;

    for (const sub of ['alice', 'bob', 'carol']) {
      await verify(tokenEvent(`Bearer ${signRs256(issuerKey, validClaims({ sub }))}`));
    }

    expect(jwks.requests - before).toBe(1);
  });

  it('fails with a server error (500), not a 401, when the JWKS endpoint cannot be reached', async () => {
    const unreachable = { ...config, jwksUri: 'http://127.0.0.1:9/.well-known/jwks.json' };
    const keys = signingKeysFrom(unreachable.jwksUri);
    const verify = authorizeWith((token) => verifyToken(token, unreachable, keys));

    const attempt = verify(tokenEvent(`Bearer ${signRs256(issuerKey, validClaims())}`));

    await expect(attempt).rejects.toThrow();
    await expect(attempt).rejects.not.toThrow(/^Unauthorized$/);
  });

  // BEGIN HIDDEN TESTS
  it('tolerates a clock skew: a token that expired 30 s ago is still accepted (tolerance 60 s)', async () => {
    const token = signRs256(issuerKey, validClaims({ exp: nowSeconds() - 30 }));

    await expect(authorizer()(tokenEvent(`Bearer ${token}`))).resolves.toMatchObject({
      principalId: 'alice',
    });
  });

  it('refuses an RS256 token whose header has no kid', async () => {
    const { privateKey } = issuerKey;
    const jwt = await import('jsonwebtoken');
    const token = jwt.default.sign(validClaims(), privateKey, { algorithm: 'RS256', noTimestamp: true });

    await expect(authorizer()(tokenEvent(`Bearer ${token}`))).rejects.toThrow(/^Unauthorized$/);
  });
  // END HIDDEN TESTS
});

describe('bearerTokenOf', () => {
  it('returns the token of "Bearer <token>"', () => {
    expect(bearerTokenOf('Bearer abc.def.ghi')).toBe('abc.def.ghi');
  });

  it('throws an InvalidTokenError for any other header', () => {
    expect(() => bearerTokenOf('Token abc.def.ghi')).toThrow(InvalidTokenError);
  });
});
