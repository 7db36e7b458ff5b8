/**
 * Change stamps for aggregates and their membership, so derived views over them (aggregate lists
 * with host names) can be cached until any process writes them. devices gets its trigger in
 * 20261201120200_add_lustre_change_stamps.
 * Reuses rosetta_bump_change_stamp() from 20261201080000_add_change_stamps.
 */
const TABLES = ['host_aggregates', 'host_aggregate_hosts'];

exports.up = async (knex) => {
  for (const table of TABLES) {
    await knex.raw(`CREATE TRIGGER ${table}_change_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION rosetta_bump_change_stamp()`);
  }
};

exports.down = async (knex) => {
  for (const table of TABLES) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_change_stamp ON ${table}`);
};
