/** Fault and latency rules of the test-instrument control plane, shared by every gateway and worker. */
exports.up = async (knex) => {
  await knex.schema.createTable('fault_rules', (t) => {
    t.uuid('id').primary();
    t.bigIncrements('seq', { primaryKey: false });
    t.unique(['seq']);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('target').notNullable();
    t.text('dialect');
    t.text('method');
    t.text('route');
    t.text('job_kind');
    t.text('step');
    t.jsonb('effect').notNullable();
    t.integer('remaining');
    t.double('probability');
    t.text('seed').notNullable().defaultTo('rosetta');
    t.timestamp('expires_at', { useTz: true });
    t.bigInteger('hits').notNullable().defaultTo(0);
    t.bigInteger('evaluations').notNullable().defaultTo(0);
  });
  await knex.raw(`ALTER TABLE fault_rules ADD CONSTRAINT fault_rules_target_check CHECK (target IN ('request','step'))`);
};

exports.down = async (knex) => {
  await knex.schema.dropTableIfExists('fault_rules');
};
