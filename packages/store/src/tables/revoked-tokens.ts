import { Knex } from 'knex';
import { RevokedTokenRepository } from '@rosetta/core';

/** Not a table-repository table: rows have no id or seq, only a realm-scoped key and an expiry. */
export function revokedTokensRepository(db: Knex | Knex.Transaction): RevokedTokenRepository {
  return {
    async add(realm, key, expiresAt) {
      await db('revoked_tokens').insert({ realm, token_key: key, expires_at: expiresAt }).onConflict(['realm', 'token_key']).ignore();
    },
    async live(realm, now) {
      const rows: { token_key: string }[] = await db('revoked_tokens').where({ realm }).andWhere('expires_at', '>', now).select('token_key');
      return rows.map((r) => r.token_key);
    },
    async prune(now) {
      await db('revoked_tokens').where('expires_at', '<=', now).delete();
    },
  };
}
