import { ChildProcess, spawn } from 'child_process';
import path from 'path';
import { ControllableClock, RandomIds, Services, createServices, loadTopology } from '@rosetta/core';
import { createBullJobQueue } from '@rosetta/queue';
import { createKnexStore } from '@rosetta/store';
import { TestDatabase, createTestDatabase, testRedisPrefix, DEMO_FIXTURE_PATH } from '@rosetta/testing';
import fs from 'fs';

const REDIS_URL = process.env.REDIS_URL;
const WORKER = path.resolve(__dirname, '../dist/main.js');

async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// BullMQ needs a real Redis: CI provides REDIS_URL (.ci/run starts one).
(REDIS_URL ? describe : describe.skip)('worker process over BullMQ', () => {
  let db: TestDatabase;
  let prefix: string;
  let services: Services;
  let queue: ReturnType<typeof createBullJobQueue>;
  const workers: ChildProcess[] = [];

  const startWorker = (): ChildProcess => {
    const child = spawn(process.execPath, [WORKER], {
      env: { ...process.env, DATABASE_URL: db.url, REDIS_URL, ROSETTA_REDIS_PREFIX: prefix, ROSETTA_WORKER_LOCK_MS: '1500', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    workers.push(child);
    return child;
  };

  beforeAll(async () => {
    if (!fs.existsSync(WORKER)) throw new Error('build first: npm test runs `npm run build` before jest');
    db = await createTestDatabase();
    prefix = testRedisPrefix();
    const clock = new ControllableClock();
    const store = createKnexStore({ knex: db.knex, now: () => clock.now() });
    await loadTopology(store, JSON.parse(fs.readFileSync(DEMO_FIXTURE_PATH, 'utf8')));
    queue = createBullJobQueue({ redisUrl: REDIS_URL!, prefix });
    // 0.2: the 15 s clone step takes 3 s, long enough to kill a worker in the middle of it.
    services = createServices({ store, clock, ids: new RandomIds(), queue, stepScale: 0.2 });
  });

  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await queue.close();
    await db.drop();
  });

  it('runs a job end to end through BullMQ and a worker process', async () => {
    startWorker();
    const vm = (await services.vms.list({ filter: { field: 'name', op: 'eq', value: 'batch-01' } }))[0];
    const job = await services.jobs.start({ kind: 'vm.power_on', origin: 'test', input: { vmId: vm.id } });
    const done = await until('job to finish', () => services.jobs.get(job.id), (j) => j.state === 'succeeded' || j.state === 'failed');
    expect(done.state).toBe('succeeded');
    expect((await services.vms.get(vm.id)).state).toBe('running');
  });

  it('a worker killed mid-job: the job still ends, and the data matches its outcome', async () => {
    const vm = (await services.vms.list({ filter: { field: 'name', op: 'eq', value: 'web-01' } }))[0];
    const job = await services.jobs.start({ kind: 'vm.clone', origin: 'test', input: { vmId: vm.id, name: 'web-01-copy' } });
    await until('job to start', () => services.jobs.get(job.id), (j) => j.state === 'running');
    for (const w of workers) w.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    expect((await services.jobs.get(job.id)).state).toBe('running');
    expect(await services.vms.count({ field: 'name', op: 'eq', value: 'web-01-copy' })).toBe(0);
    startWorker();
    const done = await until('job to end after the crash', () => services.jobs.get(job.id), (j) => ['succeeded', 'failed', 'cancelled'].includes(j.state), 45_000);
    const clones = await services.vms.count({ field: 'name', op: 'eq', value: 'web-01-copy' });
    if (done.state === 'succeeded') expect(clones).toBe(1);
    else expect(clones).toBe(0);
    expect(done.state).toBe('succeeded');
    expect(done.attempts).toBeGreaterThanOrEqual(2);
  });

  it('several workers store each sampling instant once, on the shared clock', async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    const store = createKnexStore({ knex: db.knex, now: () => new Date() });
    // A week on, so no instant the earlier workers sampled in real time is involved.
    const t0 = Math.floor(Date.now() / 300_000) * 300_000 + 7 * 86_400_000 + 60_000;
    await store.writeClockState({ frozenAtMs: t0, offsetMs: 0 });
    const perInstant = (await services.hosts.count()) + (await services.vms.count()) + (await services.datastores.count());
    const runs = async () => (await db.knex('sample_runs').orderBy('at').select('at', 'rows')).map((r: { at: Date; rows: number }) => [r.at.getTime(), r.rows]);
    startWorker();
    startWorker();
    startWorker();
    // Each samples the frozen instant at start; one of them writes it (and retention drops the
    // instant the earlier workers sampled in real time, a week before).
    await until('the first instant', runs, (r) => r.length === 1 && r[0][0] === t0 - 60_000, 20_000);
    // Five minutes on: every worker wakes, one writes the next instant.
    await store.writeClockState({ frozenAtMs: t0 + 300_000, offsetMs: 0 });
    await until('the second instant', runs, (r) => r.length === 2, 20_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await runs()).toEqual([
      [t0 - 60_000, perInstant],
      [t0 + 240_000, perInstant],
    ]);
    expect(Number((await db.knex('performance_samples').count({ n: '*' }).first())?.n)).toBe(2 * perInstant);
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await store.writeClockState({ frozenAtMs: null, offsetMs: 0 });
  }, 60_000);

  it('stops cleanly on SIGTERM', async () => {
    const w = startWorker();
    await new Promise((r) => setTimeout(r, 1500));
    const exited = new Promise<number | null>((resolve) => w.once('exit', (code) => resolve(code)));
    w.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
