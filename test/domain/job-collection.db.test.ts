import { RandomIds, createServices } from '@rosetta/core';
import { TestRuntime, createTestRuntime } from '@rosetta/testing';

/**
 * The one-statement job writes (jobs/job-statements in the store): a recorded job comes back with
 * exactly the steps stored, and a finished outcome is handed out once, whoever polls.
 */
describe('job recording and collection', () => {
  let rt: TestRuntime;
  afterEach(() => rt?.close());

  const hostOf = async (name: string) => (await rt.services.hosts.list({ filter: { field: 'name', op: 'eq', value: name } }))[0];
  /** Advances the frozen clock until the job has ended (each step sleeps on it in turn). */
  const runOut = async (id: string) => {
    for (let i = 0; i < 200 && !['succeeded', 'failed', 'cancelled'].includes((await rt.services.jobs.get(id)).state); i++) {
      rt.clock.advance(60_000);
      await new Promise((r) => setTimeout(r, 20));
    }
    await rt.jobsIdle();
  };

  it('a recorded job returns the steps the database holds, all pending', async () => {
    rt = await createTestRuntime({ fixture: 'demo', stepScale: 1 });
    rt.clock.freeze();
    const host = await hostOf('node-b3');
    const job = await rt.services.jobs.start({ kind: 'host.power_on', origin: 'test', input: { hostId: host.id } });
    const stored = await rt.services.jobs.get(job.id);
    expect(job.steps).toEqual(stored.steps.map((s) => ({ ...s, state: 'pending', startedAt: null, finishedAt: null })));
    expect(job.steps.map((s) => s.index)).toEqual([0, 1]);
    expect(job.steps.every((s) => s.state === 'pending' && s.error === null)).toBe(true);
    await runOut(job.id);
  });

  it('starting a job is one INSERT (job and steps), with no BEGIN/COMMIT round trips, and an operation without checks records that way too', async () => {
    rt = await createTestRuntime({ fixture: 'demo' });
    // Services whose queue holds nothing: no runner's statements mix with the ones counted here.
    const services = createServices({ store: rt.store, clock: rt.clock, ids: new RandomIds(), queue: { enqueue: async () => undefined, close: async () => undefined }, stepScale: 1 });
    const host = await hostOf('node-b3');
    const vm = (await services.vms.list({ limit: 1 }))[0];
    const statements: string[] = [];
    const listen = (q: { sql: string }) => statements.push(q.sql);
    rt.db.knex.on('query', listen);
    let job, backup;
    try {
      job = await services.jobs.start({ kind: 'host.power_on', origin: 'test', input: { hostId: host.id } });
      expect(statements).toHaveLength(1);
      expect(statements[0]).toMatch(/^with "steps" as \(insert into "job_steps"/);
      statements.length = 0;
      backup = await services.operations.backupVm('test', vm.id, { name: 'one-statement' });
      // The VM read that validates the request, then the job's one INSERT.
      expect(statements).toHaveLength(2);
      expect(statements[1]).toMatch(/insert into "jobs"/);
    } finally {
      rt.db.knex.removeListener('query', listen);
    }
    expect((await services.jobs.get(job.id)).steps).toHaveLength(2);
    expect((await services.jobs.get(backup.id)).kind).toBe('backup.create');
  });

  it('a running job is shown, not collected; an ended one is collected by exactly one of many pollers', async () => {
    rt = await createTestRuntime({ fixture: 'demo', stepScale: 1 });
    rt.clock.freeze();
    const host = await hostOf('node-b3');
    const job = await rt.services.jobs.start({ kind: 'host.power_on', origin: 'heketi', input: { hostId: host.id } });
    const pending = await rt.services.jobs.collect(job.id, 'heketi');
    expect(pending?.first).toBe(false);
    expect(['queued', 'running']).toContain(pending?.job.state);
    expect(pending?.job.collectedAt).toBeNull();

    await runOut(job.id);
    const polls = await Promise.all(Array.from({ length: 20 }, () => rt.services.jobs.collect(job.id, 'heketi')));
    expect(polls.filter((p) => p?.first)).toHaveLength(1);
    const winner = polls.find((p) => p?.first)!;
    expect(winner.job.state).toBe('succeeded');
    expect(winner.job.steps.map((s) => s.state)).toEqual(['succeeded', 'succeeded']);
    expect(winner.job.steps[0].startedAt).toBeInstanceOf(Date);

    const later = await rt.services.jobs.collect(job.id, 'heketi');
    expect(later).toMatchObject({ first: false, job: { state: 'succeeded' } });
    expect((await rt.services.jobs.get(job.id)).collectedAt).toEqual(winner.job.collectedAt);
  });

  it('an origin guard neither collects nor shows another origin’s job; no origin collects any', async () => {
    rt = await createTestRuntime({ fixture: 'demo' });
    const host = await hostOf('node-b3');
    const job = await rt.services.jobs.start({ kind: 'host.power_on', origin: 'omnistack', input: { hostId: host.id } });
    await rt.jobsIdle();
    expect(await rt.services.jobs.collect(job.id, 'heketi')).toBeUndefined();
    expect((await rt.services.jobs.get(job.id)).collectedAt).toBeNull();
    expect((await rt.services.jobs.collect(job.id))?.first).toBe(true);
    expect(await rt.services.jobs.collect('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(await rt.services.jobs.collect('not-a-uuid')).toBeUndefined();
  });
});
