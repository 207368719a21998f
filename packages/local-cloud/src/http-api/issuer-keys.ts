// The public keys a JWT authorizer verifies tokens with, found as API Gateway finds them: the issuer's OpenID
// discovery document (`<issuerUrl>/.well-known/openid-configuration`), then its `jwks_uri`. Each fetch may take
// 1,500 ms and a key set 150,000 bytes (the HTTP API quotas). Keys are kept per issuer; a token signed with a
// key the set does not hold refetches it (an issuer that rotated its keys), at most once every 10 seconds.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { isRecord } from '../common/records';

export const ISSUER_FETCH_TIMEOUT_MS = 1500;
const MAX_KEY_SET_BYTES = 150_000;
const REFETCH_AFTER_MS = 10_000;

export type KeyLookup =
  | { ok: true; key: KeyObject }
  | { ok: false; reason: 'unknown-key' }
  /** The discovery document or the key set could not be fetched or read: `detail` says why. */
  | { ok: false; reason: 'unreachable'; detail: string };

interface KeySet {
  keys: Map<string, KeyObject>;
  fetchedAt: number;
}

export interface IssuerKeysOptions {
  now?: () => number;
  timeoutMs?: number;
}

export class IssuerKeys {
  private readonly sets = new Map<string, KeySet>();
  private readonly pending = new Map<string, Promise<KeySet>>();
  private readonly now: () => number;
  private readonly timeoutMs: number;

  constructor(options: IssuerKeysOptions = {}) {
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? ISSUER_FETCH_TIMEOUT_MS;
  }

  async key(issuerUrl: string, kid: string): Promise<KeyLookup> {
    let set = this.sets.get(issuerUrl);
    if (!set || (!set.keys.has(kid) && this.now() - set.fetchedAt >= REFETCH_AFTER_MS)) {
      try {
        set = await this.fetchOnce(issuerUrl);
      } catch (error) {
        return {
          ok: false,
          reason: 'unreachable',
          detail: error instanceof Error ? error.message : String(error),
        };
      }
    }
    const key = set.keys.get(kid);
    return key ? { ok: true, key } : { ok: false, reason: 'unknown-key' };
  }

  /** One fetch per issuer at a time: concurrent requests share it. */
  private fetchOnce(issuerUrl: string): Promise<KeySet> {
    let pending = this.pending.get(issuerUrl);
    if (!pending) {
      pending = this.fetchKeySet(issuerUrl).finally(() => this.pending.delete(issuerUrl));
      this.pending.set(issuerUrl, pending);
    }
    return pending;
  }

  private async fetchKeySet(issuerUrl: string): Promise<KeySet> {
    const discoveryUrl = `${issuerUrl.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const discovery = await this.fetchJson(discoveryUrl);
    const jwksUri = isRecord(discovery) ? discovery.jwks_uri : undefined;
    if (typeof jwksUri !== 'string') throw new Error(`${discoveryUrl} has no jwks_uri`);
    const document = await this.fetchJson(jwksUri);
    const keys = new Map<string, KeyObject>();
    const listed = isRecord(document) && Array.isArray(document.keys) ? document.keys : undefined;
    if (!listed) throw new Error(`${jwksUri} is not a JSON Web Key Set (no "keys" list)`);
    for (const jwk of listed) {
      if (!isRecord(jwk) || jwk.kty !== 'RSA' || typeof jwk.kid !== 'string') continue;
      try {
        keys.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }));
      } catch {
        // A key Node cannot read verifies nothing; the others still do.
      }
    }
    const set = { keys, fetchedAt: this.now() };
    this.sets.set(issuerUrl, set);
    return set;
  }

  private async fetchJson(url: string): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs), redirect: 'follow' });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
      throw new Error(`GET ${url} failed: ${why}`);
    }
    if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
    const text = await response.text();
    if (Buffer.byteLength(text) > MAX_KEY_SET_BYTES) {
      throw new Error(`${url} is over ${MAX_KEY_SET_BYTES} bytes, API Gateway's limit`);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new Error(`${url} is not JSON`);
    }
  }
}
