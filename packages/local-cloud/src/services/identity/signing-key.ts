// The identity issuer's RS256 key pair: generated once, kept in `<dataDir>/private-key.pem` (owner-only,
// with a `.gitignore` beside it) so tokens stay valid across restarts, as a real issuer's keys do. The `kid`
// is the key's RFC 7638 thumbprint: stable for the key, new if the key is deleted and made again.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DamagedStateError, moveAsideFix } from '../../common/damaged-state';

export interface PublicJwk {
  kty: 'RSA';
  n: string;
  e: string;
  kid: string;
  alg: 'RS256';
  use: 'sig';
}

export interface SigningKey {
  privateKey: KeyObject;
  kid: string;
  jwk: PublicJwk;
}

export const PRIVATE_KEY_FILE = 'private-key.pem';

export function loadOrCreateSigningKey(dataDir: string): SigningKey {
  const file = path.join(dataDir, PRIVATE_KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const gitignore = path.join(dataDir, '.gitignore');
    if (!existsSync(gitignore)) writeFileSync(gitignore, '*\n');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    try {
      // `wx`: if another process (a `local-cloud token` next to a running start) wrote one first, use that.
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const privateKey = readPrivateKey(file);
  const { n, e } = createPublicKey(privateKey).export({ format: 'jwk' }) as { n: string; e: string };
  const kid = createHash('sha256')
    .update(JSON.stringify({ e, kty: 'RSA', n }))
    .digest('base64url');
  return { privateKey, kid, jwk: { kty: 'RSA', n, e, kid, alg: 'RS256', use: 'sig' } };
}

/** The key, or what is wrong with its file: OpenSSL's own words ("DECODER routines::unsupported") say nothing. */
function readPrivateKey(file: string): KeyObject {
  const text = readFileSync(file);
  try {
    const key = createPrivateKey(text);
    if (key.asymmetricKeyType !== 'rsa') throw new Error(`an ${key.asymmetricKeyType ?? 'unknown'} key`);
    return key;
  } catch (error) {
    throw new DamagedStateError(
      file,
      `is not the identity issuer's RSA signing key (${text.length === 0 ? 'the file is empty' : (error as Error).message})`,
      moveAsideFix(
        file,
        'a new key is made, and tokens signed with the old one no longer verify (sign in again)',
      ),
    );
  }
}
