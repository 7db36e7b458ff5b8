/**
 * Lustre facts beyond one host per device:
 * - device_paths: a LUN seen from more hosts than the one that owns the device row (shared
 *   storage in an HA pair), each path with IML's `primary` / `use` flags. Once a device has paths,
 *   its rows describe every node, the owner's included, so the flags live in one place.
 * - targets.active_host_id: where a mounted target runs (its primary or a failover server);
 *   targets.failover_host_id already exists.
 * - conf_params on filesystems and targets: the Lustre tunables set through the manager.
 * - lustre_users: manager accounts (configured users are written here when the table is empty),
 *   and lustre_alert_subscriptions: the alert types each account wants mailed.
 * - lustre_registration_tokens: server registration tokens with expiry and credits.
 * - lustre_client_mounts: filesystems mounted on worker/client hosts.
 * - lustre_copytools: HSM copytools on worker hosts, with their life cycle.
 * - jobs.command_job_id: jobs run as one Lustre command with several jobs point at its first job.
 */
const base = (t, knex) => {
  t.uuid('id').primary();
  t.bigIncrements('seq', { primaryKey: false });
  t.unique(['seq']);
  t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
};

const STAMPED = ['device_paths', 'lustre_client_mounts', 'lustre_copytools'];

exports.up = async (knex) => {
  await knex.schema.createTable('device_paths', (t) => {
    base(t, knex);
    t.uuid('device_id').notNullable().references('devices.id').onDelete('CASCADE');
    t.uuid('host_id').notNullable().references('hosts.id').onDelete('CASCADE');
    t.text('path').notNullable();
    t.boolean('primary').notNullable().defaultTo(false);
    t.boolean('use').notNullable().defaultTo(true);
    t.unique(['device_id', 'host_id']);
    t.index(['host_id']);
  });
  // At most one primary node per device, whatever concurrent writers do.
  await knex.raw('CREATE UNIQUE INDEX device_paths_one_primary ON device_paths (device_id) WHERE "primary"');

  await knex.schema.alterTable('targets', (t) => {
    t.uuid('active_host_id').nullable().references('hosts.id').onDelete('SET NULL');
    t.jsonb('conf_params').notNullable().defaultTo('{}');
  });
  await knex.schema.alterTable('filesystems', (t) => {
    t.jsonb('conf_params').notNullable().defaultTo('{}');
  });
  // A Lustre command holding several jobs: the others point at the first (the command's own job).
  await knex.schema.alterTable('jobs', (t) => {
    t.uuid('command_job_id').nullable().references('jobs.id').onDelete('CASCADE');
    t.index(['command_job_id']);
  });

  await knex.schema.createTable('lustre_users', (t) => {
    base(t, knex);
    t.text('username').notNullable().unique();
    t.text('password_hash').notNullable();
    t.jsonb('groups').notNullable().defaultTo('[]');
    t.text('email').notNullable().defaultTo('');
    t.text('first_name').notNullable().defaultTo('');
    t.text('last_name').notNullable().defaultTo('');
  });

  await knex.schema.createTable('lustre_alert_subscriptions', (t) => {
    base(t, knex);
    t.uuid('user_id').notNullable().references('lustre_users.id').onDelete('CASCADE');
    t.text('alert_type').notNullable();
    t.unique(['user_id', 'alert_type']);
  });

  await knex.schema.createTable('lustre_registration_tokens', (t) => {
    base(t, knex);
    t.text('secret').notNullable().unique();
    t.text('profile').notNullable();
    t.integer('credits').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.boolean('cancelled').notNullable().defaultTo(false);
  });
  await knex.raw('ALTER TABLE lustre_registration_tokens ADD CONSTRAINT lustre_registration_tokens_credits_check CHECK (credits >= 0)');

  await knex.schema.createTable('lustre_client_mounts', (t) => {
    base(t, knex);
    t.uuid('host_id').notNullable().references('hosts.id').onDelete('CASCADE');
    t.uuid('filesystem_id').notNullable().references('filesystems.id').onDelete('CASCADE');
    t.text('mountpoint').notNullable();
    t.text('state').notNullable().defaultTo('unmounted');
    t.unique(['host_id', 'filesystem_id']);
    t.index(['filesystem_id']);
  });
  await knex.raw(`ALTER TABLE lustre_client_mounts ADD CONSTRAINT lustre_client_mounts_state_check CHECK (state IN ('unmounted','mounted','removed'))`);

  await knex.schema.createTable('lustre_copytools', (t) => {
    base(t, knex);
    t.uuid('host_id').notNullable().references('hosts.id').onDelete('CASCADE');
    t.uuid('filesystem_id').notNullable().references('filesystems.id').onDelete('CASCADE');
    t.text('bin_path').notNullable();
    t.integer('archive').notNullable();
    t.text('mountpoint').notNullable();
    t.text('hsm_arguments').notNullable().defaultTo('');
    t.integer('index').notNullable().defaultTo(0);
    t.text('uuid').notNullable();
    t.text('state').notNullable().defaultTo('unconfigured');
    t.unique(['host_id', 'filesystem_id', 'bin_path', 'archive', 'index']);
    t.index(['filesystem_id']);
  });
  await knex.raw(`ALTER TABLE lustre_copytools ADD CONSTRAINT lustre_copytools_state_check CHECK (state IN ('unconfigured','stopped','started','removed'))`);

  for (const table of STAMPED) {
    await knex.raw(`CREATE OR REPLACE TRIGGER ${table}_change_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION rosetta_bump_change_stamp()`);
  }
};

exports.down = async (knex) => {
  for (const table of STAMPED) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_change_stamp ON ${table}`);
  await knex.schema.dropTableIfExists('lustre_copytools');
  await knex.schema.dropTableIfExists('lustre_client_mounts');
  await knex.schema.dropTableIfExists('lustre_registration_tokens');
  await knex.schema.dropTableIfExists('lustre_alert_subscriptions');
  await knex.schema.dropTableIfExists('lustre_users');
  await knex.schema.alterTable('jobs', (t) => t.dropColumn('command_job_id'));
  await knex.schema.alterTable('filesystems', (t) => t.dropColumn('conf_params'));
  await knex.schema.alterTable('targets', (t) => {
    t.dropColumn('conf_params');
    t.dropColumn('active_host_id');
  });
  await knex.schema.dropTableIfExists('device_paths');
};
