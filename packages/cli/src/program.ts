import fs from 'fs/promises';
import path from 'path';
import { spawn } from 'child_process';
import { Command, InvalidArgumentError, Option } from 'commander';
import { GenerateSpec } from '@rosetta/core';
import type { ControlTransport } from '@rosetta/control/client';
import { UsageError } from './usage-error';
import { writeGeneratedFixture } from './generate';
import { table } from './output';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress bars). */
  tty: boolean;
  env: Record<string, string | undefined>;
}

const positiveInt = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
  return n;
};

const DURATION = /^(\d+(\.\d+)?|(\d+(\.\d+)?(ms|s|m|h|d))+)$/;

interface Job {
  id: string;
  kind: string;
  state: string;
  createdAt: string;
  steps: { name: string; state: string }[];
  errorMessage?: string | null;
}

interface Snapshot {
  name: string;
  createdAt: string;
  schema: string;
  rows: number;
  rowCounts: Record<string, number>;
  control?: { faultRules: number; clock: { frozenAtMs: number | null; offsetMs: number } | null };
}

/** Runs a built app (gateway or worker) in the foreground, forwarding signals and its exit code. */
function runApp(app: '@rosetta/gateway' | '@rosetta/worker', overrides: Record<string, string | undefined>, env: CliIo['env']): Promise<number> {
  let entry: string;
  try {
    entry = require.resolve(`${app}/dist/main.js`);
  } catch {
    throw new UsageError(`${app} is not built: run npm run build first`);
  }
  // Options given on the command line win; the rest of the environment passes through untouched.
  const childEnv: Record<string, string> = {};
  for (const source of [env, overrides]) for (const [k, v] of Object.entries(source)) if (v !== undefined) childEnv[k] = v;
  const child = spawn(process.execPath, [entry], { stdio: 'inherit', env: childEnv });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

export function buildProgram(client: ControlTransport, io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('rosetta')
    .description(`Control a Rosetta gateway (${client.url}; set ROSETTA_URL and ROSETTA_ADMIN_TOKEN)`)
    .option('--json', 'print raw JSON responses')
    .showHelpAfterError('(rosetta --help lists the commands)');
  const json = (): boolean => Boolean(program.opts().json);
  const print = (value: unknown, human: () => void): void => {
    if (json()) io.out(`${JSON.stringify(value, null, 2)}\n`);
    else human();
  };
  const rows = (items: Record<string, unknown>[], columns: string[]) => table(items, columns, io.out);

  program
    .command('start')
    .description('run a gateway in the foreground (npm run build first)')
    .option('-p, --port <port>', 'shared port (PORT)')
    .option('-f, --fixture <name>', 'fixture to load into an empty database (ROSETTA_FIXTURE)')
    .option('--database-url <url>', 'PostgreSQL URL (DATABASE_URL); embedded PostgreSQL when unset')
    .action(async (o: { port?: string; fixture?: string; databaseUrl?: string }) => {
      setExit(await runApp('@rosetta/gateway', { PORT: o.port, ROSETTA_FIXTURE: o.fixture, DATABASE_URL: o.databaseUrl }, io.env));
    });
  program
    .command('worker')
    .description('run a job worker in the foreground (needs REDIS_URL and DATABASE_URL)')
    .option('-c, --concurrency <n>', 'jobs at once (ROSETTA_WORKER_CONCURRENCY)')
    .action(async (o: { concurrency?: string }) => {
      setExit(await runApp('@rosetta/worker', { ROSETTA_WORKER_CONCURRENCY: o.concurrency }, io.env));
    });

  program
    .command('reset')
    .description('empty the domain and the fault rules, then load a fixture (default: none)')
    .option('-f, --fixture <name>', 'fixture name (demo, large; default = the one the gateway was started with) or a path on the gateway host', 'empty')
    .action(async (o: { fixture: string }) => {
      const res = await client.post<{ fixture: string; loaded: unknown }>('/reset', { fixture: o.fixture });
      print(res, () => io.out(`reset to ${res.fixture}${res.loaded ? ` ${JSON.stringify(res.loaded)}` : ''}\n`));
    });
  program
    .command('seed')
    .description('replace the domain with a fixture: a local file is uploaded, a name (demo, large) is loaded by the gateway')
    .argument('<fixture>', 'file path or fixture name')
    .action(async (fixture: string) => {
      let text: string | undefined;
      try {
        text = await fs.readFile(fixture, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || /[/\\.]/.test(fixture)) throw new UsageError(`cannot read ${fixture}: ${(err as Error).message}`);
      }
      if (text !== undefined) {
        try {
          JSON.parse(text);
        } catch (err) {
          throw new UsageError(`${fixture} is not JSON: ${(err as Error).message}`);
        }
      }
      const res = text === undefined ? await client.post<{ loaded: unknown }>('/reset', { fixture }) : await client.postText<{ loaded: unknown }>('/fixture', text);
      print(res, () => io.out(`loaded ${fixture}: ${JSON.stringify(res.loaded)}\n`));
    });
  program
    .command('generate')
    .description('write a fixture file from multipliers, or load the topology into the gateway (same seed, same names and ids)')
    .option('-o, --out <file>', 'fixture file to write')
    .option('--load', 'replace the gateway\'s domain with the generated topology instead of writing a file')
    .option('--sites <n>', 'sites', positiveInt('sites'), 1)
    .option('--clusters <n>', 'clusters per site', positiveInt('clusters'), 2)
    .option('--hosts <n>', 'hosts per cluster', positiveInt('hosts'), 4)
    .option('--devices <n>', 'devices per host', positiveInt('devices'), 4)
    .option('--device-size <GiB>', 'device size in GiB', positiveInt('device-size'), 1024)
    .option('--vms <n>', 'VMs per host', positiveInt('vms'), 10)
    .option('--datastores <n>', 'datastores per cluster', positiveInt('datastores'), 2)
    .option('--zones <n>', 'failure zones per cluster', positiveInt('zones'), 3)
    .option('--seed <seed>', 'seed for names, ids and random choices', 'rosetta')
    .action(async (o: { out?: string; load?: boolean; sites: number; clusters: number; hosts: number; devices: number; deviceSize: number; vms: number; datastores: number; zones: number; seed: string }) => {
      const spec: GenerateSpec = {
        sites: o.sites,
        clustersPerSite: o.clusters,
        hostsPerCluster: o.hosts,
        devicesPerHost: o.devices,
        deviceSizeGiB: o.deviceSize,
        vmsPerHost: o.vms,
        datastoresPerCluster: o.datastores,
        zonesPerCluster: Math.max(1, o.zones),
      };
      if (Boolean(o.out) === Boolean(o.load)) throw new UsageError('give either --out <file> or --load');
      if (o.load) {
        // The gateway expands the same multipliers with the same seed: identical names and ids.
        const res = await client.post<{ loaded: unknown }>('/fixture', { seed: o.seed, generate: spec });
        return print(res, () => io.out(`loaded ${JSON.stringify(res.loaded)}\n`));
      }
      const summary = await writeGeneratedFixture({ spec, seed: o.seed, out: path.resolve(o.out!), progress: io.tty });
      print(summary, () => io.out(`wrote ${summary.file}: ${summary.sites} sites, ${summary.clusters} clusters, ${summary.hosts} hosts, ${summary.vms} VMs (${summary.bytes} bytes)\n`));
    });

  program
    .command('status')
    .description('health and readiness (database round trip); exit 1 when not ready')
    .action(async () => {
      const health = await client.get<{ status: string }>('/health');
      const ready = await client.get<{ status: string }>('/ready');
      print({ health, ready }, () => io.out(`${client.url}: ${health.status}, ${ready.status}\n`));
      if (ready.status !== 'ready') setExit(1);
    });
  program
    .command('metrics')
    .description('the Prometheus metrics text')
    .action(async () => io.out(await client.getText('/metrics')));

  const objects = program.command('objects').description('page through domain objects: sites, clusters, hosts, devices, datastores, vms, aggregates, policies, backups, volumes, bricks, filesystems, targets, jobs');
  objects
    .command('list <kind>')
    .option('--name <text>', 'name contains this (case-insensitive)')
    .option('-q, --query <text>', 'name, or an id in any dialect form')
    .option('--limit <n>', 'page size (1-1000)', positiveInt('limit'), 20)
    .option('--offset <n>', 'objects to skip', positiveInt('offset'))
    .option('--after <seq>', 'keyset paging: objects after this seq (the "next" a page printed)', positiveInt('after'))
    .action(async (kind: string, o: { name?: string; query?: string; limit: number; offset?: number; after?: number }) => {
      const page = await client.get<{ total: number; items: Record<string, unknown>[]; next: number | null }>(`/objects/${encodeURIComponent(kind)}`, {
        name: o.name,
        q: o.query,
        limit: o.limit,
        offset: o.offset,
        after: o.after,
      });
      print(page, () => {
        const columns = ['id', 'seq', ...['name', 'kind', 'path', 'state'].filter((c) => page.items.some((item) => item[c] !== undefined))];
        rows(page.items, columns);
        io.out(`${page.items.length} of ${page.total}${page.next !== null ? `; next page: --after ${page.next}` : ''}\n`);
      });
    });
  objects.command('show <kind> <id>').description('one object as JSON').action(async (kind: string, id: string) => {
    io.out(`${JSON.stringify(await client.get(`/objects/${encodeURIComponent(kind)}/${encodeURIComponent(id)}`), null, 2)}\n`);
  });

  const snapshot = program.command('snapshot').description('save, restore, list, delete, export and import snapshots of the whole domain (with fault rules and clock)');
  const controlText = (s: Snapshot): string => {
    if (!s.control) return 'no control state';
    const clock = s.control.clock;
    const time = !clock ? 'real time' : clock.frozenAtMs !== null ? `clock frozen at ${new Date(clock.frozenAtMs).toISOString()}` : `clock offset ${clock.offsetMs} ms`;
    return `${s.control.faultRules} fault rules, ${time}`;
  };
  const snapshotLine = (s: Snapshot) => io.out(`${s.name}  ${s.createdAt}  ${s.rows} rows, ${controlText(s)}\n`);
  snapshot
    .command('save <name>')
    .option('--replace', 'overwrite a snapshot of that name')
    .action(async (name: string, o: { replace?: boolean }) => {
      const s = await client.post<Snapshot>('/snapshots', { name, replace: Boolean(o.replace) });
      print(s, () => snapshotLine(s));
    });
  snapshot.command('show <name>').description('one snapshot: rows per table, fault rules and clock').action(async (name: string) => {
    const s = await client.get<Snapshot>(`/snapshots/${encodeURIComponent(name)}`);
    print(s, () => {
      snapshotLine(s);
      io.out(`  schema ${s.schema}\n`);
      for (const [table, n] of Object.entries(s.rowCounts)) if (n) io.out(`  ${table.padEnd(24)} ${n}\n`);
    });
  });
  snapshot.command('restore <name>').action(async (name: string) => {
    const res = await client.post<{ restored: { name: string }; requeuedJobs: number; ms: number }>(`/snapshots/${encodeURIComponent(name)}/restore`);
    print(res, () => io.out(`restored ${res.restored.name} in ${res.ms} ms (${res.requeuedJobs} unfinished jobs requeued)\n`));
  });
  snapshot.command('list').action(async () => {
    const res = await client.get<{ snapshots: Snapshot[] }>('/snapshots');
    print(res, () => rows(res.snapshots.map((s) => ({ ...s, control: controlText(s) })), ['name', 'createdAt', 'rows', 'control', 'schema']));
  });
  snapshot.command('rm <name>').alias('delete').action(async (name: string) => {
    await client.delete(`/snapshots/${encodeURIComponent(name)}`);
    if (!json()) io.out(`deleted ${name}\n`);
  });
  snapshot
    .command('export <name>')
    .option('-o, --out <file>', 'file to write (default <name>.rosetta-snapshot.json; - for stdout)')
    .action(async (name: string, o: { out?: string }) => {
      const text = await client.getText(`/snapshots/${encodeURIComponent(name)}/export`);
      if (o.out === '-') return io.out(text);
      const file = path.resolve(o.out ?? `${name}.rosetta-snapshot.json`);
      await fs.writeFile(file, text);
      if (!json()) io.out(`exported ${name} to ${file} (${Buffer.byteLength(text)} bytes)\n`);
    });
  snapshot
    .command('import <file>')
    .option('-n, --name <name>', 'store under this name instead of the one in the file')
    .option('--replace', 'overwrite a snapshot of that name')
    .action(async (file: string, o: { name?: string; replace?: boolean }) => {
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
      }
      const s = await client.postText<Snapshot>('/snapshots/import', text, { name: o.name, replace: o.replace ? 'true' : undefined });
      print(s, () => snapshotLine(s));
    });

  const clock = program.command('clock').description('read and control the shared virtual clock');
  const clockLine = (c: { now: string; frozen: boolean; offsetMs: number }) => io.out(`${c.now}  ${c.frozen ? 'frozen' : 'running'}  offset ${c.offsetMs} ms\n`);
  const clockCmd = (name: string, description: string) =>
    clock
      .command(name)
      .description(description)
      .action(async () => {
        const c = name === 'show' ? await client.get<{ now: string; frozen: boolean; offsetMs: number }>('/clock') : await client.post<{ now: string; frozen: boolean; offsetMs: number }>(`/clock/${name}`);
        print(c, () => clockLine(c));
      });
  clockCmd('show', 'print the virtual time');
  clockCmd('freeze', 'stop time');
  clockCmd('resume', 'let time run again from where it stands');
  clockCmd('real', 'return to real time');
  clock
    .command('advance <duration>')
    .description('move time forward: 90 (seconds), 90s, 15m, 1h30m, 2d')
    .action(async (duration: string) => {
      if (!DURATION.test(duration)) throw new UsageError(`not a duration: ${duration} (try 90s, 15m, 1h30m)`);
      const c = await client.post<{ now: string; frozen: boolean; offsetMs: number }>('/clock/advance', { duration });
      print(c, () => clockLine(c));
    });

  const faults = program.command('faults').description('fault and latency rules');
  faults
    .command('add')
    .description('add a rule: one of --delay, --error, --drop, --fail-step')
    .option('--dialect <name>', 'match requests of this dialect')
    .option('--method <verb>', 'match this HTTP method')
    .option('--route <glob>', 'match paths (glob, * only)')
    .option('--job-kind <glob>', 'match job steps of these kinds (vm.*)')
    .option('--step <glob>', 'match job steps by name')
    .option('--delay <ms>', 'effect: delay by ms', positiveInt('delay'))
    .option('--jitter <ms>', 'with --delay: up to this much more', positiveInt('jitter'))
    .option('--error <CODE:message>', 'effect: a vendor-shaped error, e.g. UNAVAILABLE:"maintenance"')
    .option('--drop', 'effect: drop the connection')
    .option('--fail-step <message>', 'effect: fail the job step')
    .option('--count <n>', 'fire this many times, then stop', positiveInt('count'))
    .option('--probability <p>', 'fire with this probability (0-1)', parseFloat)
    .option('--seed <seed>', 'seed of the probability draws')
    .option('--expires <seconds>', 'expire after this many (virtual) seconds', parseFloat)
    .action(async (o: Record<string, string | number | boolean | undefined>) => {
      const effects = [o.delay !== undefined, o.error !== undefined, o.drop === true, o.failStep !== undefined].filter(Boolean).length;
      if (effects !== 1) throw new UsageError('give exactly one effect: --delay, --error, --drop or --fail-step');
      let effect: Record<string, unknown>;
      if (o.delay !== undefined) effect = { type: 'delay', ms: o.delay, ...(o.jitter !== undefined ? { jitterMs: o.jitter } : {}) };
      else if (o.error !== undefined) {
        const [code, ...rest] = String(o.error).split(':');
        effect = { type: 'error', code, message: rest.join(':') || 'injected fault' };
      } else if (o.drop) effect = { type: 'drop' };
      else effect = { type: 'fail_step', message: o.failStep };
      const rule = await client.post<{ id: string }>('/faults', {
        dialect: o.dialect,
        method: o.method,
        route: o.route,
        jobKind: o.jobKind,
        step: o.step,
        effect,
        count: o.count,
        probability: o.probability,
        seed: o.seed,
        expiresInSeconds: o.expires,
      });
      print(rule, () => io.out(`${rule.id}\n`));
    });
  faults.command('list').action(async () => {
    const res = await client.get<{ faults: Record<string, unknown>[] }>('/faults');
    print(res, () =>
      rows(
        res.faults.map((f) => ({ ...f, match: [f.dialect, f.method, f.route, f.jobKind, f.step].filter((x) => x !== null).join(' ') || '*', effect: (f.effect as { type: string }).type })),
        ['id', 'target', 'match', 'effect', 'remaining', 'probability', 'hits'],
      ),
    );
  });
  faults.command('show <id>').description('one rule as JSON, with its hit count').action(async (id: string) => {
    io.out(`${JSON.stringify(await client.get(`/faults/${encodeURIComponent(id)}`), null, 2)}\n`);
  });
  faults
    .command('rm [id]')
    .option('--all', 'delete every rule')
    .action(async (id: string | undefined, o: { all?: boolean }) => {
      if (!id && !o.all) throw new UsageError('give a rule id or --all');
      await client.delete(o.all ? '/faults' : `/faults/${encodeURIComponent(id!)}`);
      if (!json()) io.out(o.all ? 'deleted every rule\n' : `deleted ${id}\n`);
    });

  faults
    .command('domain <kind> <id> <setting>')
    .description('a domain fault, as hardware would report it: host <id> up|down|maintenance|on|off, device <id> online|offline|failed, datastore <id> full|free')
    .action(async (kind: string, id: string, setting: string) => {
      const bodies: Record<string, Record<string, Record<string, unknown>>> = {
        host: { up: { state: 'up' }, down: { state: 'down' }, maintenance: { state: 'maintenance' }, on: { power: 'on' }, off: { power: 'off' } },
        device: { online: { state: 'online' }, offline: { state: 'offline' }, failed: { state: 'failed' } },
        datastore: { full: { full: true }, free: { full: false } },
      };
      const body = Object.hasOwn(bodies, kind) && Object.hasOwn(bodies[kind], setting) ? bodies[kind][setting] : undefined;
      if (!body) throw new UsageError(`give host|device|datastore and a setting: ${Object.entries(bodies).map(([k, v]) => `${k} ${Object.keys(v).join('|')}`).join('; ')}`);
      const res = await client.post<Record<string, unknown>>(`/domain-faults/${kind}s/${encodeURIComponent(id)}`, body);
      print(res, () => io.out(`${kind} ${id}: ${setting}\n`));
    });

  const jobs = program.command('jobs').description('list, step, fail and cancel jobs; pause, resume or step execution');
  jobs
    .command('list')
    .option('--state <state...>', 'queued, running, succeeded, failed, cancelled')
    .option('--kind <kind...>', 'job kinds')
    .option('--limit <n>', 'at most this many', positiveInt('limit'), 20)
    .action(async (o: { state?: string[]; kind?: string[]; limit: number }) => {
      const res = await client.get<{ total: number; jobs: Job[] }>('/jobs', { state: o.state, kind: o.kind, limit: o.limit });
      print(res, () =>
        rows(
          res.jobs.map((j) => ({ ...j, progress: `${j.steps.filter((s) => s.state === 'succeeded').length}/${j.steps.length}`, error: j.errorMessage })),
          ['id', 'kind', 'state', 'progress', 'createdAt', 'error'],
        ),
      );
    });
  jobs.command('show <id>').action(async (id: string) => {
    const job = await client.get<Job>(`/jobs/${encodeURIComponent(id)}`);
    print(job, () => {
      io.out(`${job.id}  ${job.kind}  ${job.state}${job.errorMessage ? `  ${job.errorMessage}` : ''}\n`);
      for (const s of job.steps) io.out(`  ${s.state.padEnd(10)} ${s.name}\n`);
    });
  });
  jobs
    .command('step <id>')
    .description('manual mode: let the job run more steps')
    .option('-n, --steps <n>', 'how many', positiveInt('steps'), 1)
    .action(async (id: string, o: { steps: number }) => {
      const res = await client.post<{ job: Job; granted: number; mode: string }>(`/jobs/${encodeURIComponent(id)}/step`, { steps: o.steps });
      print(res, () => io.out(`granted ${res.granted} step(s) to ${id} (mode ${res.mode})\n`));
    });
  jobs
    .command('fail <id>')
    .option('-m, --message <text>', 'error message', 'failed from the control plane')
    .action(async (id: string, o: { message: string }) => {
      const job = await client.post<Job>(`/jobs/${encodeURIComponent(id)}/fail`, { message: o.message });
      print(job, () => io.out(`${job.id} ${job.state}: ${job.errorMessage}\n`));
    });
  jobs.command('cancel <id>').action(async (id: string) => {
    const job = await client.post<Job>(`/jobs/${encodeURIComponent(id)}/cancel`);
    print(job, () => io.out(`${job.id} cancel requested (${job.state})\n`));
  });
  for (const [name, description] of [
    ['pause', 'hold every job before its next step'],
    ['resume', 'back to normal execution'],
    ['manual', 'run job steps only when told (jobs step <id>)'],
  ] as const) {
    jobs
      .command(name)
      .description(description)
      .action(async () => {
        const res = await client.post<{ mode: string }>(`/jobs/${name}`);
        print(res, () => io.out(`execution mode ${res.mode}\n`));
      });
  }
  jobs.command('mode').action(async () => {
    const res = await client.get<{ mode: string }>('/jobs/execution');
    print(res, () => io.out(`${res.mode}\n`));
  });

  const journal = program.command('journal').description("the gateway's recent dialect requests");
  journal
    .command('tail')
    .option('-n, --lines <n>', 'entries to show', positiveInt('lines'), 20)
    .option('--dialect <name>', 'only this dialect')
    .option('--status <status>', 'only this status (404) or class (5xx)')
    .option('--path <text>', 'only paths containing this text (an object id)')
    .option('--job <id>', 'only the request that started this job')
    .option('--object <id>', 'only requests whose jobs affect this object, or whose path names it')
    .option('-f, --follow', 'keep printing new entries (Ctrl-C to stop)')
    .addOption(new Option('--interval <ms>', 'poll interval with --follow').argParser(positiveInt('interval')).default(1000).hideHelp())
    .action(async (o: { lines: number; dialect?: string; status?: string; path?: string; job?: string; object?: string; follow?: boolean; interval: number }) => {
      const filters = { dialect: o.dialect, status: o.status, path: o.path, job: o.job, object: o.object };
      type Entry = { seq: number; at: string; dialect: string; method: string; path: string; status: number; latencyMs: number; principal: string | null; jobIds?: string[] };
      const show = (entries: Entry[]): void => {
        for (const e of [...entries].reverse()) {
          if (json()) io.out(`${JSON.stringify(e)}\n`);
          else io.out(`${e.at} ${e.dialect} ${e.method} ${e.path} ${e.status} ${e.latencyMs}ms ${e.principal ?? '-'}${e.jobIds?.length ? ` jobs=${e.jobIds.join(',')}` : ''}\n`);
        }
      };
      const first = await client.get<{ entries: Entry[] }>('/journal', { limit: Math.max(1, o.lines), ...filters });
      show(o.lines ? first.entries : []);
      if (!o.follow) return;
      let after = first.entries[0]?.seq ?? 0;
      for (;;) {
        await new Promise((r) => setTimeout(r, o.interval));
        const next = await client.get<{ entries: Entry[] }>('/journal', { after, limit: 1000, ...filters });
        if (next.entries.length) after = next.entries[0].seq;
        show(next.entries);
      }
    });
  journal
    .command('bodies <on|off>')
    .description('keep request bodies in the journal (secrets redacted, 4 KiB each), or stop')
    .action(async (state: string) => {
      if (state !== 'on' && state !== 'off') throw new UsageError('say on or off');
      const res = await client.put<{ captureBodies: boolean }>('/journal/settings', { captureBodies: state === 'on' });
      print(res, () => io.out(`request bodies ${res.captureBodies ? 'captured' : 'not captured'}\n`));
    });
  journal.command('clear').action(async () => {
    await client.delete('/journal');
    if (!json()) io.out('journal cleared\n');
  });

  return program;
}
