/**
 * Row counters and change stamps were sharded at random, so one transaction could hold several
 * shard rows of a table while another waited on them in the opposite order: lock waits and
 * deadlocks under concurrent job execution. Sharding by the server connection instead means a
 * transaction always writes the same shard, and two connections collide only when their process
 * ids meet modulo 64. Readers sum every shard, as before.
 */
const BY_CONNECTION = 'pg_backend_pid() % 64';
const AT_RANDOM = 'floor(random() * 16)::int';

const countRows = (shard) => `
  CREATE OR REPLACE FUNCTION rosetta_count_rows() RETURNS trigger LANGUAGE plpgsql AS $$
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
      INSERT INTO row_counts (table_name, shard, n) VALUES (TG_TABLE_NAME, ${shard}, delta)
      ON CONFLICT (table_name, shard) DO UPDATE SET n = row_counts.n + EXCLUDED.n;
    END IF;
    RETURN NULL;
  END $$`;

const bumpChangeStamp = (shard) => `
  CREATE OR REPLACE FUNCTION rosetta_bump_change_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO change_stamps (table_name, shard, n) VALUES (TG_TABLE_NAME, ${shard}, 1)
    ON CONFLICT (table_name, shard) DO UPDATE SET n = change_stamps.n + 1;
    RETURN NULL;
  END $$`;

exports.up = async (knex) => {
  await knex.raw(countRows(BY_CONNECTION));
  await knex.raw(bumpChangeStamp(BY_CONNECTION));
};

exports.down = async (knex) => {
  await knex.raw(countRows(AT_RANDOM));
  await knex.raw(bumpChangeStamp(AT_RANDOM));
};
