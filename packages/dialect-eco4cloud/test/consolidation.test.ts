import request from 'supertest';
import { ConsolidationRound, startConsolidationScheduler } from '@rosetta/core';
import { Harness, harness } from './harness';

/**
 * The consolidation engine on small hand-checked topologies, driven the way the appliance is:
 * settings through the API, rounds on the domain clock, effects read back through the API.
 * Step durations are 0 and the clock is frozen, so every round is deterministic.
 */

const hostSpec = (name: string, vms: number, extra: object = {}) => ({
  name,
  cpuCores: 10,
  memoryGiB: 100,
  powerIdleWatts: 100,
  powerMaxWatts: 300,
  ...extra,
  vms: Array.from({ length: vms }, (_, i) => ({ name: `${name}_vm${i + 1}`, state: 'running', cpuCount: 2, memoryMiB: 4096 })),
});

const fixture = (hosts: object[]) => ({ seed: 'eco4cloud-consolidation', sites: [{ name: 'farm', clusters: [{ name: 'c1', hosts }] }] });

interface World {
  h: Harness;
  ticket: string;
  siteId: string;
}

async function world(hosts: object[], vmLoad: number, topology: object = fixture(hosts)): Promise<World> {
  const h = await harness(topology);
  // A fixed recorded load, so each VM's demand stays within a known band (load +- 15 +- 3 %).
  for (const vm of await h.rt.services.vms.list()) await h.rt.services.vms.update(vm.id, { cpuUsagePct: vmLoad, memoryUsagePct: 10 });
  const [site] = await h.rt.services.sites.list();
  return { h, ticket: await h.login(), siteId: site.id };
}

const setParams = (w: World, entity: string, name: string, params: Record<string, string>) =>
  request(w.h.app)
    .post(`/api/${entity}/set`)
    .set('ticket', w.ticket)
    .send({ setList: Object.entries(params).map(([n, value]) => ({ name: n, value })), whereList: [{ name: 'name', value: name }] })
    .expect(200, { result: 'ok', rows_affected: 1 });

interface HostRow {
  name: string;
  powered_on: string;
  Performance: { cpu: string; power: string }[];
}
interface VmRow {
  name: string;
  Host: string;
}

const hosts = async (w: World) => (await request(w.h.app).get('/api/Host/get').set('ticket', w.ticket)).body.Hosts as HostRow[];
const vms = async (w: World) => (await request(w.h.app).get('/api/Vm/get').set('ticket', w.ticket)).body.Vms as VmRow[];
const watts = (rows: HostRow[]) => rows.reduce((s, r) => s + Number(r.Performance[0].power), 0);
const on = (rows: HostRow[]) => rows.filter((r) => r.powered_on === 'true').map((r) => r.name);

async function round(w: World) {
  const r = await w.h.rt.services.consolidation.runRound(w.siteId);
  await w.h.rt.jobsIdle();
  return r;
}

describe('four lightly loaded hosts', () => {
  let w: World;
  beforeEach(async () => {
    // Hand-checked: 8 VMs of 2 cores at 10 % (at most 0.56 cores each) fit on one 10-core host
    // far below ta 80 %, so consolidation ends with one host on and three in standby.
    w = await world([hostSpec('h1', 2), hostSpec('h2', 2), hostSpec('h3', 2), hostSpec('h4', 2)], 10);
  });
  afterEach(() => w.h.rt.close());

  test('consolidate to one host: VMs move first, emptied hosts are switched off next round, power falls', async () => {
    await setParams(w, 'Farm', 'farm', { consolidation_on: 'true', power_off_min_uptime: '0' });
    const before = await hosts(w);
    expect(on(before)).toEqual(['h1', 'h2', 'h3', 'h4']);

    const first = await round(w);
    expect(first!.plan.moves).toHaveLength(6);
    expect(first!.plan.powerOff).toEqual([]);
    expect(first!.jobs.map((j) => j.kind)).toEqual(Array(6).fill('vm.move'));
    const target = first!.plan.moves[0].toHostId;
    expect(new Set(first!.plan.moves.map((m) => m.toHostId))).toEqual(new Set([target]));

    const second = await round(w);
    expect(second!.plan.moves).toEqual([]);
    expect(second!.jobs.map((j) => j.kind)).toEqual(['host.standby', 'host.standby', 'host.standby']);

    const third = await round(w);
    expect(third!.plan.moves).toEqual([]);
    expect(third!.jobs).toEqual([]);

    const after = await hosts(w);
    expect(on(after)).toHaveLength(1);
    expect(new Set((await vms(w)).map((v) => v.Host))).toEqual(new Set(on(after)));
    expect(watts(after)).toBeLessThan(watts(before));
    // 4 hosts at >= 100 W idle before; one host at < 300 W after.
    expect(watts(before)).toBeGreaterThanOrEqual(400);
    expect(watts(after)).toBeLessThan(300);

    // The engine's work is ordinary jobs with steps, visible to every dialect.
    const jobs = await w.h.rt.services.jobs.list();
    expect(jobs.filter((j) => j.origin === 'eco4cloud' && j.state === 'succeeded')).toHaveLength(9);
    const standby = jobs.find((j) => j.kind === 'host.standby')!;
    expect(standby.steps.map((s) => [s.name, s.state])).toEqual([
      ['check host is empty', 'succeeded'],
      ['enter standby', 'succeeded'],
    ]);
    const move = jobs.find((j) => j.kind === 'vm.move')!;
    expect(move.steps.map((s) => [s.name, s.state])).toEqual([['migrate', 'succeeded']]);
  });

  test('servers_always_on is respected', async () => {
    await setParams(w, 'Farm', 'farm', { consolidation_on: 'true', power_off_min_uptime: '0' });
    await setParams(w, 'Cluster', 'c1', { servers_always_on: '3' });
    await round(w);
    await round(w);
    expect(on(await hosts(w))).toHaveLength(3);
  });

  test('minimum uptime is respected, on the clock; host settings override the farm', async () => {
    await setParams(w, 'Farm', 'farm', { consolidation_on: 'true', power_off_min_uptime: '30' });
    expect((await round(w))!.plan.moves).toEqual([]);
    w.h.rt.clock.advance(20 * 60_000);
    expect((await round(w))!.plan.moves).toEqual([]);
    // h1 may leave after 15 minutes: it alone is emptied.
    await setParams(w, 'Host', 'h1', { power_off_min_uptime: '15' });
    const early = await round(w);
    expect(new Set(early!.plan.moves.map((m) => m.fromHostId)).size).toBe(1);
    w.h.rt.clock.advance(11 * 60_000);
    await round(w);
    await round(w);
    await round(w);
    expect(on(await hosts(w))).toHaveLength(1);
  });

  test('minutes: a host setting overrides its cluster, a cluster setting its farm (API and engine)', async () => {
    // Hand-checked: the farm says 60 minutes, cluster c1 says 20, hosts h2-h4 say 40 each. After
    // 25 minutes only h1 (cluster's 20) may be emptied; the farm's 60 and the hosts' 40 hold the rest.
    await setParams(w, 'Farm', 'farm', { consolidation_on: 'true', power_off_min_uptime: '60', power_on_min_downtime: '45' });
    await setParams(w, 'Cluster', 'c1', { power_off_min_uptime: '20' });
    for (const name of ['h2', 'h3', 'h4']) await setParams(w, 'Host', name, { power_off_min_uptime: '40' });

    const shown = async (entity: string, envelope: string, name: string) =>
      (await request(w.h.app).get(`/api/${entity}/get?name=${name}`).set('ticket', w.ticket)).body[envelope][0];
    expect(await shown('Farm', 'Farms', 'farm')).toMatchObject({ power_off_min_uptime: '60', power_on_min_downtime: '45' });
    expect(await shown('Cluster', 'Clusters', 'c1')).toMatchObject({ power_off_min_uptime: '20', power_on_min_downtime: '45' });
    expect(await shown('Host', 'Hosts', 'h1')).toMatchObject({ power_off_min_uptime: '20', power_on_min_downtime: '45' });
    expect(await shown('Host', 'Hosts', 'h2')).toMatchObject({ power_off_min_uptime: '40', power_on_min_downtime: '45' });

    const ids = new Map((await w.h.rt.services.hosts.list()).map((x) => [x.id, x.name]));
    w.h.rt.clock.advance(19 * 60_000);
    expect((await round(w))!.plan.moves).toEqual([]);
    w.h.rt.clock.advance(6 * 60_000);
    const moves = (await round(w))!.plan.moves;
    expect(moves.map((m) => ids.get(m.fromHostId))).toEqual(['h1', 'h1']);
    w.h.rt.clock.advance(16 * 60_000);
    for (let i = 0; i < 4; i++) await round(w);
    expect(on(await hosts(w))).toHaveLength(1);
  });

  test('a VM with migration disabled never moves, and pins its host', async () => {
    await setParams(w, 'Farm', 'farm', { consolidation_on: 'true', power_off_min_uptime: '0' });
    await setParams(w, 'Vm', 'h2_vm1', { migration_enabled: 'false' });
    for (let i = 0; i < 4; i++) {
      await round(w);
      w.h.rt.clock.advance(5 * 60_000);
    }
    const vm = (await vms(w)).find((v) => v.name === 'h2_vm1')!;
    expect(vm.Host).toBe('h2');
    expect(on(await hosts(w))).toContain('h2');
    const moved = (await w.h.rt.services.jobs.list()).filter((j) => j.kind === 'vm.move').map((j) => j.input.vmId);
    const pinned = (await w.h.rt.services.vms.list()).find((v) => v.name === 'h2_vm1')!;
    expect(moved).not.toContain(pinned.id);
  });

  test('nothing happens while consolidation is off for the farm or the cluster, or standby is disabled', async () => {
    expect(await round(w)).toBeUndefined();
    await setParams(w, 'Farm', 'farm', { consolidation_on: 'true', power_off_min_uptime: '0' });
    await setParams(w, 'Cluster', 'c1', { consolidation_enabled: 'false' });
    expect((await round(w))!.jobs).toEqual([]);
    await setParams(w, 'Cluster', 'c1', { consolidation_enabled: 'true' });
    for (const name of ['h1', 'h2', 'h3', 'h4']) await setParams(w, 'Host', name, { standby_enabled: 'false' });
    expect((await round(w))!.jobs).toEqual([]);
  });

  test('tick runs a round per due farm, once per interval of clock time', async () => {
    await setParams(w, 'Farm', 'farm', { consolidation_on: 'true', power_off_min_uptime: '0' });
    const c = w.h.rt.services.consolidation;
    expect(await c.tick(5 * 60_000)).toHaveLength(1);
    await w.h.rt.jobsIdle();
    expect(await c.tick(5 * 60_000)).toHaveLength(0);
    w.h.rt.clock.advance(5 * 60_000);
    const [next] = await c.tick(5 * 60_000);
    expect(next.jobs.map((j) => j.kind)).toEqual(['host.standby', 'host.standby', 'host.standby']);
  });

  test('the scheduler runs rounds as the clock advances, and none while it stands still', async () => {
    await setParams(w, 'Farm', 'farm', { consolidation_on: 'true', power_off_min_uptime: '0' });
    const rounds: ConsolidationRound[] = [];
    const errors: unknown[] = [];
    const scheduler = startConsolidationScheduler({
      consolidation: w.h.rt.services.consolidation,
      clock: w.h.rt.clock,
      intervalMs: 5 * 60_000,
      pollMs: 60_000,
      onRound: (r) => rounds.push(r),
      onError: (e) => errors.push(e),
    });
    const until = async (ok: () => boolean) => {
      for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
    };
    try {
      await until(() => rounds.length === 1);
      expect(rounds).toHaveLength(1);
      await w.h.rt.jobsIdle();
      await new Promise((r) => setTimeout(r, 250));
      expect(rounds).toHaveLength(1);
      w.h.rt.clock.advance(5 * 60_000);
      await until(() => rounds.length === 2);
      expect(rounds[1].jobs.map((j) => j.kind)).toEqual(['host.standby', 'host.standby', 'host.standby']);
      expect(errors).toEqual([]);
    } finally {
      scheduler.stop();
      w.h.rt.clock.advance(60_000);
      await w.h.rt.jobsIdle();
    }
  });

  test('an unknown farm is NOT_FOUND and leaves no settings behind', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    await expect(w.h.rt.services.consolidation.runRound(missing)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const rows = await w.h.rt.store.repos.consolidation.list({ filter: { field: 'subjectId', op: 'eq', value: missing } });
    expect(rows).toEqual([]);
  });

  test('a farm with its jobs still running is not planned again', async () => {
    await setParams(w, 'Farm', 'farm', { consolidation_on: 'true', power_off_min_uptime: '0' });
    const first = await w.h.rt.services.consolidation.runRound(w.siteId);
    const again = await w.h.rt.services.consolidation.runRound(w.siteId);
    expect(first!.jobs.length).toBeGreaterThan(0);
    expect(again).toBeUndefined();
    await w.h.rt.jobsIdle();
  });
});

describe('two clusters of one host each', () => {
  let w: World;
  beforeEach(async () => {
    // Hand-checked: c1's h1 and c2's h2 each run two light VMs; all four fit on either host
    // within ta. c1 may go dark (servers_always_on 0), c2 keeps its one host (1).
    w = await world([], 10, {
      seed: 'eco4cloud-two-clusters',
      sites: [{ name: 'farm', clusters: [{ name: 'c1', hosts: [hostSpec('h1', 2)] }, { name: 'c2', hosts: [hostSpec('h2', 2)] }] }],
    });
    await setParams(w, 'Farm', 'farm', { consolidation_on: 'true', power_off_min_uptime: '0' });
    await setParams(w, 'Cluster', 'c1', { servers_always_on: '0' });
  });
  afterEach(() => w.h.rt.close());

  test('VMs leave their cluster only with cluster_migration_enabled, set through Vm/set', async () => {
    expect((await round(w))!.jobs).toEqual([]);
    expect(on(await hosts(w))).toEqual(['h1', 'h2']);

    await setParams(w, 'Vm', 'h1_vm1', { cluster_migration_enabled: 'true' });
    // One VM may leave, the other may not: all or nothing, so h1 keeps both.
    expect((await round(w))!.jobs).toEqual([]);

    await setParams(w, 'Vm', 'h1_vm2', { cluster_migration_enabled: 'true' });
    expect((await round(w))!.jobs.map((j) => j.kind)).toEqual(['vm.move', 'vm.move']);
    expect((await round(w))!.jobs.map((j) => j.kind)).toEqual(['host.standby']);
    const rows = (await request(w.h.app).get('/api/Vm/get?name=h1_vm1').set('ticket', w.ticket)).body.Vms;
    expect(rows).toMatchObject([{ Host: 'h2', Cluster: 'c2' }]);
    expect(on(await hosts(w))).toEqual(['h2']);
  });
});

describe('an overloaded host', () => {
  let w: World;
  beforeEach(async () => {
    // Hand-checked: 4 VMs of 4 cores at 80 % (2.5 to 3.9 cores each) put h1 at 100-156 %, above
    // th 90; h2 is in standby, so the engine wakes it, then moves VMs to it until h1 is at ta.
    const busy = { ...hostSpec('h1', 0), vms: Array.from({ length: 4 }, (_, i) => ({ name: `big${i + 1}`, state: 'running', cpuCount: 4, memoryMiB: 8192 })) };
    w = await world([busy, hostSpec('h2', 0, { power: 'off', state: 'down' })], 80);
  });
  afterEach(() => w.h.rt.close());

  test('wakes a standby host, then relieves the overloaded one', async () => {
    await setParams(w, 'Farm', 'farm', { consolidation_on: 'true', power_on_min_downtime: '0' });
    const first = await round(w);
    expect(first!.plan.moves).toEqual([]);
    expect(first!.jobs.map((j) => j.kind)).toEqual(['host.power_on']);
    const wake = await w.h.rt.services.jobs.get(first!.jobs[0].id);
    expect(wake).toMatchObject({ origin: 'eco4cloud', state: 'succeeded' });
    expect(wake.steps.map((s) => [s.name, s.state])).toEqual([
      ['send IPMI power on', 'succeeded'],
      ['wait for host to boot', 'succeeded'],
    ]);
    expect(on(await hosts(w))).toEqual(['h1', 'h2']);

    const second = await round(w);
    expect(second!.plan.moves.length).toBeGreaterThan(0);
    expect(second!.plan.moves.every((m) => m.reason === 'relieve')).toBe(true);
    const after = await hosts(w);
    for (const host of after) expect(Number(host.Performance[0].cpu)).toBeLessThanOrEqual(90);
  });

  test('power_on_min_downtime holds a freshly stopped host back', async () => {
    await setParams(w, 'Farm', 'farm', { consolidation_on: 'true', power_on_min_downtime: '10' });
    expect((await round(w))!.jobs).toEqual([]);
    w.h.rt.clock.advance(10 * 60_000);
    expect((await round(w))!.jobs.map((j) => j.kind)).toEqual(['host.power_on']);
  });
});
