import request from 'supertest';
import pino from 'pino';
import { TestDatabase, eventually, startTestGateway, vendorLogin } from '@rosetta/testing';
import { NO_FAULTS } from '@rosetta/core';
import { createControlRouter } from '@rosetta/control';
import { createHttpMetrics, createRequestJournal } from '@rosetta/http';
import { Gateway } from './gateway';


describe('control plane: snapshots, job control, journal, OpenAPI', () => {
  let db: TestDatabase;
  let gateway: Gateway;
  const api = () => request(gateway.url);

  beforeAll(async () => {
    ({ db, gateway } = await startTestGateway({ ROSETTA_HEKETI_AUTH: 'false', ROSETTA_JOURNAL_SIZE: '50', ROSETTA_BODY_LIMIT: '8192' }));
  });
  afterAll(async () => {
    await gateway.close();
    await db.drop();
  });
  afterEach(async () => {
    await api().post('/_rosetta/jobs/resume').expect(200);
  });

  it('saves, lists, restores, exports, imports and deletes snapshots; seq ids continue after a restore', async () => {
    const { services } = gateway.runtime;
    const saved = (await api().post('/_rosetta/snapshots').send({ name: 'base' }).expect(201)).body;
    expect(saved.rowCounts).toMatchObject({ hosts: 9, vms: 6 });
    await api().post('/_rosetta/snapshots').send({ name: 'base' }).expect(409);
    await api().post('/_rosetta/snapshots').send({ name: '../etc' }).expect(400);
    await api().post('/_rosetta/snapshots').send({}).expect(400);

    const vm = (await services.vms.list({ limit: 1 }))[0];
    const job = await services.jobs.start({ kind: 'vm.power_off', origin: 'test', input: { vmId: vm.id } });
    await eventually(async () => (await services.jobs.get(job.id)).state === 'succeeded');
    expect((await services.vms.get(vm.id)).state).not.toBe(vm.state);
    const site = await services.sites.create({ name: 'after-snapshot' });
    expect(await services.sites.count()).toBeGreaterThan(saved.rowCounts.sites);

    const stampBefore = await gateway.runtime.store.changeStamp(['hosts', 'vms']);
    const restored = (await api().post('/_rosetta/snapshots/base/restore').expect(200)).body;
    // Derived caches keyed by change stamps see the swap; row counters match the rows.
    expect(await gateway.runtime.store.changeStamp(['hosts', 'vms'])).not.toBe(stampBefore);
    const { knex } = gateway.runtime.db;
    for (const table of ['sites', 'hosts', 'vms', 'jobs']) {
      const counted = await knex('row_counts').where({ table_name: table }).sum({ n: 'n' }).first();
      const actual = await knex(table).count({ n: '*' }).first();
      expect(Number(counted?.n ?? 0)).toBe(Number(actual?.n));
    }
    expect(restored.restored.name).toBe('base');
    expect(await services.sites.count()).toBe(saved.rowCounts.sites);
    expect(await services.vms.count()).toBe(6);
    await api().get(`/_rosetta/jobs/${job.id}`).expect(404);
    expect((await services.vms.get(vm.id)).state).toBe(vm.state);
    // Sequences resume past the restored rows, so new rows sort after old ones.
    const fresh = await services.sites.create({ name: 'after-restore' });
    const all = await services.sites.list({ order: [{ field: 'seq', direction: 'asc' }] });
    expect(all[all.length - 1].id).toBe(fresh.id);
    expect(all.find((s) => s.id === site.id)).toBeUndefined();

    const doc = (await api().get('/_rosetta/snapshots/base/export').expect(200).expect('Content-Disposition', /base\.rosetta-snapshot\.json/)).body;
    expect(doc).toMatchObject({ format: 'rosetta-snapshot', name: 'base' });
    expect(doc.tables.vms).toHaveLength(6);
    // Larger than the dialects' body limit (8 KiB here): the import route has its own.
    expect(JSON.stringify(doc).length).toBeGreaterThan(8192);
    await api().post('/_rosetta/snapshots/import').send(doc).expect(409);
    const imported = (await api().post('/_rosetta/snapshots/import?name=copy').send(doc).expect(201)).body;
    expect(imported.rowCounts).toEqual(saved.rowCounts);
    await api().post('/_rosetta/snapshots/import').send({ format: 'nope' }).expect(400);
    const malformed = await api().post('/_rosetta/snapshots/import').set('Content-Type', 'application/json').send('{"format": ').expect(400);
    expect(malformed.body.error).toMatchObject({ code: 'VALIDATION', details: { reason: 'malformed_json' } });
    await api().post('/_rosetta/snapshots/import?name=other').send({ ...doc, schema: 'old' }).expect(400);

    const names = (await api().get('/_rosetta/snapshots').expect(200)).body.snapshots.map((s: { name: string }) => s.name);
    expect(names).toEqual(['base', 'copy']);
    await api().post('/_rosetta/snapshots/copy/restore').expect(200);
    expect(await services.sites.count()).toBe(saved.rowCounts.sites);
    await api().delete('/_rosetta/snapshots/copy').expect(204);
    await api().delete('/_rosetta/snapshots/copy').expect(404);
    await api().post('/_rosetta/snapshots/copy/restore').expect(404);
    await api().get('/_rosetta/snapshots/copy/export').expect(404);
  });

  it('restores under concurrent reads: every read sees the state before or after, never a mix', async () => {
    const { services } = gateway.runtime;
    await api().post('/_rosetta/snapshots').send({ name: 'concurrent', replace: true }).expect(201);
    const cluster = (await services.clusters.list({ limit: 1 }))[0];
    for (let i = 0; i < 5; i++) await services.clusters.create({ name: `extra-${i}`, siteId: cluster.siteId });
    const read = async () => (await api().get('/heketi/clusters').expect(200)).body.clusters as string[];
    const after = [...(await read())].sort();
    let stop = false;
    const seen: string[][] = [];
    const readers = Array.from({ length: 4 }, async () => {
      while (!stop) seen.push([...(await read())].sort());
    });
    await new Promise((r) => setTimeout(r, 100));
    await api().post('/_rosetta/snapshots/concurrent/restore').expect(200);
    const before = [...(await read())].sort();
    await new Promise((r) => setTimeout(r, 100));
    stop = true;
    await Promise.all(readers);
    expect(before.length).toBe(after.length - 5);
    const keys = new Set(seen.map((s) => s.join(',')));
    expect([...keys].every((k) => k === before.join(',') || k === after.join(','))).toBe(true);
    expect(keys.has(before.join(','))).toBe(true);
  });

  it('manual mode runs one step per permit; fail ends a held job; pause holds every job', async () => {
    const { services } = gateway.runtime;
    expect((await api().post('/_rosetta/jobs/manual').expect(200)).body).toEqual({ mode: 'manual' });
    const vm = (await services.vms.list({ filter: { field: 'name', op: 'eq', value: 'web-02' } }))[0];
    const job = await services.jobs.start({ kind: 'vm.power_off', origin: 'test', input: { vmId: vm.id } });
    await new Promise((r) => setTimeout(r, 300));
    let current = (await api().get(`/_rosetta/jobs/${job.id}`).expect(200)).body;
    expect(current.steps.every((s: { state: string }) => s.state === 'pending')).toBe(true);
    for (let i = 0; i < current.steps.length; i++) {
      await api().post(`/_rosetta/jobs/${job.id}/step`).send({}).expect(202);
      await eventually(async () => (await services.jobs.get(job.id)).steps[i].state === 'succeeded');
      current = await services.jobs.get(job.id);
      expect(current.steps.filter((s: { state: string }) => s.state === 'succeeded')).toHaveLength(i + 1);
    }
    await eventually(async () => (await services.jobs.get(job.id)).state === 'succeeded');
    await api().post(`/_rosetta/jobs/${job.id}/step`).expect(409);

    const held = await services.jobs.start({ kind: 'vm.power_on', origin: 'test', input: { vmId: vm.id } });
    await new Promise((r) => setTimeout(r, 200));
    const failed = (await api().post(`/_rosetta/jobs/${held.id}/fail`).send({ message: 'host exploded' }).expect(200)).body;
    expect(failed).toMatchObject({ state: 'failed', errorMessage: 'host exploded' });
    expect(failed.steps[0]).toMatchObject({ state: 'failed', error: 'host exploded' });
    await new Promise((r) => setTimeout(r, 200));
    expect((await services.jobs.get(held.id)).state).toBe('failed');
    await api().post(`/_rosetta/jobs/${held.id}/fail`).send({ message: 'again' }).expect(409);
    await api().post(`/_rosetta/jobs/${held.id}/step`).send({ steps: 0 }).expect(400);

    await api().post('/_rosetta/jobs/pause').expect(200);
    const paused = await services.jobs.start({ kind: 'vm.power_on', origin: 'test', input: { vmId: vm.id } });
    await api().post(`/_rosetta/jobs/${paused.id}/step`).expect(202);
    await new Promise((r) => setTimeout(r, 300));
    expect((await services.jobs.get(paused.id)).state).not.toBe('succeeded');
    expect((await api().get('/_rosetta/jobs/execution').expect(200)).body).toEqual({ mode: 'paused' });
    await api().post('/_rosetta/jobs/resume').expect(200);
    await eventually(async () => (await services.jobs.get(paused.id)).state === 'succeeded');
    await api().put('/_rosetta/jobs/execution').send({ mode: 'sideways' }).expect(400);
  });

  it('journals dialect requests in a capped ring, filters them, redacts secrets and clears', async () => {
    await api().delete('/_rosetta/journal').expect(204);
    await api().get('/heketi/hello?token=s3cret&x=1').expect(200);
    await api().get('/heketi/no/such/thing').expect(404);
    const all = (await api().get('/_rosetta/journal').expect(200)).body;
    expect(all.size).toBe(50);
    expect(all.entries).toHaveLength(2);
    expect(all.entries[0]).toMatchObject({ seq: 2, dialect: 'heketi', method: 'GET', path: '/heketi/no/such/thing', status: 404 });
    expect(all.entries[1].path).toContain('x=1');
    expect(all.entries[1].path).not.toContain('s3cret');
    expect(typeof all.entries[1].latencyMs).toBe('number');
    expect(all.entries[1].requestId).toEqual(expect.any(String));
    expect((await api().get('/_rosetta/journal?status=4xx').expect(200)).body.entries).toHaveLength(1);
    expect((await api().get('/_rosetta/journal?dialect=nova').expect(200)).body.entries).toHaveLength(0);
    expect((await api().get('/_rosetta/journal?path=such').expect(200)).body.entries.map((e: { seq: number }) => e.seq)).toEqual([2]);
    expect((await api().get('/_rosetta/journal?after=1').expect(200)).body.entries.map((e: { seq: number }) => e.seq)).toEqual([2]);
    await api().get('/_rosetta/journal?status=teapot').expect(400);
    expect((await api().put('/_rosetta/journal/settings').send({ captureBodies: true }).expect(200)).body).toEqual({ captureBodies: true });
    await api().post('/heketi/clusters').send({ block: true, password: 'hunter2', nested: { adminKey: 'k' } });
    const withBody = (await api().get('/_rosetta/journal?limit=1').expect(200)).body.entries[0];
    expect(JSON.parse(withBody.body)).toEqual({ block: true, password: '[redacted]', nested: { adminKey: '[redacted]' } });
    await api().put('/_rosetta/journal/settings').send({ captureBodies: false }).expect(200);
    await api().put('/_rosetta/journal/settings').send({ captureBodies: 'yes' }).expect(400);
    await api().post('/heketi/clusters').send({ block: true });
    expect((await api().get('/_rosetta/journal?limit=1').expect(200)).body.entries[0].body).toBeUndefined();
    await api().delete('/_rosetta/journal').expect(204);
    await api().get('/heketi/hello?token=s3cret&x=1').expect(200);
    await api().get('/heketi/no/such/thing').expect(404);
    for (let i = 0; i < 120; i++) await api().get('/heketi/hello');
    const capped = (await api().get('/_rosetta/journal?limit=50').expect(200)).body;
    expect(capped.count).toBe(50);
    expect(capped.entries).toHaveLength(50);
    expect(capped.entries[0].seq).toBe(122);
    expect(capped.entries[49].seq).toBe(73);
    await api().delete('/_rosetta/journal').expect(204);
    expect((await api().get('/_rosetta/journal').expect(200)).body.count).toBe(0);

    // The principal is the vendor account the dialect authenticated; anonymous requests have none.
    const token = await vendorLogin.omniStack(gateway.url);
    await api().get('/omnistack/api/hosts').set('Authorization', `Bearer ${token}`).expect(200);
    await api().get('/omnistack/api/hosts').expect(401);
    const [anonymous, signedIn] = (await api().get('/_rosetta/journal?dialect=omnistack&limit=2').expect(200)).body.entries;
    expect(signedIn).toMatchObject({ path: '/omnistack/api/hosts', status: 200, principal: 'administrator@vsphere.local' });
    expect(anonymous).toMatchObject({ path: '/omnistack/api/hosts', status: 401, principal: null });
    expect(JSON.stringify(signedIn)).not.toContain(token);
  });

  it('journals the jobs a request started and the objects they affect, and filters on them', async () => {
    await api().delete('/_rosetta/journal').expect(204);
    const created = await api().post('/heketi/volumes').send({ size: 1 }).expect(202);
    await api().get('/heketi/hello').expect(200);
    const entries = (await api().get('/_rosetta/journal').expect(200)).body.entries;
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ path: '/heketi/hello', jobIds: [], objectIds: [] });
    const [jobId] = entries[1].jobIds as string[];
    expect(entries[1].jobIds).toHaveLength(1);
    const job = (await api().get(`/_rosetta/jobs/${jobId}`).expect(200)).body;
    expect(created.headers.location).toContain(jobId.replace(/-/g, ''));
    expect(entries[1].objectIds).toEqual(job.affected.map((a: { id: string }) => a.id));
    expect(entries[1].objectIds.length).toBeGreaterThan(0);
    const byJob = (await api().get(`/_rosetta/journal?job=${jobId}`).expect(200)).body.entries;
    expect(byJob.map((e: { seq: number }) => e.seq)).toEqual([entries[1].seq]);
    const byObject = (await api().get(`/_rosetta/journal?object=${entries[1].objectIds[0]}`).expect(200)).body.entries;
    expect(byObject.map((e: { seq: number }) => e.seq)).toContain(entries[1].seq);
    expect((await api().get('/_rosetta/journal?job=00000000-0000-0000-0000-000000000000').expect(200)).body.entries).toHaveLength(0);
  });

  it('serves an OpenAPI document describing every control route', async () => {
    const doc = (await api().get('/_rosetta/openapi.json').expect(200)).body;
    expect(doc.openapi).toBe('3.1.0');
    const described = new Set(Object.entries(doc.paths as Record<string, object>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
    // Every route the router registers, read from express's own route table.
    const { runtime } = gateway;
    const router = createControlRouter({
      services: runtime.services,
      faults: NO_FAULTS,
      logger: pino({ level: 'silent' }),
      bodyLimitBytes: 1024,
      store: runtime.store,
      resolveFixture: async () => undefined,
      defaultFixture: 'empty',
      isReady: () => true,
      clock: runtime.clock,
      clockSync: runtime.clockSync,
      faultRules: runtime.faults,
      metrics: createHttpMetrics(),
      jobControl: runtime.jobControl,
      requestJournal: createRequestJournal(1),
      requeueUnfinishedJobs: async () => 0,
    });
    type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
    const routes = new Set<string>();
    const walk = (stack: Layer[]): void => {
      for (const layer of stack) {
        if (layer.route) {
          for (const m of Object.keys(layer.route.methods)) routes.add(`${m.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
        } else if (layer.handle?.stack) walk(layer.handle.stack);
      }
    };
    walk((router as unknown as { stack: Layer[] }).stack);
    expect(routes.size).toBeGreaterThan(30);
    expect([...routes].filter((r) => !described.has(r))).toEqual([]);
    expect([...described].filter((r) => !routes.has(r))).toEqual([]);
  });
});
