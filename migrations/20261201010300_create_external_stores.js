/** External backup stores (HPE StoreOnce) registered with a cluster (OmniStack external_stores). */
exports.up = async (knex) => {
  await knex.schema.createTable('external_stores', (t) => {
    t.uuid('id').primary();
    t.bigIncrements('seq', { primaryKey: false }).unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.uuid('cluster_id').notNullable().references('clusters.id').onDelete('RESTRICT');
    t.text('name').notNullable().unique();
    t.text('kind').notNullable();
    t.text('management_address').notNullable();
    t.integer('management_port').notNullable();
    t.integer('storage_port').notNullable();
    t.text('username').notNullable();
    t.text('password').notNullable();
    t.index(['cluster_id']);
  });
};

exports.down = async (knex) => {
  await knex.schema.dropTableIfExists('external_stores');
};
