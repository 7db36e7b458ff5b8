/**
 * Nova facts: why a host was taken out of service (a disabled compute service's reason) and
 * how a VM was requested and built (flavor, image, owner, requested zone, build state, fault).
 * Both are nullable: hosts and VMs that never met Nova need no backfill.
 */
exports.up = async (knex) => {
  await knex.schema.alterTable('hosts', (t) => {
    t.text('state_reason');
  });
  await knex.schema.alterTable('vms', (t) => {
    t.jsonb('build');
  });
};

exports.down = async (knex) => {
  await knex.schema.alterTable('vms', (t) => {
    t.dropColumn('build');
  });
  await knex.schema.alterTable('hosts', (t) => {
    t.dropColumn('state_reason');
  });
};
