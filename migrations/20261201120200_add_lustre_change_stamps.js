/**
 * Change stamps for the tables IML's host and target lists are computed from, so the Lustre
 * dialect can reuse a rendered page until any process writes one of them. OR REPLACE: another
 * dialect's migration may stamp one of these tables too, and the trigger is the same either way.
 */
const TABLES = ['targets', 'filesystems', 'jobs', 'devices'];

exports.up = async (knex) => {
  for (const table of TABLES) {
    await knex.raw(`CREATE OR REPLACE TRIGGER ${table}_change_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION rosetta_bump_change_stamp()`);
  }
};

exports.down = async (knex) => {
  for (const table of TABLES) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_change_stamp ON ${table}`);
};
