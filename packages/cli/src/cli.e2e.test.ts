import fs from 'fs';
import os from 'os';
import path from 'path';
import { execFile, spawn } from 'child_process';
import pino from 'pino';
import { loadConfig } from '@rosetta/config';
import { TestDatabase, createTestDatabase } from '@rosetta/testing';
import { Gateway, startGateway } from '@rosetta/gateway';

const BIN = path.resolve(__dirname, '../bin/rosetta.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a child process, as a script would. */
function rosetta(url: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ROSETTA_URL: url, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('rosetta CLI against a live gateway', () => {
  let db: TestDatabase;
  let gateway: Gateway;
  let dir: string;
  const cli = (...args: string[]) => rosetta(gateway.url, args);

  beforeAll(async () => {
    if (!fs.existsSync(path.resolve(__dirname, '../dist/main.js'))) throw new Error('build the CLI first: npx tsc -b packages/cli');
    db = await createTestDatabase();
    gateway = await startGateway(loadConfig({ DATABASE_URL: db.url, PORT: '0', ROSETTA_FIXTURE: 'demo', ROSETTA_STEP_SECONDS: '0', ROSETTA_HEKETI_AUTH: 'false' }), pino({ level: 'silent' }));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rosetta-cli-'));
  });
  afterAll(async () => {
    await gateway.close();
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exits 0 on success, 2 on usage errors, 1 on server errors and unreachable gateways', async () => {
    expect((await cli('--help')).code).toBe(0);
    const unknown = await cli('bogus');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'bogus'");
    const badDuration = await cli('clock', 'advance', 'soon');
    expect(badDuration.code).toBe(2);
    expect(badDuration.stderr).toContain('not a duration');
    expect((await cli('faults', 'add', '--route', '/x')).code).toBe(2);
    const missing = await cli('snapshot', 'restore', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('NOT_FOUND (HTTP 404): no snapshot named nope');
    const down = await rosetta('http://127.0.0.1:1', ['clock', 'show']);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('cannot reach');
    expect((await rosetta('ftp://x', ['clock', 'show'])).code).toBe(2);
  });

  it('reads and moves the clock', async () => {
    const frozen = JSON.parse((await cli('--json', 'clock', 'freeze')).stdout);
    expect(frozen.frozen).toBe(true);
    const advanced = JSON.parse((await cli('--json', 'clock', 'advance', '1h30m')).stdout);
    expect(Date.parse(advanced.now) - Date.parse(frozen.now)).toBe(5_400_000);
    expect((await cli('clock', 'show')).stdout).toMatch(/frozen/);
    expect((await cli('clock', 'real')).stdout).toMatch(/running {2}offset 0 ms/);
  });

  it('adds, lists and removes fault rules that vendor requests then hit', async () => {
    const added = await cli('faults', 'add', '--dialect', 'heketi', '--route', '/hello', '--error', 'UNAVAILABLE:cli outage', '--count', '1');
    expect(added.code).toBe(0);
    const id = added.stdout.trim();
    const res = await fetch(`${gateway.url}/heketi/hello`);
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(await res.text()).toContain('cli outage');
    const list = await cli('faults', 'list');
    expect(list.stdout).toContain(id);
    expect(list.stdout).toMatch(/heketi \/hello\s+error\s+0\s+-\s+1/);
    expect((await cli('faults', 'rm', id)).code).toBe(0);
    expect((await cli('faults', 'rm', id)).code).toBe(1);
    expect((await cli('faults', 'rm')).code).toBe(2);
    const ds = (await gateway.runtime.services.datastores.list({ limit: 1 }))[0];
    expect((await cli('faults', 'domain', 'datastore', ds.id, 'full')).code).toBe(0);
    expect((await gateway.runtime.services.datastores.get(ds.id)).full).toBe(true);
    expect((await cli('faults', 'domain', 'datastore', ds.id, 'free')).code).toBe(0);
    expect((await gateway.runtime.services.datastores.get(ds.id)).full).toBe(false);
    const [host] = await gateway.runtime.services.hosts.list({ filter: { field: 'name', op: 'eq', value: 'node-a3' } });
    const [device] = await gateway.runtime.services.devices.list({ filter: { field: 'hostId', op: 'eq', value: host.id }, limit: 1 });
    const heketi = async (kind: string, id: string) => ((await (await fetch(`${gateway.url}/heketi/${kind}/${id.replace(/-/g, '')}`)).json()) as { state: string }).state;
    expect((await cli('faults', 'domain', 'host', host.id, 'down')).stdout).toBe(`host ${host.id}: down\n`);
    expect(await heketi('nodes', host.id)).toBe('failed');
    expect((await cli('faults', 'domain', 'device', device.id, 'failed')).code).toBe(0);
    expect(await heketi('devices', device.id)).toBe('failed');
    expect((await cli('faults', 'domain', 'device', device.id, 'online')).code).toBe(0);
    expect((await cli('faults', 'domain', 'host', host.id, 'up')).code).toBe(0);
    expect(await heketi('nodes', host.id)).toBe('online');
    expect((await cli('faults', 'domain', 'host', '00000000-0000-0000-0000-000000000000', 'down')).code).toBe(1);
    // Every option of a rule reaches the control plane: jitter, probability with its seed, expiry.
    const clockNow = Date.parse(JSON.parse((await cli('--json', 'clock', 'freeze')).stdout).now);
    const rule = JSON.parse((await cli('--json', 'faults', 'add', '--dialect', 'nova', '--method', 'GET', '--route', '/v2.1/*', '--delay', '5', '--jitter', '20', '--probability', '0.5', '--seed', 's', '--expires', '60')).stdout);
    expect(rule).toMatchObject({ dialect: 'nova', method: 'GET', route: '/v2.1/*', effect: { type: 'delay', ms: 5, jitterMs: 20 }, probability: 0.5 });
    expect(Date.parse(rule.expiresAt) - clockNow).toBe(60_000);
    const stepRule = JSON.parse((await cli('--json', 'faults', 'add', '--job-kind', 'vm.*', '--step', 'power on', '--fail-step', 'BMC gone')).stdout);
    expect(stepRule).toMatchObject({ target: 'step', jobKind: 'vm.*', step: 'power on', effect: { type: 'fail_step', message: 'BMC gone' } });
    expect((await cli('faults', 'add', '--route', '/x', '--delay', '1', '--drop')).code).toBe(2);
    expect((await cli('faults', 'rm', '--all')).code).toBe(0);
    await cli('clock', 'real');
    expect((await cli('faults', 'domain', 'datastore', ds.id, 'exploded')).code).toBe(2);
    expect((await cli('faults', 'domain', 'volcano', ds.id, 'full')).code).toBe(2);
  });

  it('saves, lists, exports, imports, restores and deletes snapshots', async () => {
    expect((await cli('snapshot', 'save', 'cli-base')).code).toBe(0);
    await gateway.runtime.services.sites.create({ name: 'cli-extra' });
    const file = path.join(dir, 'base.json');
    expect((await cli('snapshot', 'export', 'cli-base', '-o', file)).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).format).toBe('rosetta-snapshot');
    expect((await cli('snapshot', 'import', file, '--name', 'cli-copy')).code).toBe(0);
    expect((await cli('snapshot', 'list')).stdout).toMatch(/cli-base[\s\S]*cli-copy/);
    const restored = await cli('snapshot', 'restore', 'cli-copy');
    expect(restored.stdout).toMatch(/^restored cli-copy in \d+ ms/);
    expect((await gateway.runtime.services.sites.list({ filter: { field: 'name', op: 'eq', value: 'cli-extra' } })).length).toBe(0);
    expect((await cli('snapshot', 'rm', 'cli-copy')).code).toBe(0);
    expect((await cli('snapshot', 'import', path.join(dir, 'missing.json'))).code).toBe(2);
  });

  it('steps and fails jobs in manual mode, lists them, and tails the journal', async () => {
    const { services } = gateway.runtime;
    expect((await cli('jobs', 'manual')).stdout).toBe('execution mode manual\n');
    try {
      const vm = (await services.vms.list({ filter: { field: 'name', op: 'eq', value: 'web-02' } }))[0];
      const job = await services.jobs.start({ kind: 'vm.power_off', origin: 'test', input: { vmId: vm.id } });
      await new Promise((r) => setTimeout(r, 200));
      expect((await services.jobs.get(job.id)).state).not.toBe('succeeded');
      expect((await cli('jobs', 'step', job.id)).code).toBe(0);
      for (let i = 0; i < 100 && (await services.jobs.get(job.id)).state !== 'succeeded'; i++) await new Promise((r) => setTimeout(r, 25));
      expect((await services.jobs.get(job.id)).state).toBe('succeeded');
      const held = await services.jobs.start({ kind: 'vm.power_on', origin: 'test', input: { vmId: vm.id } });
      const failed = await cli('jobs', 'fail', held.id, '-m', 'pulled the plug');
      expect(failed.stdout).toBe(`${held.id} failed: pulled the plug\n`);
      const list = await cli('jobs', 'list', '--state', 'failed');
      expect(list.stdout).toContain(held.id);
      expect(list.stdout).toContain('pulled the plug');
      expect((await cli('jobs', 'fail', held.id)).code).toBe(1);
    } finally {
      await cli('jobs', 'resume');
    }
    expect((await cli('journal', 'bodies', 'maybe')).code).toBe(2);
    expect((await cli('journal', 'bodies', 'off')).stdout).toBe('request bodies not captured\n');
    await fetch(`${gateway.url}/heketi/hello?key=hunter2`);
    const tail = await cli('journal', 'tail', '-n', '1', '--dialect', 'heketi');
    expect(tail.stdout).toMatch(/ heketi GET \/heketi\/hello\?key=.* 200 [\d.]+ms -\n$/);
    expect(tail.stdout).not.toContain('hunter2');
    const volume = await fetch(`${gateway.url}/heketi/volumes`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ size: 1 }) });
    expect(volume.status).toBe(202);
    const jobId = ((await (await fetch(`${gateway.url}/_rosetta/journal?limit=1`)).json()) as { entries: { jobIds: string[] }[] }).entries[0].jobIds[0];
    expect(volume.headers.get('location')).toContain(jobId.replace(/-/g, ''));
    const byJob = await cli('journal', 'tail', '--job', jobId);
    expect(byJob.stdout).toMatch(new RegExp(` heketi POST /heketi/volumes 202 [\\d.]+ms - jobs=${jobId}\n$`));
  });

  it('start runs the built gateway in the foreground with its options, until SIGTERM', async () => {
    const own = await createTestDatabase();
    // The port is the kernel's pick; the gateway prints where it serves.
    const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--fixture', 'demo', '--database-url', own.url], {
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`rosetta start printed no URL: ${output}`)), 30_000);
        const read = (chunk: Buffer) => {
          output += chunk.toString();
          const m = /Rosetta is serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        };
        child.stdout.on('data', read);
        child.stderr.on('data', read);
      });
      expect(url).not.toBe(gateway.url);
      expect((await rosetta(url, ['status'])).stdout).toBe(`${url}: ok, ready\n`);
      expect(JSON.parse((await rosetta(url, ['--json', 'objects', 'list', 'hosts', '--limit', '1'])).stdout).total).toBe(9);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect((await rosetta(url, ['status'])).code).toBe(1);
    } finally {
      child.kill('SIGKILL');
      await exited;
      await own.drop();
    }
  });

  it('worker runs the built worker with its concurrency, forwarding its exit code', async () => {
    const refused = await rosetta(gateway.url, ['worker']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('set DATABASE_URL and REDIS_URL');
    // BullMQ needs a real Redis: CI provides REDIS_URL (.ci/run starts one).
    if (!process.env.REDIS_URL) return;
    const child = spawn(process.execPath, [BIN, 'worker', '-c', '3'], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: db.url, REDIS_URL: process.env.REDIS_URL, ROSETTA_REDIS_PREFIX: `cli-worker-${process.pid}`, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const ready = await new Promise<{ concurrency: number }>((resolve, reject) => {
        let output = '';
        const timer = setTimeout(() => reject(new Error(`rosetta worker never said it was ready: ${output}`)), 30_000);
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const line = output.split('\n').find((l) => l.includes('"worker ready"'));
          if (line) {
            clearTimeout(timer);
            resolve(JSON.parse(line));
          }
        });
      });
      expect(ready.concurrency).toBe(3);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  });

  it('generates a seeded fixture and seeds the gateway with it', async () => {
    const file = path.join(dir, 'gen.json');
    const args = ['generate', '-o', file, '--sites', '1', '--clusters', '2', '--hosts', '3', '--vms', '2', '--seed', 'cli'];
    const gen = await cli(...args);
    expect(gen.code).toBe(0);
    expect(gen.stdout).toContain('6 hosts, 12 VMs');
    const first = fs.readFileSync(file, 'utf8');
    await cli(...args);
    expect(fs.readFileSync(file, 'utf8')).toBe(first);
    const seeded = await cli('seed', file);
    expect(seeded.code).toBe(0);
    expect(await gateway.runtime.services.hosts.count()).toBe(6);
    expect(await gateway.runtime.services.vms.count()).toBe(12);
    const hostIds = (await gateway.runtime.services.hosts.list({})).map((h) => h.id).sort();
    const direct = await cli('generate', '--load', '--sites', '1', '--clusters', '2', '--hosts', '3', '--vms', '2', '--seed', 'cli');
    expect(direct.code).toBe(0);
    expect((await gateway.runtime.services.hosts.list({})).map((h) => h.id).sort()).toEqual(hostIds);
    expect((await cli('generate', '--sites', '1')).code).toBe(2);
    expect((await cli('reset')).stdout).toBe('reset to empty\n');
    expect(await gateway.runtime.services.hosts.count()).toBe(0);
    // default: the fixture the gateway was started with.
    expect((await cli('reset', '--fixture', 'default')).stdout).toMatch(/^reset to demo \{.*"hosts":9/);
    expect(await gateway.runtime.services.hosts.count()).toBe(9);
    expect((await cli('reset', '--fixture', 'demo')).code).toBe(0);
    expect((await cli('seed', 'no-such-fixture')).code).toBe(1);
  });
});
