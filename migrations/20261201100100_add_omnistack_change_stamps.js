/**
 * A change stamp for policies, the one table OmniStack's cached topology (sites, clusters, hosts,
 * datastores, policies: the names and facts every VM, host and backup row shows) reads that no
 * other migration stamps yet. Reuses rosetta_bump_change_stamp() from 20261201080000_add_change_stamps.
 */
const TABLES = ['policies'];

exports.up = async (knex) => {
  for (const table of TABLES) {
    await knex.raw(`CREATE TRIGGER ${table}_change_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION rosetta_bump_change_stamp()`);
  }
};

exports.down = async (knex) => {
  for (const table of TABLES) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_change_stamp ON ${table}`);
};
