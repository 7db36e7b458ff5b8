/**
 * Exact row counts without scanning: statement-level triggers keep per-table counts in
 * 16 shards (so concurrent writers to one table rarely wait on the same counter row), and an
 * unfiltered COUNT becomes a 16-row sum. Filtered counts still scan, as they must.
 */
const TABLES = ['sites', 'policies', 'clusters', 'hosts', 'host_aggregates', 'devices', 'datastores', 'vms', 'backups', 'volumes', 'bricks', 'filesystems', 'targets', 'jobs'];

exports.up = async (knex) => {
  await knex.schema.createTable('row_counts', (t) => {
    t.text('table_name').notNullable();
    t.integer('shard').notNullable();
    t.bigInteger('n').notNullable().defaultTo(0);
    t.primary(['table_name', 'shard']);
  });
  await knex.raw(`
    CREATE FUNCTION rosetta_count_rows() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE delta bigint;
    BEGIN
      IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM row_counts WHERE table_name = TG_TABLE_NAME;
        RETURN NULL;
      ELSIF TG_OP = 'INSERT' THEN
        SELECT count(*) INTO delta FROM new_rows;
      ELSE
        SELECT -count(*) INTO delta FROM old_rows;
      END IF;
      IF delta <> 0 THEN
        INSERT INTO row_counts (table_name, shard, n) VALUES (TG_TABLE_NAME, floor(random() * 16)::int, delta)
        ON CONFLICT (table_name, shard) DO UPDATE SET n = row_counts.n + EXCLUDED.n;
      END IF;
      RETURN NULL;
    END $$`);
  for (const table of TABLES) {
    await knex.raw(`CREATE TRIGGER ${table}_count_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rosetta_count_rows()`);
    await knex.raw(`CREATE TRIGGER ${table}_count_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rosetta_count_rows()`);
    await knex.raw(`CREATE TRIGGER ${table}_count_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION rosetta_count_rows()`);
    await knex.raw(`INSERT INTO row_counts (table_name, shard, n) SELECT ?, 0, count(*) FROM ${table}`, [table]);
  }
};

exports.down = async (knex) => {
  for (const table of TABLES) {
    for (const suffix of ['insert', 'delete', 'truncate']) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_count_${suffix} ON ${table}`);
  }
  await knex.raw('DROP FUNCTION IF EXISTS rosetta_count_rows()');
  await knex.schema.dropTableIfExists('row_counts');
};
