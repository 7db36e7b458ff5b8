import { ServiceDeps } from './deps';

/**
 * Revocation of self-validating tokens (nothing is stored per login). Checks are answered from a
 * per-process copy of the realm's revocations, re-read at most every REFRESH_MS: a revocation
 * made here applies at once, one made by another gateway on the same database within that delay.
 */
export interface TokenRevocationService {
  revoke(realm: string, key: string, expiresAt: Date): Promise<void>;
  isRevoked(realm: string, key: string): Promise<boolean>;
}

export const REVOCATION_REFRESH_MS = 1000;

export function createTokenRevocationService({ store, clock }: Pick<ServiceDeps, 'store' | 'clock'>): TokenRevocationService {
  const realms = new Map<string, { keys: Set<string>; readAt: number; reading?: Promise<Set<string>> }>();
  // Revocations made by this process, by realm and key, until their tokens expire: a read that began before one committed must not hide it.
  const own = new Map<string, number>();

  async function keysOf(realm: string): Promise<Set<string>> {
    let entry = realms.get(realm);
    if (!entry) realms.set(realm, (entry = { keys: new Set(), readAt: -Infinity }));
    if (Date.now() - entry.readAt < REVOCATION_REFRESH_MS) return entry.keys;
    const current = entry;
    // Concurrent checks share one read; the cache is wall-clock based, expiry uses the domain clock.
    current.reading ??= store.repos.revokedTokens
      .live(realm, clock.now())
      .then((keys) => {
        current.keys = new Set(keys);
        current.readAt = Date.now();
        return current.keys;
      })
      .finally(() => (current.reading = undefined));
    return current.reading;
  }

  return {
    async revoke(realm, key, expiresAt) {
      await store.transaction(async (tx) => {
        await tx.revokedTokens.prune(clock.now());
        await tx.revokedTokens.add(realm, key, expiresAt);
      });
      const now = clock.now().getTime();
      for (const [k, until] of own) if (until <= now) own.delete(k);
      own.set(`${realm}\u0000${key}`, expiresAt.getTime());
    },
    async isRevoked(realm, key) {
      return own.has(`${realm}\u0000${key}`) || (await keysOf(realm)).has(key);
    },
  };
}
