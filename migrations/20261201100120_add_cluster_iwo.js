/** OmniStack's Intelligent Workload Optimizer switch per cluster (POST /omnistack_clusters/{id}/set_iwo). */
exports.up = async (knex) => {
  await knex.schema.alterTable('clusters', (t) => {
    t.boolean('iwo_enabled').notNullable().defaultTo(false);
  });
};

exports.down = async (knex) => {
  await knex.schema.alterTable('clusters', (t) => {
    t.dropColumn('iwo_enabled');
  });
};
