/**
 * Change stamps for the rest of what an Eco4Cloud host or VM row is derived from (farm and
 * cluster names, datastores, consolidation settings), so the inventory behind Host/get and
 * Vm/get can be cached until any process writes one of them.
 * Reuses rosetta_bump_change_stamp() from 20261201080000_add_change_stamps.
 */
const TABLES = ['sites', 'clusters', 'datastores', 'consolidation_settings'];

exports.up = async (knex) => {
  for (const table of TABLES) {
    await knex.raw(`CREATE TRIGGER ${table}_change_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION rosetta_bump_change_stamp()`);
  }
};

exports.down = async (knex) => {
  for (const table of TABLES) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_change_stamp ON ${table}`);
};
