/**
 * Storage-volume facts Heketi clients read back (gluster volume options, group id, whether
 * snapshots were asked for, a block-hosting restriction, a block volume's
 * target count and CHAP auth) and, on jobs, when a client
 * collected a finished job's outcome, and the structured facts of a failed job's error: async APIs that hand an outcome out exactly once
 * need that to survive restarts and to hold across several gateway processes.
 */
exports.up = async (knex) => {
  await knex.schema.alterTable('volumes', (t) => {
    t.jsonb('options').notNullable().defaultTo('[]');
    t.bigInteger('gid').notNullable().defaultTo(0);
    t.boolean('snapshot_enabled').notNullable().defaultTo(false);
    t.text('block_restriction');
    t.integer('ha_count').notNullable().defaultTo(0);
    t.boolean('auth_enabled').notNullable().defaultTo(false);
  });
  // A cloned brick lives in its origin's thin pool: it takes no device space of its own.
  await knex.schema.alterTable('bricks', (t) => {
    t.uuid('pool_brick_id');
  });
  await knex.schema.alterTable('jobs', (t) => {
    t.timestamp('collected_at', { useTz: true });
    t.jsonb('error_details');
  });
};

exports.down = async (knex) => {
  await knex.schema.alterTable('jobs', (t) => {
    t.dropColumn('collected_at');
    t.dropColumn('error_details');
  });
  await knex.schema.alterTable('bricks', (t) => {
    t.dropColumn('pool_brick_id');
  });
  await knex.schema.alterTable('volumes', (t) => {
    t.dropColumn('options');
    t.dropColumn('gid');
    t.dropColumn('snapshot_enabled');
    t.dropColumn('block_restriction');
    t.dropColumn('ha_count');
    t.dropColumn('auth_enabled');
  });
};
