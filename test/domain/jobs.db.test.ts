import { CoreError, FaultPolicy, NO_FAULTS } from '@rosetta/core';
import { TestRuntime, createTestRuntime } from '@rosetta/testing';

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`condition not met: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('jobs', () => {
  let rt: TestRuntime;
  afterEach(() => rt?.close());

  it('runs steps in order, records times on the clock, and applies the change', async () => {
    rt = await createTestRuntime({ fixture: 'demo' });
    const vm = (await rt.services.vms.list({ filter: { field: 'name', op: 'eq', value: 'batch-01' } }))[0];
    const job = await rt.services.jobs.start({ kind: 'vm.power_on', origin: 'test', input: { vmId: vm.id }, affected: [{ kind: 'vm', id: vm.id }] });
    expect(job.state).toBe('queued');
    expect(job.steps.map((s) => s.state)).toEqual(['pending']);
    await rt.jobsIdle();
    const done = await rt.services.jobs.get(job.id);
    expect(done.state).toBe('succeeded');
    expect(done.steps[0].state).toBe('succeeded');
    expect(done.finishedAt!.getTime()).toBeGreaterThanOrEqual(done.startedAt!.getTime());
    expect((await rt.services.vms.get(vm.id)).state).toBe('running');
  });

  it('step durations elapse on the virtual clock', async () => {
    rt = await createTestRuntime({ fixture: 'demo', stepScale: 1 });
    rt.clock.freeze();
    const host = (await rt.services.hosts.list({ filter: { field: 'name', op: 'eq', value: 'node-b3' } }))[0];
    const job = await rt.services.jobs.start({ kind: 'host.power_on', origin: 'test', input: { hostId: host.id } });
    // The job and its first step are marked running in two transactions: wait for the step.
    const running = await waitFor(() => rt.services.jobs.get(job.id), (j) => j.steps[0].state === 'running');
    expect(running.state).toBe('running');
    await new Promise((r) => setTimeout(r, 300));
    expect((await rt.services.jobs.get(job.id)).state).toBe('running');
    rt.clock.advance(2_000);
    await waitFor(() => rt.services.jobs.get(job.id), (j) => j.steps[1].state === 'running');
    rt.clock.advance(30_000);
    await rt.jobsIdle();
    const done = await rt.services.jobs.get(job.id);
    expect(done.state).toBe('succeeded');
    expect(done.finishedAt!.getTime() - done.startedAt!.getTime()).toBe(32_000);
    expect((await rt.services.hosts.get(host.id)).power).toBe('on');
  });

  it('a domain failure ends the job failed and rolls back the failing step', async () => {
    rt = await createTestRuntime({ fixture: 'demo' });
    const vm = (await rt.services.vms.list({ filter: { field: 'name', op: 'eq', value: 'analytics-01' } }))[0];
    // Cloning a 500 GiB VM twice into an 8 TiB datastore succeeds; the fixture's datastore ds-b1 has room for ~15 clones.
    const small = await rt.services.datastores.list({ filter: { field: 'name', op: 'eq', value: 'ds-b1' } });
    await rt.services.datastores.update(small[0].id, { capacityBytes: small[0].usedBytes + 1 });
    const job = await rt.services.jobs.start({ kind: 'vm.clone', origin: 'test', input: { vmId: vm.id, name: 'clone' } });
    await rt.jobsIdle();
    const failed = await rt.services.jobs.get(job.id);
    expect(failed.state).toBe('failed');
    expect(failed.errorCode).toBe('CAPACITY');
    expect(failed.steps[0]).toMatchObject({ state: 'failed' });
    expect(await rt.services.vms.count({ field: 'name', op: 'eq', value: 'clone' })).toBe(0);
  });

  it('faults at the step seam fail the step with the injected message', async () => {
    const faults: FaultPolicy = {
      ...NO_FAULTS,
      hasStepRules: async () => true,
      forStep: async ({ kind }) => (kind === 'vm.power_off' ? [{ type: 'fail_step', message: 'injected power fault' }] : []),
    };
    rt = await createTestRuntime({ fixture: 'demo', faults });
    const vm = (await rt.services.vms.list({ filter: { field: 'name', op: 'eq', value: 'web-01' } }))[0];
    const job = await rt.services.jobs.start({ kind: 'vm.power_off', origin: 'test', input: { vmId: vm.id } });
    await rt.jobsIdle();
    expect(await rt.services.jobs.get(job.id)).toMatchObject({ state: 'failed', errorMessage: 'injected power fault', errorCode: 'UNAVAILABLE' });
    expect((await rt.services.vms.get(vm.id)).state).toBe('running');
  });

  it('cancels queued and running jobs, and refuses to cancel ended ones', async () => {
    rt = await createTestRuntime({ fixture: 'demo', stepScale: 1 });
    rt.clock.freeze();
    const host = (await rt.services.hosts.list({ filter: { field: 'name', op: 'eq', value: 'node-a1' } }))[0];
    const job = await rt.services.jobs.start({ kind: 'host.enter_maintenance', origin: 'test', input: { hostId: host.id } });
    await waitFor(() => rt.services.jobs.get(job.id), (j) => j.state === 'running');
    await rt.services.jobs.cancel(job.id);
    rt.clock.advance(60_000);
    await rt.jobsIdle();
    expect((await rt.services.jobs.get(job.id)).state).toBe('cancelled');
    expect((await rt.services.hosts.get(host.id)).state).toBe('up');
    const err = await rt.services.jobs.cancel(job.id).catch((e: CoreError) => e);
    expect(err).toMatchObject({ code: 'INVALID_STATE' });
  });
});
