import fs from 'fs';
import os from 'os';
import path from 'path';
import { execFile } from 'child_process';
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
    expect((await cli('reset', '--fixture', 'demo')).code).toBe(0);
    expect(await gateway.runtime.services.hosts.count()).toBe(9);
    expect((await cli('seed', 'no-such-fixture')).code).toBe(1);
  });
});
