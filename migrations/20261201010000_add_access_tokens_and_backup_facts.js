/**
 * Bearer tokens every gateway sharing the database accepts (OmniStack OAuth), and the backup
 * and cluster facts OmniStack talks about: how a backup was triggered, its consistency, its
 * lock, and a cluster's time zone.
 */
exports.up = async (knex) => {
  await knex.schema.createTable('access_tokens', (t) => {
    t.uuid('id').primary();
    t.bigIncrements('seq', { primaryKey: false }).unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('realm').notNullable();
    t.text('subject').notNullable();
    t.jsonb('principal').notNullable();
    t.integer('idle_seconds').notNullable();
    t.timestamp('last_used_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.index(['realm', 'subject']);
  });
  await knex.schema.alterTable('backups', (t) => {
    t.text('trigger').notNullable().defaultTo('manual');
    t.boolean('app_consistent').notNullable().defaultTo(false);
    t.text('consistency').notNullable().defaultTo('none');
    t.boolean('locked').notNullable().defaultTo(false);
    t.index(['datastore_id']);
  });
  await knex.raw(`ALTER TABLE backups ADD CONSTRAINT backups_trigger_check CHECK (trigger IN ('manual','policy'))`);
  await knex.schema.alterTable('clusters', (t) => {
    t.text('time_zone').notNullable().defaultTo('UTC');
  });
};

exports.down = async (knex) => {
  await knex.schema.alterTable('clusters', (t) => {
    t.dropColumn('time_zone');
  });
  await knex.raw('ALTER TABLE backups DROP CONSTRAINT IF EXISTS backups_trigger_check');
  await knex.schema.alterTable('backups', (t) => {
    t.dropIndex(['datastore_id']);
    t.dropColumn('trigger');
    t.dropColumn('app_consistent');
    t.dropColumn('consistency');
    t.dropColumn('locked');
  });
  await knex.schema.dropTableIfExists('access_tokens');
};
