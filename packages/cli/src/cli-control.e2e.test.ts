import fs from 'fs';
import path from 'path';
import { execFile } from 'child_process';
import { Rosetta, TestDatabase, createTestDatabase, startRosetta } from '@rosetta/testing';

const BIN = path.resolve(__dirname, '../bin/rosetta.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('rosetta CLI: objects, status, metrics, snapshots with control state, job and journal commands', () => {
  let db: TestDatabase;
  let rosetta: Rosetta;
  const cli = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ROSETTA_URL: rosetta.url } }, (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });

  beforeAll(async () => {
    if (!fs.existsSync(path.resolve(__dirname, '../dist/main.js'))) throw new Error('build the CLI first: npx tsc -b packages/cli');
    db = await createTestDatabase();
    rosetta = await startRosetta({ databaseUrl: db.url, fixture: 'demo', env: { ROSETTA_HEKETI_AUTH: 'false' } });
  });
  afterAll(async () => {
    await rosetta.stop();
    await db.drop();
  });

  it('reports status and metrics', async () => {
    expect(await cli('status')).toEqual({ code: 0, stdout: `${rosetta.url}: ok, ready\n`, stderr: '' });
    const metrics = await cli('metrics');
    expect(metrics.code).toBe(0);
    expect(metrics.stdout).toMatch(/^# HELP /m);
    expect(metrics.stdout).toContain('rosetta_');
    // A command group without its subcommand, and a bad option value of a subcommand, are usage errors.
    expect((await cli('snapshot')).code).toBe(2);
    expect((await cli('jobs', 'list', '--limit', 'lots')).code).toBe(2);
  });

  it('pages objects by offset and by keyset, and shows one', async () => {
    const total = await rosetta.services.hosts.count();
    const first = await cli('objects', 'list', 'hosts', '--limit', '2');
    expect(first.code).toBe(0);
    const next = /next page: --after (\d+)/.exec(first.stdout)?.[1];
    expect(first.stdout).toContain(`2 of ${total}; next page: --after ${next}`);
    const second = JSON.parse((await cli('--json', 'objects', 'list', 'hosts', '--limit', '2', '--after', next!)).stdout);
    const byOffset = JSON.parse((await cli('--json', 'objects', 'list', 'hosts', '--limit', '2', '--offset', '2')).stdout);
    expect(second.items.map((h: { id: string }) => h.id)).toEqual(byOffset.items.map((h: { id: string }) => h.id));
    const host = second.items[0] as { id: string; name: string };
    expect(first.stdout).toMatch(/^ID\s+SEQ\s+NAME\s+STATE\n/);
    expect(JSON.parse((await cli('objects', 'show', 'hosts', host.id)).stdout).name).toBe(host.name);
    const named = JSON.parse((await cli('--json', 'objects', 'list', 'hosts', '--name', host.name)).stdout);
    expect(named.items.map((h: { id: string }) => h.id)).toEqual([host.id]);
    expect((await cli('objects', 'list', 'unicorns')).stderr).toContain('NOT_FOUND (HTTP 404): unknown object kind unicorns');
    expect((await cli('objects', 'list', 'hosts', '--limit', 'many')).code).toBe(2);
    expect((await cli('objects', 'list', 'hosts', '--offset', '2', '--after', '3')).stderr).toContain('VALIDATION (HTTP 400): give offset or after, not both');
  });

  it('saves the fault rules and the clock with a snapshot and restores them', async () => {
    const frozen = JSON.parse((await cli('--json', 'clock', 'freeze')).stdout) as { now: string };
    const id = (await cli('faults', 'add', '--dialect', 'heketi', '--route', '/hello', '--error', 'UNAVAILABLE:snap', '--count', '3')).stdout.trim();
    const saved = await cli('snapshot', 'save', 'cli-control', '--replace');
    expect(saved.stdout).toMatch(new RegExp(`^cli-control  \\S+  \\d+ rows, 1 fault rules, clock frozen at ${frozen.now.replace(/\./g, '\\.')}\\n$`));
    expect(JSON.parse((await cli('faults', 'show', id)).stdout)).toMatchObject({ id, remaining: 3, hits: 0 });
    expect((await cli('faults', 'rm', '--all')).stdout).toBe('deleted every rule\n');
    expect((await cli('--json', 'faults', 'list')).stdout).toContain('"faults": []');
    await cli('clock', 'advance', '6h');
    await cli('clock', 'resume');
    expect((await cli('snapshot', 'restore', 'cli-control')).code).toBe(0);
    expect((await cli('faults', 'list')).stdout).toContain(id);
    expect((await cli('clock', 'show')).stdout.startsWith(`${frozen.now}  frozen`)).toBe(true);
    const show = await cli('snapshot', 'show', 'cli-control');
    expect(show.stdout).toMatch(/1 fault rules, clock frozen at/);
    expect(show.stdout).toMatch(/^ {2}hosts\s+\d+$/m);
    expect((await cli('snapshot', 'list')).stdout).toMatch(/^NAME\s+CREATEDAT\s+ROWS\s+CONTROL\s+SCHEMA\ncli-control\s.*1 fault rules, clock frozen/m);
    expect((await cli('snapshot', 'show', 'nope')).code).toBe(1);
    await cli('faults', 'rm', '--all');
    await cli('clock', 'real');
  });

  it('pauses, shows, cancels jobs and clears the journal', async () => {
    expect((await cli('jobs', 'pause')).stdout).toBe('execution mode paused\n');
    try {
      expect((await cli('jobs', 'mode')).stdout).toBe('paused\n');
      const vm = (await rosetta.services.vms.list({ limit: 1 }))[0];
      const job = await rosetta.services.jobs.start({ kind: 'vm.power_off', origin: 'test', input: { vmId: vm.id } });
      const shown = await cli('jobs', 'show', job.id);
      expect(shown.stdout).toMatch(new RegExp(`^${job.id}  vm\\.power_off  (queued|running)\\n {2}\\w+\\s+\\S+`));
      expect((await cli('jobs', 'cancel', job.id)).stdout).toMatch(new RegExp(`^${job.id} cancel requested`));
      expect((await rosetta.control.jobs.wait(job.id)).state).toBe('cancelled');
    } finally {
      expect((await cli('jobs', 'resume')).stdout).toBe('execution mode normal\n');
    }
    await fetch(`${rosetta.urls.heketi}/hello`);
    expect((await rosetta.control.journal.query()).count).toBeGreaterThan(0);
    expect((await cli('journal', 'clear')).stdout).toBe('journal cleared\n');
    expect((await rosetta.control.journal.query()).count).toBe(0);
    expect((await cli('journal', 'tail')).stdout).toBe('');
  });
});
