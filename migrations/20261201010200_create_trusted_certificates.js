/** The appliance trust store (OmniStack security/certificates): PEM certificates keyed by SHA-1 thumbprint. */
exports.up = async (knex) => {
  await knex.schema.createTable('trusted_certificates', (t) => {
    t.uuid('id').primary();
    t.bigIncrements('seq', { primaryKey: false }).unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('thumbprint').notNullable().unique();
    t.text('pem').notNullable();
    t.text('subject').notNullable();
    t.text('issuer').notNullable();
    t.text('serial').notNullable();
  });
};

exports.down = async (knex) => {
  await knex.schema.dropTableIfExists('trusted_certificates');
};
