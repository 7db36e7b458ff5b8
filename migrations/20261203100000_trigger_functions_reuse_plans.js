/**
 * Sessions plan every statement afresh (plan_cache_mode=force_custom_plan, set by the store for its
 * connections) so that foreign-key checks follow tables as they grow. The counter and stamp
 * triggers run one fixed primary-key upsert per statement, whose generic plan is always right;
 * planning it on every call made them cost 67 us instead of 48 (44 instead of 32 for row counts).
 */
const FUNCTIONS = ['rosetta_bump_change_stamp()', 'rosetta_count_rows()', 'hosts_power_changed()', 'consolidation_settings_cleanup()'];

exports.up = async (knex) => {
  for (const fn of FUNCTIONS) await knex.raw(`ALTER FUNCTION ${fn} SET plan_cache_mode = auto`);
};

exports.down = async (knex) => {
  for (const fn of FUNCTIONS) await knex.raw(`ALTER FUNCTION ${fn} RESET plan_cache_mode`);
};
