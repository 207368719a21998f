// API Gateway's authorizer result cache: an authorizer's output (principal, policy, context) kept for its
// TTL under the identity that produced it (the token for TOKEN, every identity source value for REQUEST).
// The policy is cached, not the decision: each later request evaluates it against its own method ARN.

interface Entry<V> {
  value: V;
  /** ms since the epoch, on the runner's clock. */
  expiresAt: number;
}

/** Past this many entries, expired ones are swept on the next insert. */
const SWEEP_THRESHOLD = 1000;

export class AuthorizerCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  /** The live entry for the key; an expired one is dropped. */
  get(key: string, now: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, ttlSeconds: number, now: number): void {
    if (ttlSeconds <= 0) return;
    if (this.entries.size >= SWEEP_THRESHOLD) this.sweep(now);
    this.entries.set(key, { value, expiresAt: now + ttlSeconds * 1000 });
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}

/** The cache key: which authorizer, then the identity values in order. */
export function cacheKey(authorizerId: string, identity: readonly string[]): string {
  return JSON.stringify([authorizerId, ...identity]);
}
