/**
 * Control-plane "datastore full" domain fault: the backing storage reports no free space while
 * used_bytes keeps its true value, so clearing the fault restores the real free space.
 */
exports.up = async (knex) => {
  await knex.schema.alterTable('datastores', (t) => {
    t.boolean('full').notNullable().defaultTo(false);
  });
};

exports.down = async (knex) => {
  await knex.schema.alterTable('datastores', (t) => {
    t.dropColumn('full');
  });
};
