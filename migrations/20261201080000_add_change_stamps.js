/**
 * Change stamps: a counter per table bumped by every writing statement (16 shards, so
 * concurrent writers rarely meet on one row). Readers sum them to learn, in one tiny query,
 * whether anything changed since they last computed something derived (host load figures).
 */
const TABLES = ['hosts', 'vms'];

exports.up = async (knex) => {
  await knex.schema.createTable('change_stamps', (t) => {
    t.text('table_name').notNullable();
    t.integer('shard').notNullable();
    t.bigInteger('n').notNullable().defaultTo(0);
    t.primary(['table_name', 'shard']);
  });
  await knex.raw(`
    CREATE FUNCTION rosetta_bump_change_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO change_stamps (table_name, shard, n) VALUES (TG_TABLE_NAME, floor(random() * 16)::int, 1)
      ON CONFLICT (table_name, shard) DO UPDATE SET n = change_stamps.n + 1;
      RETURN NULL;
    END $$`);
  for (const table of TABLES) {
    await knex.raw(`CREATE TRIGGER ${table}_change_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION rosetta_bump_change_stamp()`);
  }
};

exports.down = async (knex) => {
  for (const table of TABLES) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_change_stamp ON ${table}`);
  await knex.raw('DROP FUNCTION IF EXISTS rosetta_bump_change_stamp()');
  await knex.schema.dropTableIfExists('change_stamps');
};
