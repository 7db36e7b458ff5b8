/**
 * Lustre server facts: the managed-host life cycle, the LNet state and the server profile.
 * A host the domain already knows is a managed server with LNet up, so existing rows need no backfill.
 */
exports.up = async (knex) => {
  await knex.schema.alterTable('hosts', (t) => {
    t.text('lustre_state').notNullable().defaultTo('managed');
    t.text('lnet_state').notNullable().defaultTo('lnet_up');
    t.text('server_profile').notNullable().defaultTo('default');
  });
  await knex.raw(
    `ALTER TABLE hosts ADD CONSTRAINT hosts_lustre_state_check CHECK (lustre_state IN ('unconfigured','packages_installed','managed','monitored','working','removed'))`,
  );
  await knex.raw(`ALTER TABLE hosts ADD CONSTRAINT hosts_lnet_state_check CHECK (lnet_state IN ('unconfigured','lnet_unloaded','lnet_down','lnet_up'))`);
  // Server pages ask which targets each listed host serves.
  await knex.schema.alterTable('targets', (t) => t.index(['host_id'], 'targets_host_id_index'));
};

exports.down = async (knex) => {
  await knex.schema.alterTable('targets', (t) => t.dropIndex(['host_id'], 'targets_host_id_index'));
  await knex.raw('ALTER TABLE hosts DROP CONSTRAINT IF EXISTS hosts_lnet_state_check');
  await knex.raw('ALTER TABLE hosts DROP CONSTRAINT IF EXISTS hosts_lustre_state_check');
  await knex.schema.alterTable('hosts', (t) => {
    t.dropColumn('server_profile');
    t.dropColumn('lnet_state');
    t.dropColumn('lustre_state');
  });
};
