/**
 * Performance samples as a time series (issue 6): one row per host, VM and datastore per sampling
 * instant, written by one worker per instant, read by Eco4Cloud's Performance arrays and the
 * control plane's power series.
 *
 * - sample_runs: one row per sampling instant. Its primary key is the claim: the worker whose
 *   INSERT ... ON CONFLICT DO NOTHING inserts the row writes that instant's samples in the same
 *   transaction; a concurrent claimant waits on the uncommitted row and then inserts nothing.
 *   Readers take the newest committed run, so they never see half an instant. Its change stamp
 *   (a statement trigger, as for the domain tables) lets gateways cache "the latest samples".
 * - performance_samples: no partitions. kind is 1 host, 2 vm, 3 datastore (a smallint, not text:
 *   this table holds a row per VM per instant). Percentages are float4 (two decimals survive
 *   the round trip), counts and watts are integers; columns are ordered to avoid padding.
 *   Primary key (kind, entity_id, at): idempotent writes and one entity's series or latest
 *   sample; (kind, at): one instant of a kind, time-range reads and the retention delete.
 * - VMs also keep their read and write IOPS: with cpu_pct they determine the load model's
 *   throughput and latency, so OmniStack-style I/O metrics can be read from the same samples.
 */
exports.up = async (knex) => {
  await knex.raw(`
    CREATE TABLE sample_runs (
      at timestamptz PRIMARY KEY,
      rows integer NOT NULL DEFAULT 0,
      taken_at timestamptz NOT NULL DEFAULT now()
    )`);
  await knex.raw(`
    CREATE TABLE performance_samples (
      at timestamptz NOT NULL,
      entity_id uuid NOT NULL,
      cpu_pct real NOT NULL DEFAULT 0,
      mem_pct real NOT NULL DEFAULT 0,
      bandwidth_pct real NOT NULL DEFAULT 0,
      power_watts integer,
      active_memory_mb integer,
      compressed_memory_mb integer,
      swapped_memory_mb integer,
      ballooned_memory_mb integer,
      io_rate integer,
      read_iops integer,
      write_iops integer,
      kind smallint NOT NULL CHECK (kind IN (1, 2, 3)),
      powered_on boolean,
      PRIMARY KEY (kind, entity_id, at)
    )`);
  await knex.raw('CREATE INDEX performance_samples_kind_at ON performance_samples (kind, at)');
  await knex.raw(
    'CREATE TRIGGER sample_runs_change_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sample_runs FOR EACH STATEMENT EXECUTE FUNCTION rosetta_bump_change_stamp()',
  );
};

exports.down = async (knex) => {
  await knex.raw('DROP TABLE IF EXISTS performance_samples');
  await knex.raw('DROP TABLE IF EXISTS sample_runs');
  await knex.raw("DELETE FROM change_stamps WHERE table_name = 'sample_runs'");
};
