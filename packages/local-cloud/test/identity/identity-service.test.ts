import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import jwksClient from 'jwks-rsa';
import {
  createIdentityService,
  identityDataDir,
  type IdentityService,
} from '../../src/services/identity/identity-service';
import { runTokenCommand } from '../../src/services/identity/token-command';
import { temporaryDirectory } from '../sns/messaging-harness';

const AUDIENCE = 'udagram-api';
const servicePath = temporaryDirectory('identity-tests-');
const dataDir = identityDataDir(servicePath.path);
let clock = Date.now();
let identity: IdentityService;

beforeAll(async () => {
  identity = await createIdentityService({ dataDir, audience: AUDIENCE, now: () => clock });
});

afterAll(async () => {
  await identity.stop();
  servicePath.remove();
});

/** Verifies as an application does: the key looked up by kid at the JWKS URI, then issuer, audience, expiry. */
function verify(
  token: string,
  expected: { issuer?: string; audience?: string; jwksUri?: string } = {},
): Promise<JwtPayload> {
  const keys = jwksClient({ jwksUri: expected.jwksUri ?? identity.jwksUri, cache: false });
  return new Promise((resolve, reject) => {
    jwt.verify(
      token,
      (header, callback) => {
        keys.getSigningKey(header.kid).then(
          (key) => callback(null, key.getPublicKey()),
          (error: Error) => callback(error),
        );
      },
      {
        algorithms: ['RS256'],
        issuer: expected.issuer ?? identity.issuer,
        audience: expected.audience ?? AUDIENCE,
      },
      (error, payload) => (error ? reject(error) : resolve(payload as JwtPayload)),
    );
  });
}

describe('the identity issuer', () => {
  it('publishes its public key at /.well-known/jwks.json and describes itself at openid-configuration', async () => {
    const discovery = (await (
      await fetch(`${identity.url}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    const jwks = (await (await fetch(`${identity.url}/.well-known/jwks.json`)).json()) as {
      keys: Record<string, unknown>[];
    };

    expect(identity.issuer).toBe(`${identity.url}/`);
    expect(discovery).toMatchObject({
      issuer: identity.issuer,
      jwks_uri: `${identity.url}/.well-known/jwks.json`,
    });
    expect(jwks.keys).toEqual([
      {
        kty: 'RSA',
        n: expect.any(String) as unknown,
        e: 'AQAB',
        kid: identity.kid,
        alg: 'RS256',
        use: 'sig',
      },
    ]);
  });

  it('mints tokens an application verifies with jwks-rsa and jsonwebtoken: kid, issuer, audience, expiry', async () => {
    const token = identity.mintToken({ sub: 'alice', claims: { email: 'alice@example.com' } });

    const payload = await verify(token);

    expect(jwt.decode(token, { complete: true })?.header).toEqual({
      alg: 'RS256',
      typ: 'JWT',
      kid: identity.kid,
    });
    expect(payload).toMatchObject({
      sub: 'alice',
      iss: identity.issuer,
      aud: AUDIENCE,
      email: 'alice@example.com',
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600);
  });

  it('mints tokens that fail verification for another audience or issuer, and once expired', async () => {
    const token = identity.mintToken({ sub: 'alice', expiresIn: '1m' });
    const saved = clock;
    clock -= 2 * 60 * 1000;
    const expired = identity.mintToken({ sub: 'alice', expiresIn: '1m' });
    clock = saved;

    await expect(verify(token, { audience: 'another-api' })).rejects.toThrow('jwt audience invalid');
    await expect(verify(token, { issuer: 'https://example.auth0.com/' })).rejects.toThrow(
      'jwt issuer invalid',
    );
    await expect(verify(expired)).rejects.toThrow('jwt expired');
  });

  it('refuses a token signed by another key, even one claiming its kid', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = jwt.sign({ sub: 'mallory', iss: identity.issuer, aud: AUDIENCE }, privateKey, {
      algorithm: 'RS256',
      keyid: identity.kid,
      expiresIn: 3600,
    });
    const unknownKid = jwt.sign({ sub: 'mallory', iss: identity.issuer, aud: AUDIENCE }, privateKey, {
      algorithm: 'RS256',
      keyid: 'not-a-local-cloud-key',
    });

    await expect(verify(forged)).rejects.toThrow('invalid signature');
    await expect(verify(unknownKid)).rejects.toThrow(/Unable to find a signing key that matches/);
  });

  it('keeps its key pair across restarts, owner-only and out of git', async () => {
    const before = identity.mintToken({ sub: 'alice' });
    const restarted = await createIdentityService({ dataDir, audience: AUDIENCE, issuer: identity.issuer });
    try {
      expect(restarted.kid).toBe(identity.kid);
      await expect(verify(before, { jwksUri: restarted.jwksUri })).resolves.toMatchObject({ sub: 'alice' });
    } finally {
      await restarted.stop();
    }
    expect(statSync(path.join(dataDir, 'private-key.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dataDir, '.gitignore'), 'utf8')).toBe('*\n');
  });

  it('mints no token over HTTP for a user who did not sign in, and says how to get one', async () => {
    const post = (body: string, contentType: string) =>
      fetch(`${identity.url}/token`, { method: 'POST', headers: { 'content-type': contentType }, body });

    for (const answer of [
      await post('{"sub":"bob","expires_in":"15m"}', 'application/json'),
      await post('sub=carol&aud=other-api', 'application/x-www-form-urlencoded'),
      await post('grant_type=client_credentials&sub=dave', 'application/x-www-form-urlencoded'),
    ]) {
      expect(answer.status).toBe(400);
      expect(await answer.json()).toEqual({
        error: 'unsupported_grant_type',
        error_description:
          'grant_type must be authorization_code. For a token for any user, run: npx local-cloud token --sub <user>',
      });
    }
  });

  it('gives no token a lifetime over 24 hours, and every token an expiry', () => {
    const day = identity.mintToken({ sub: 'alice', expiresIn: '24h' });

    expect(() => identity.mintToken({ sub: 'alice', expiresIn: '10y' })).toThrow('is not a duration');
    expect(() => identity.mintToken({ sub: 'alice', expiresIn: '25h' })).toThrow(
      'expiry "25h" is longer than 24h, the longest lifetime the local issuer gives a token: give 24h or less, and mint a new token when it expires',
    );
    expect(() => identity.mintToken({ sub: 'alice', expiresIn: 86_401 })).toThrow('is longer than 24h');
    const claims = jwt.decode(day) as JwtPayload;
    expect(claims.exp! - claims.iat!).toBe(86_400);
  });
});

describe('local-cloud token', () => {
  const run = (args: string[], cwd = servicePath.path) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = runTokenCommand(args, {
      cwd,
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
    });
    return { code, out: out.join(''), err: err.join('') };
  };

  it('prints a token the running issuer vouches for, with its recorded issuer and audience', async () => {
    const { code, out, err } = run([
      '--sub',
      'alice',
      '--expires-in',
      '2h',
      '--claim',
      'admin=true',
      '--claim',
      'team=ops',
    ]);

    expect({ code, err }).toEqual({ code: 0, err: '' });
    const payload = await verify(out);
    expect(payload).toMatchObject({
      sub: 'alice',
      iss: identity.issuer,
      aud: AUDIENCE,
      admin: true,
      team: 'ops',
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(7200);
  });

  it('takes --aud and --service', async () => {
    const { code, out } = run(['--sub=dave', '--aud=other-api', `--service=${servicePath.path}`], '/');

    expect(code).toBe(0);
    await expect(verify(out, { audience: 'other-api' })).resolves.toMatchObject({ sub: 'dave' });
  });

  it('fails with one line naming the problem and the fix', () => {
    const elsewhere = temporaryDirectory('identity-none-');
    try {
      expect(run(['--aud', 'x'])).toMatchObject({
        code: 2,
        err: expect.stringMatching(/^local-cloud token: --sub is required\. Fix: /) as unknown,
      });
      expect(run(['--sub', 'alice', '--expires-in', 'soon'])).toMatchObject({
        code: 2,
        err: expect.stringContaining('is not a duration') as unknown,
      });
      expect(run(['--sub', 'alice'], elsewhere.path)).toMatchObject({
        code: 2,
        err: expect.stringMatching(
          /no issuer is recorded in .*issuer\.json\. Fix: run `npx local-cloud start`/,
        ) as unknown,
      });
    } finally {
      elsewhere.remove();
    }
  });
});
