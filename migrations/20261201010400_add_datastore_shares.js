/** Hosts outside the datastore's cluster that mount it over NFS (OmniStack datastore share/unshare). */
exports.up = async (knex) => {
  await knex.schema.alterTable('datastores', (t) => {
    t.jsonb('shared_host_ids').notNullable().defaultTo('[]');
  });
};

exports.down = async (knex) => {
  await knex.schema.alterTable('datastores', (t) => {
    t.dropColumn('shared_host_ids');
  });
};
