/**
 * The whole domain schema. Every table has a UUID primary key and an integer sequence
 * number (dialects render one or the other), plus creation and update times.
 * Invariants that must hold under concurrency live here as constraints: capacity within
 * bounds, unique names, and RESTRICT on parents that still hold children.
 */
const base = (t, knex) => {
  t.uuid('id').primary();
  // Chaining .unique() onto bigIncrements creates no index in knex: declare it on its own.
  t.bigIncrements('seq', { primaryKey: false });
  t.unique(['seq']);
  t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
};

exports.up = async (knex) => {
  await knex.schema.createTable('sites', (t) => {
    base(t, knex);
    t.text('name').notNullable().unique();
  });

  await knex.schema.createTable('policies', (t) => {
    base(t, knex);
    t.text('name').notNullable().unique();
    t.jsonb('rules').notNullable().defaultTo('[]');
  });

  await knex.schema.createTable('clusters', (t) => {
    base(t, knex);
    t.uuid('site_id').notNullable().references('sites.id').onDelete('RESTRICT');
    t.text('name').notNullable();
    t.boolean('file_enabled').notNullable().defaultTo(true);
    t.boolean('block_enabled').notNullable().defaultTo(true);
    t.jsonb('tags').notNullable().defaultTo('{}');
    t.unique(['site_id', 'name']);
  });

  await knex.schema.createTable('hosts', (t) => {
    base(t, knex);
    t.uuid('site_id').notNullable().references('sites.id').onDelete('RESTRICT');
    t.uuid('cluster_id').nullable().references('clusters.id').onDelete('RESTRICT');
    t.text('name').notNullable().unique();
    t.text('management_address');
    t.text('storage_address');
    t.integer('zone').notNullable().defaultTo(1);
    t.text('state').notNullable().defaultTo('up');
    t.text('power').notNullable().defaultTo('on');
    t.integer('cpu_cores').notNullable().defaultTo(16);
    t.integer('cpu_mhz').notNullable().defaultTo(2400);
    t.integer('memory_mb').notNullable().defaultTo(262144);
    t.text('model');
    t.text('serial');
    t.integer('power_idle_watts').notNullable().defaultTo(120);
    t.integer('power_max_watts').notNullable().defaultTo(450);
    t.text('ipmi_address');
    t.text('ipmi_username');
    t.text('ipmi_password');
    t.jsonb('tags').notNullable().defaultTo('{}');
    t.index(['cluster_id']);
    t.index(['site_id']);
  });
  await knex.raw(`ALTER TABLE hosts ADD CONSTRAINT hosts_state_check CHECK (state IN ('up','down','maintenance'))`);
  await knex.raw(`ALTER TABLE hosts ADD CONSTRAINT hosts_power_check CHECK (power IN ('on','off'))`);

  await knex.schema.createTable('host_aggregates', (t) => {
    base(t, knex);
    t.text('name').notNullable().unique();
    t.text('availability_zone');
    t.jsonb('metadata').notNullable().defaultTo('{}');
  });

  await knex.schema.createTable('host_aggregate_hosts', (t) => {
    t.uuid('aggregate_id').notNullable().references('host_aggregates.id').onDelete('CASCADE');
    t.uuid('host_id').notNullable().references('hosts.id').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['aggregate_id', 'host_id']);
    t.index(['host_id']);
  });

  await knex.schema.createTable('devices', (t) => {
    base(t, knex);
    t.uuid('host_id').notNullable().references('hosts.id').onDelete('RESTRICT');
    t.text('name').notNullable();
    t.text('kind').notNullable().defaultTo('disk');
    t.bigInteger('size_bytes').notNullable();
    t.bigInteger('used_bytes').notNullable().defaultTo(0);
    t.text('state').notNullable().defaultTo('online');
    t.text('serial');
    t.jsonb('tags').notNullable().defaultTo('{}');
    t.unique(['host_id', 'name']);
  });
  await knex.raw(`ALTER TABLE devices ADD CONSTRAINT devices_capacity_check CHECK (used_bytes >= 0 AND used_bytes <= size_bytes)`);
  await knex.raw(`ALTER TABLE devices ADD CONSTRAINT devices_state_check CHECK (state IN ('online','offline','failed'))`);

  await knex.schema.createTable('datastores', (t) => {
    base(t, knex);
    t.uuid('cluster_id').notNullable().references('clusters.id').onDelete('RESTRICT');
    t.uuid('policy_id').nullable().references('policies.id').onDelete('RESTRICT');
    t.text('name').notNullable();
    t.bigInteger('capacity_bytes').notNullable();
    t.bigInteger('used_bytes').notNullable().defaultTo(0);
    t.unique(['cluster_id', 'name']);
  });
  await knex.raw(`ALTER TABLE datastores ADD CONSTRAINT datastores_capacity_check CHECK (used_bytes >= 0 AND used_bytes <= capacity_bytes)`);

  await knex.schema.createTable('vms', (t) => {
    base(t, knex);
    t.uuid('host_id').nullable().references('hosts.id').onDelete('RESTRICT');
    t.uuid('datastore_id').nullable().references('datastores.id').onDelete('RESTRICT');
    t.uuid('policy_id').nullable().references('policies.id').onDelete('RESTRICT');
    t.text('name').notNullable();
    t.text('state').notNullable().defaultTo('running');
    t.integer('cpu_count').notNullable().defaultTo(2);
    t.integer('memory_mb').notNullable().defaultTo(4096);
    t.bigInteger('disk_bytes').notNullable().defaultTo(0);
    t.double('cpu_usage_pct').notNullable().defaultTo(0);
    t.double('memory_usage_pct').notNullable().defaultTo(0);
    t.index(['host_id']);
    t.index(['datastore_id']);
    t.index(['name']);
  });
  await knex.raw(`ALTER TABLE vms ADD CONSTRAINT vms_state_check CHECK (state IN ('running','stopped','suspended'))`);

  await knex.schema.createTable('backups', (t) => {
    base(t, knex);
    t.uuid('vm_id').nullable().references('vms.id').onDelete('SET NULL');
    t.uuid('datastore_id').nullable().references('datastores.id').onDelete('SET NULL');
    t.text('name').notNullable();
    t.text('state').notNullable().defaultTo('protected');
    t.bigInteger('size_bytes').notNullable().defaultTo(0);
    t.timestamp('expires_at', { useTz: true });
    t.index(['vm_id']);
  });

  await knex.schema.createTable('volumes', (t) => {
    base(t, knex);
    t.uuid('cluster_id').notNullable().references('clusters.id').onDelete('RESTRICT');
    t.uuid('hosting_volume_id').nullable().references('volumes.id').onDelete('RESTRICT');
    t.text('name').notNullable();
    t.text('kind').notNullable().defaultTo('file');
    t.bigInteger('size_bytes').notNullable();
    t.jsonb('durability').notNullable();
    t.boolean('block_hosting').notNullable().defaultTo(false);
    t.bigInteger('block_free_bytes').notNullable().defaultTo(0);
    t.double('snapshot_factor').notNullable().defaultTo(1);
    t.jsonb('tags').notNullable().defaultTo('{}');
    t.unique(['kind', 'name']);
  });
  await knex.raw(`ALTER TABLE volumes ADD CONSTRAINT volumes_block_free_check CHECK (block_free_bytes >= 0)`);

  await knex.schema.createTable('bricks', (t) => {
    base(t, knex);
    t.uuid('volume_id').notNullable().references('volumes.id').onDelete('RESTRICT');
    t.uuid('device_id').notNullable().references('devices.id').onDelete('RESTRICT');
    t.uuid('host_id').notNullable().references('hosts.id').onDelete('RESTRICT');
    t.text('path').notNullable();
    t.bigInteger('size_bytes').notNullable();
    t.index(['volume_id']);
    t.index(['device_id']);
  });

  await knex.schema.createTable('filesystems', (t) => {
    base(t, knex);
    t.text('name').notNullable().unique();
    t.text('state').notNullable().defaultTo('stopped');
    t.uuid('mgt_id').nullable();
  });

  await knex.schema.createTable('targets', (t) => {
    base(t, knex);
    t.uuid('filesystem_id').nullable().references('filesystems.id').onDelete('RESTRICT');
    t.text('kind').notNullable();
    t.integer('index').notNullable().defaultTo(0);
    t.text('name').notNullable();
    t.uuid('device_id').notNullable().references('devices.id').onDelete('RESTRICT').unique();
    t.uuid('host_id').notNullable().references('hosts.id').onDelete('RESTRICT');
    t.uuid('failover_host_id').nullable().references('hosts.id').onDelete('SET NULL');
    t.text('state').notNullable().defaultTo('unmounted');
    t.index(['filesystem_id']);
  });
  await knex.raw(`ALTER TABLE targets ADD CONSTRAINT targets_kind_check CHECK (kind IN ('MGT','MDT','OST'))`);

  await knex.schema.createTable('jobs', (t) => {
    base(t, knex);
    t.text('kind').notNullable();
    t.text('state').notNullable().defaultTo('queued');
    t.text('origin').notNullable();
    t.jsonb('input').notNullable().defaultTo('{}');
    t.jsonb('result').notNullable().defaultTo('{}');
    t.jsonb('affected').notNullable().defaultTo('[]');
    t.text('error_code');
    t.text('error_message');
    t.integer('attempts').notNullable().defaultTo(0);
    t.boolean('cancel_requested').notNullable().defaultTo(false);
    t.timestamp('started_at', { useTz: true });
    t.timestamp('finished_at', { useTz: true });
    t.index(['state']);
    t.index(['kind']);
  });
  await knex.raw(`ALTER TABLE jobs ADD CONSTRAINT jobs_state_check CHECK (state IN ('queued','running','succeeded','failed','cancelled'))`);

  await knex.schema.createTable('job_steps', (t) => {
    t.uuid('job_id').notNullable().references('jobs.id').onDelete('CASCADE');
    t.integer('index').notNullable();
    t.text('name').notNullable();
    t.text('state').notNullable().defaultTo('pending');
    t.double('seconds').notNullable().defaultTo(0);
    t.timestamp('started_at', { useTz: true });
    t.timestamp('finished_at', { useTz: true });
    t.text('error');
    t.primary(['job_id', 'index']);
  });

  await knex.schema.createTable('clock_state', (t) => {
    t.integer('id').primary();
    t.bigInteger('frozen_at_ms');
    t.bigInteger('offset_ms').notNullable().defaultTo(0);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE clock_state ADD CONSTRAINT clock_state_singleton CHECK (id = 1)`);
};

exports.down = async (knex) => {
  for (const table of [
    'clock_state',
    'job_steps',
    'jobs',
    'targets',
    'filesystems',
    'bricks',
    'volumes',
    'backups',
    'vms',
    'datastores',
    'devices',
    'host_aggregate_hosts',
    'host_aggregates',
    'hosts',
    'clusters',
    'policies',
    'sites',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
};
