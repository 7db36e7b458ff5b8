/**
 * Change stamps for the tables a Heketi volume's wire form is computed from (volumes, bricks),
 * so the Heketi dialect can reuse a rendered volume until any process writes one of them, and
 * take a consistent export by reading between two equal stamps. hosts, devices, jobs and
 * clusters get theirs in 20261201080000, 20261201120200 and 20261201140400.
 * Reuses rosetta_bump_change_stamp() from 20261201080000_add_change_stamps.
 */
const TABLES = ['volumes', 'bricks'];

exports.up = async (knex) => {
  for (const table of TABLES) {
    await knex.raw(`CREATE TRIGGER ${table}_change_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION rosetta_bump_change_stamp()`);
  }
};

exports.down = async (knex) => {
  for (const table of TABLES) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_change_stamp ON ${table}`);
};
