/**
 * Revoked self-validating tokens (Keystone's DELETE /v3/auth/tokens). Tokens are not stored, so
 * a revocation is a row keyed by the token's audit id, kept until the token would have expired
 * anyway. Every gateway on the database reads them, which keeps revocation multi-gateway.
 */
exports.up = async (knex) => {
  await knex.schema.createTable('revoked_tokens', (t) => {
    t.text('realm').notNullable();
    t.text('token_key').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['realm', 'token_key']);
    t.index(['realm', 'expires_at']);
  });
};

exports.down = async (knex) => {
  await knex.schema.dropTableIfExists('revoked_tokens');
};
