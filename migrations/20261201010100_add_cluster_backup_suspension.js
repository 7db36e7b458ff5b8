/** Policy backups can be suspended per cluster (OmniStack policies/suspend and resume). */
exports.up = async (knex) => {
  await knex.schema.alterTable('clusters', (t) => {
    t.boolean('backups_suspended').notNullable().defaultTo(false);
  });
};

exports.down = async (knex) => {
  await knex.schema.alterTable('clusters', (t) => {
    t.dropColumn('backups_suspended');
  });
};
