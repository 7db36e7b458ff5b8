/** IML alerts users dismissed, by alert id and the moment the alert began. */
exports.up = async (knex) => {
  await knex.schema.createTable('lustre_alert_dismissals', (t) => {
    t.uuid('id').primary();
    t.bigIncrements('seq', { primaryKey: false });
    t.unique(['seq']);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.bigInteger('alert_id').notNullable();
    t.timestamp('begin', { useTz: true }).notNullable();
    t.unique(['alert_id', 'begin']);
  });
};

exports.down = async (knex) => {
  await knex.schema.dropTableIfExists('lustre_alert_dismissals');
};
