/**
 * Control-plane state shared by every gateway and worker: named snapshots of the domain
 * (one JSON array of rows per table, so restore is a single INSERT ... SELECT per table),
 * the job execution mode (normal, paused, manual) and the step permits manual mode hands out.
 */
exports.up = async (knex) => {
  await knex.schema.createTable('snapshots', (t) => {
    t.text('name').primary();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('schema').notNullable();
    t.jsonb('row_counts').notNullable();
  });
  await knex.schema.createTable('snapshot_tables', (t) => {
    t.text('snapshot_name').notNullable().references('name').inTable('snapshots').onDelete('CASCADE');
    t.text('table_name').notNullable();
    t.jsonb('rows').notNullable();
    t.primary(['snapshot_name', 'table_name']);
  });
  await knex.schema.createTable('job_execution', (t) => {
    t.integer('id').primary();
    t.text('mode').notNullable().defaultTo('normal');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE job_execution ADD CONSTRAINT job_execution_singleton CHECK (id = 1)`);
  await knex.raw(`ALTER TABLE job_execution ADD CONSTRAINT job_execution_mode_check CHECK (mode IN ('normal','paused','manual'))`);
  await knex.schema.createTable('job_step_permits', (t) => {
    t.uuid('job_id').primary();
    t.integer('permits').notNullable();
  });
};

exports.down = async (knex) => {
  await knex.schema.dropTableIfExists('job_step_permits');
  await knex.schema.dropTableIfExists('job_execution');
  await knex.schema.dropTableIfExists('snapshot_tables');
  await knex.schema.dropTableIfExists('snapshots');
};
