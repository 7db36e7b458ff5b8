/**
 * Credentials parked for a job: a secret that a request hands to a job (OmniStack external store
 * register / update_credentials) is stored here inside the request's transaction and the job input
 * names only the row id, because job rows are shown by the control plane (/_rosetta/jobs). The
 * job step that applies the secret deletes the row in its own transaction.
 */
exports.up = async (knex) => {
  await knex.schema.createTable('parked_credentials', (t) => {
    t.uuid('id').primary();
    t.bigIncrements('seq', { primaryKey: false }).unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('username').notNullable();
    t.text('password').notNullable();
  });
};

exports.down = async (knex) => {
  await knex.schema.dropTableIfExists('parked_credentials');
};
