import request from 'supertest';
import { createServices, RandomIds, Repositories, sampleInstant, sampleSeries } from '@rosetta/core';
import { EXAMPLE_FIXTURE, Harness, harness } from './harness';

/**
 * Performance comes from the stored time series: the worker's sampler writes every host, VM and
 * datastore once per instant, Host/get and Vm/get show the latest stored sample, and an object
 * without one is computed for the current minute.
 */
let h: Harness;
let ticket: string;
const INTERVAL = 300_000;

beforeAll(async () => {
  h = await harness(EXAMPLE_FIXTURE);
  ticket = await h.login();
});
afterAll(() => h.rt.close());

const get = (path: string) => request(h.app).get(path).set('ticket', ticket);
const dateOf = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');
const hostRow = async (name: string) => (await get(`/api/Host/get?name=${name}`)).body.Hosts[0];
const vmRow = async (name: string) => (await get(`/api/Vm/get?name=${name}`)).body.Vms[0];
const toNextInstant = () => h.rt.clock.advance(sampleInstant(h.rt.clock.now(), INTERVAL).getTime() + INTERVAL - h.rt.clock.now().getTime());
const site = async (name: string) => (await h.rt.services.sites.list()).find((s) => s.name === name)!;

test('without a stored sample, Performance is computed for the current minute', async () => {
  const minute = new Date(Math.floor(h.rt.clock.now().getTime() / 60_000) * 60_000);
  expect((await hostRow('test_host_1')).Performance[0].performance_date).toBe(dateOf(minute));
});

test('one sample per instant: every host, VM and datastore, written by one caller only', async () => {
  toNextInstant();
  const at = h.rt.clock.now();
  // Three services on one database, as three workers would be: exactly one writes the instant.
  const others = [0, 1].map(() => createServices({ store: h.rt.store, clock: h.rt.clock, ids: new RandomIds(), queue: { enqueue: async () => undefined, close: async () => undefined }, stepScale: 0 }));
  const runs = await Promise.all([h.rt.services.samples.sampleNow(), ...others.map((s) => s.samples.sampleNow())]);
  const written = runs.filter((r) => r !== undefined);
  expect(written).toHaveLength(1);
  // 3 hosts + 1 VM + 2 datastores.
  expect(written[0]).toEqual({ at, rows: 6, pruned: 0 });
  expect(await h.rt.services.samples.sampleNow()).toBeUndefined();
  const stored = await h.rt.store.repos.samples.hosts(at);
  expect([...stored.values()].map((s) => s.poweredOn).sort()).toEqual([false, true, true]);
});

test('Host/get and Vm/get show the latest stored sample, not the current minute', async () => {
  const at = (await h.rt.store.repos.samples.latestRun(h.rt.clock.now()))!;
  const hostId = (await h.rt.services.hosts.list()).find((x) => x.name === 'test_host_1')!.id;
  const stored = (await h.rt.store.repos.samples.hosts(at, [hostId])).get(hostId)!;
  expect(stored.powerWatts).toBeGreaterThan(100);
  h.rt.clock.advance(120_000);
  const row = await hostRow('test_host_1');
  expect(row.Performance[0]).toEqual({
    performance_date: dateOf(at),
    cpu: stored.cpuPct.toFixed(2),
    mem: stored.memoryPct.toFixed(2),
    bandwidth_usage: stored.bandwidthPct.toFixed(2),
    power: stored.powerWatts.toFixed(2),
  });
  const vm = await vmRow('test_vm_1');
  expect(vm.Performance[0].performance_date).toBe(dateOf(at));
  expect(Number(vm.Performance[0].cpu)).toBeGreaterThan(0);
});

test("a stored VM sample holds the figures other dialects' metrics series give for that instant", async () => {
  // OmniStack's /metrics renders sampleSeries over the VM's load basis: at a sampling instant its
  // point and the stored sample agree, so either reader shows the same numbers.
  const at = (await h.rt.store.repos.samples.latestRun(h.rt.clock.now()))!;
  const [vm] = await h.rt.services.vms.list({ filter: { field: 'name', op: 'eq', value: 'test_vm_1' } });
  const stored = (await h.rt.store.repos.samples.vms(at, [vm.id])).get(vm.id)!;
  const [point] = sampleSeries({ id: vm.id, cpuUsagePct: vm.cpuUsagePct, memoryUsagePct: vm.memoryUsagePct, running: true }, at, at, 60_000);
  expect(point.at).toEqual(at);
  expect(stored.readIops).toBeGreaterThan(0);
  expect({ cpu: stored.cpuPct, mem: stored.memoryPct, reads: stored.readIops, writes: stored.writeIops }).toEqual({
    cpu: point.cpuPct,
    mem: point.memoryPct,
    reads: point.readIops,
    writes: point.writeIops,
  });
});

test('a change shows in Performance at the next sample, not before', async () => {
  const host = (await h.rt.services.hosts.list()).find((x) => x.name === 'test_host_1')!;
  await h.rt.store.repos.hosts.update(host.id, { power: 'off' });
  const stale = await hostRow('test_host_1');
  expect(stale.powered_on).toBe('false');
  expect(Number(stale.Performance[0].power)).toBeGreaterThan(100);

  toNextInstant();
  await h.rt.services.samples.sampleNow();
  const fresh = await hostRow('test_host_1');
  expect(fresh.Performance[0]).toMatchObject({ performance_date: dateOf(h.rt.clock.now()), cpu: '0.00', power: '0.00' });
  expect((await vmRow('test_vm_1')).Performance[0]).toMatchObject({ cpu: '0.00', active_memory: '0.00' });
  await h.rt.store.repos.hosts.update(host.id, { power: 'on' });
});

test("a site's power series sums its hosts per instant, ascending", async () => {
  toNextInstant();
  await h.rt.services.samples.sampleNow();
  const farm = await site('test_farm');
  const points = await h.rt.services.samples.powerSeries(farm.id, new Date(0), h.rt.clock.now());
  expect(points).toHaveLength(3);
  expect(points.map((p) => p.at.getTime())).toEqual([...points.map((p) => p.at.getTime())].sort((a, b) => a - b));
  // Instant 1: host_1 on, host_4 off. Instant 2: both off (0 W). Instant 3: host_1 back on.
  expect(points.map((p) => [p.hostsOn, p.hostsOff])).toEqual([
    [1, 1],
    [0, 2],
    [1, 1],
  ]);
  expect(points[1].watts).toBe(0);
  const hostIds = (await h.rt.services.hosts.list()).filter((x) => x.siteId === farm.id).map((x) => x.id);
  const last = await h.rt.store.repos.samples.hosts(points[2].at, hostIds);
  expect(points[2].watts).toBe([...last.values()].reduce((s, x) => s + x.powerWatts, 0));
  // The other farm's host is not counted; a window before any sample is empty.
  expect((await h.rt.services.samples.powerSeries((await site('other_farm')).id, new Date(0), h.rt.clock.now())).map((p) => p.hostsOn)).toEqual([1, 1, 1]);
  expect(await h.rt.services.samples.powerSeries(farm.id, new Date(0), new Date(1000))).toEqual([]);
});

test('power series input errors are core errors', async () => {
  const farm = await site('test_farm');
  await expect(h.rt.services.samples.powerSeries(farm.id, new Date(2000), new Date(1000))).rejects.toMatchObject({ code: 'VALIDATION' });
  await expect(h.rt.services.samples.powerSeries('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'NOT_FOUND' });
});

test('retention drops samples older than the window; a clock set back drops the future', async () => {
  const short = createServices({
    store: h.rt.store,
    clock: h.rt.clock,
    ids: new RandomIds(),
    queue: { enqueue: async () => undefined, close: async () => undefined },
    stepScale: 0,
    sampling: { intervalMs: INTERVAL, retentionMs: 10 * 60_000 },
  });
  const runs = async () => (await h.rt.db.knex('sample_runs').orderBy('at').pluck('at')).map((d: Date) => d.getTime());
  expect((await runs()).length).toBe(3);
  toNextInstant();
  const latest = (await short.samples.sampleNow())!;
  // Ten minutes keep this instant and the two before it (at -5 and -10 minutes exactly are kept).
  expect(latest.pruned).toBe(6);
  expect(await runs()).toEqual([latest.at.getTime() - 2 * INTERVAL, latest.at.getTime() - INTERVAL, latest.at.getTime()]);
  expect(Number((await h.rt.db.knex('performance_samples').count({ n: '*' }).first())?.n)).toBe(18);

  // Set the clock back to the first (pruned) instant: the three later instants never happened.
  const first = latest.at.getTime() - 3 * INTERVAL;
  h.rt.clock.setState({ frozenAtMs: first + 1000, offsetMs: 0 });
  const redo = (await short.samples.sampleNow())!;
  expect(redo.at.getTime()).toBe(first);
  expect(redo.pruned).toBe(18);
  expect(await runs()).toEqual([first]);
  // Host/get reads the run of the (new) present, not a later one.
  expect((await hostRow('test_host_1')).Performance[0].performance_date).toBe(dateOf(new Date(first)));
});

test('a page kept as encoded shows the next sample once it is taken', async () => {
  const page = async () => (await get('/api/Vm/get?page=1')).body.Vms[0].Performance[0].performance_date;
  const first = await page();
  expect(await page()).toBe(first);
  h.rt.clock.advance(INTERVAL);
  await h.rt.services.samples.sampleNow();
  expect(await page()).toBe(dateOf(sampleInstant(h.rt.clock.now(), INTERVAL)));
  expect(await page()).not.toBe(first);
});

test('a snapshot restore during a sample waits for it instead of deadlocking', async () => {
  await h.rt.store.control!.saveSnapshot('samples-restore', { replace: true });
  // The first domain read of the sampler holds its table until commit: pause right after it and
  // restore meanwhile (the restore locks vms before datastores before hosts).
  let paused = false;
  let restored: Promise<unknown> | undefined;
  const pauseOnce = <A extends unknown[], R>(read: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    const out = await read(...args);
    if (!paused) {
      paused = true;
      restored = h.rt.store.control!.restoreSnapshot('samples-restore');
      await new Promise((r) => setTimeout(r, 300));
    }
    return out;
  };
  const store = {
    ...h.rt.store,
    transaction: <T>(fn: (tx: Repositories) => Promise<T>) =>
      h.rt.store.transaction((tx) =>
        fn({
          ...tx,
          samples: { ...tx.samples, vmLoads: pauseOnce(tx.samples.vmLoads) },
          datastores: { ...tx.datastores, list: pauseOnce(tx.datastores.list) },
          hosts: { ...tx.hosts, list: pauseOnce(tx.hosts.list) },
        }),
      ),
  };
  const sampler = createServices({ store, clock: h.rt.clock, ids: new RandomIds(), queue: { enqueue: async () => undefined, close: async () => undefined }, stepScale: 0 });
  toNextInstant();
  const run = await sampler.samples.sampleNow();
  await restored;
  expect(run).toMatchObject({ rows: 6 });
  expect(await h.rt.store.repos.hosts.count()).toBe(3);
});

test('a reset while a sampler holds its instant waits for it instead of deadlocking', async () => {
  // Last: it empties the domain. The sampler claims first, then reads the domain tables; reset
  // truncates the sample tables first, so it queues behind the claim and takes nothing the
  // sampler still needs (in the opposite order PostgreSQL would abort one of them as a deadlock).
  let attempts = 0;
  let truncated: Promise<void> | undefined;
  await h.rt.store.transaction(async (tx) => {
    attempts++;
    expect(await tx.samples.claim(new Date(Date.UTC(2030, 0, 1)))).toBe(true);
    truncated ??= h.rt.store.truncate();
    await new Promise((r) => setTimeout(r, 300));
    expect((await tx.hosts.list()).length).toBe(3);
  });
  await truncated;
  expect(attempts).toBe(1);
  expect(await h.rt.store.repos.hosts.count()).toBe(0);
  expect(await h.rt.store.repos.samples.latestRun(new Date(Date.UTC(2031, 0, 1)))).toBeUndefined();
});
