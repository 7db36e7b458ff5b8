/**
 * Workload-consolidation settings (Eco4Cloud's ta, th, switches and minutes) as domain facts,
 * one row per configured site, cluster, host or VM. A NULL column means "not set here": the
 * effective value is inherited (host -> cluster -> site) or the documented default.
 * Hosts also learn when their power last changed, whichever dialect or job changed it, so
 * minimum uptime and downtime can be enforced.
 */
const SUBJECTS = ['sites', 'clusters', 'hosts', 'vms'];
const KIND = { sites: 'site', clusters: 'cluster', hosts: 'host', vms: 'vm' };

exports.up = async (knex) => {
  await knex.schema.createTable('consolidation_settings', (t) => {
    t.uuid('id').primary();
    t.bigIncrements('seq', { primaryKey: false });
    t.unique(['seq']);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('subject_kind').notNullable();
    t.uuid('subject_id').notNullable();
    t.text('description');
    t.double('ta');
    t.double('th');
    t.boolean('consolidation_on');
    t.integer('servers_always_on');
    t.integer('power_off_min_uptime');
    t.integer('power_on_min_downtime');
    t.text('drs_mode');
    t.boolean('standby_enabled');
    t.boolean('migration_enabled');
    t.boolean('cluster_migration_enabled');
    t.timestamp('last_round_at', { useTz: true });
    t.unique(['subject_kind', 'subject_id']);
  });
  await knex.raw(`ALTER TABLE consolidation_settings
    ADD CONSTRAINT consolidation_subject_check CHECK (subject_kind IN ('site','cluster','host','vm')),
    ADD CONSTRAINT consolidation_ta_check CHECK (ta IS NULL OR (ta >= 0 AND ta <= 100)),
    ADD CONSTRAINT consolidation_th_check CHECK (th IS NULL OR (th >= 0 AND th <= 100)),
    ADD CONSTRAINT consolidation_ta_th_check CHECK (ta IS NULL OR th IS NULL OR ta <= th),
    ADD CONSTRAINT consolidation_minutes_check CHECK (COALESCE(power_off_min_uptime, 0) >= 0 AND COALESCE(power_on_min_downtime, 0) >= 0),
    ADD CONSTRAINT consolidation_always_on_check CHECK (COALESCE(servers_always_on, 0) >= 0)`);

  // Settings have no FK (one table serves four parents): a trigger per parent removes them.
  await knex.raw(`CREATE FUNCTION consolidation_settings_cleanup() RETURNS trigger AS $$
    BEGIN
      DELETE FROM consolidation_settings WHERE subject_kind = TG_ARGV[0] AND subject_id = OLD.id;
      RETURN OLD;
    END $$ LANGUAGE plpgsql`);
  for (const table of SUBJECTS) {
    await knex.raw(`CREATE TRIGGER ${table}_consolidation_cleanup AFTER DELETE ON ${table}
      FOR EACH ROW EXECUTE FUNCTION consolidation_settings_cleanup('${KIND[table]}')`);
  }

  await knex.schema.alterTable('hosts', (t) => {
    t.timestamp('power_changed_at', { useTz: true });
  });
  await knex.raw('UPDATE hosts SET power_changed_at = created_at');
  // updated_at is written from the domain clock by the store, so the change time is clock time.
  await knex.raw(`CREATE FUNCTION hosts_power_changed() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        NEW.power_changed_at := COALESCE(NEW.power_changed_at, NEW.created_at);
      ELSIF NEW.power IS DISTINCT FROM OLD.power THEN
        NEW.power_changed_at := NEW.updated_at;
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql`);
  await knex.raw(`CREATE TRIGGER hosts_power_changed BEFORE INSERT OR UPDATE ON hosts
    FOR EACH ROW EXECUTE FUNCTION hosts_power_changed()`);
};

exports.down = async (knex) => {
  await knex.raw('DROP TRIGGER IF EXISTS hosts_power_changed ON hosts');
  await knex.raw('DROP FUNCTION IF EXISTS hosts_power_changed()');
  await knex.schema.alterTable('hosts', (t) => {
    t.dropColumn('power_changed_at');
  });
  for (const table of SUBJECTS) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_consolidation_cleanup ON ${table}`);
  await knex.raw('DROP FUNCTION IF EXISTS consolidation_settings_cleanup()');
  await knex.schema.dropTableIfExists('consolidation_settings');
};
