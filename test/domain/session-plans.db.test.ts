import { RandomIds, createServices } from '@rosetta/core';
import { createDatabase, createKnexStore } from '@rosetta/store';
import { TestRuntime, createTestRuntime } from '@rosetta/testing';

/**
 * Sessions plan for the tables as they are (createDatabase sets plan_cache_mode). Otherwise a
 * session keeps the generic plan of a foreign-key check made while `jobs` was nearly empty, a
 * sequential scan, and every later job it records scans the whole table.
 */
describe('session plans', () => {
  let rt: TestRuntime;
  afterEach(() => rt?.close());

  it('the counter and stamp triggers keep reusing their one fixed plan', async () => {
    rt = await createTestRuntime();
    const { rows } = await rt.db.knex.raw(
      "SELECT proname, proconfig FROM pg_proc WHERE proname IN ('rosetta_bump_change_stamp', 'rosetta_count_rows') ORDER BY proname",
    );
    expect(rows).toEqual([
      { proname: 'rosetta_bump_change_stamp', proconfig: ['plan_cache_mode=auto'] },
      { proname: 'rosetta_count_rows', proconfig: ['plan_cache_mode=auto'] },
    ]);
  });

  it('a session that recorded jobs into an empty table does not scan the table once it has grown', async () => {
    rt = await createTestRuntime({ fixture: 'demo' });
    // One connection, so every statement below runs in the same session.
    const knex = createDatabase({ url: rt.db.url, poolMax: 1 });
    try {
      expect((await knex.raw('SHOW plan_cache_mode')).rows[0].plan_cache_mode).toBe('force_custom_plan');
      const store = createKnexStore({ knex, now: () => rt.clock.now() });
      const services = createServices({ store, clock: rt.clock, ids: new RandomIds(), queue: { enqueue: async () => undefined, close: async () => undefined }, stepScale: 0 });
      const vms = await services.vms.list({ limit: 10 });
      const record = (i: number) => services.jobs.start({ kind: 'vm.power_on', origin: 'test', input: { vmId: vms[i % vms.length].id } });
      const jobRowsScanned = async (): Promise<number> => {
        // This session's counters reach the statistics views when it flushes them.
        await knex.raw('SELECT pg_stat_force_next_flush()');
        await knex.raw('SELECT pg_stat_clear_snapshot()');
        return (await knex.raw("SELECT seq_tup_read::int AS n FROM pg_stat_user_tables WHERE relname = 'jobs'")).rows[0].n;
      };
      for (let i = 0; i < 1500; i++) await record(i);
      const before = await jobRowsScanned();
      for (let i = 0; i < 100; i++) await record(i);
      // With a plan cached at the start, each of these checks would read all 1,500+ rows.
      expect((await jobRowsScanned()) - before).toBe(0);
    } finally {
      await knex.destroy();
    }
  });
});
