import fs from 'fs/promises';
import os from 'os';
import path from 'path';
import pino from 'pino';
import { loadConfig } from '@rosetta/config';
import { loadTopology, Services } from '@rosetta/core';
import { ControlClient, createControlClient } from '@rosetta/control';
import { DIALECTS, Gateway, startGateway } from '@rosetta/gateway';

/** The dialects a Rosetta instance serves, by the names used in its URLs table. */
export type DialectName = 'omnistack' | 'lustre' | 'nova-identity' | 'nova-compute' | 'eco4cloud' | 'heketi';

export interface StartRosettaOptions {
  /**
   * What the domain starts with: 'demo' (default), 'empty', 'large', another name in examples/,
   * a fixture file path, or a fixture document (object).
   */
  fixture?: string | object;
  /**
   * PostgreSQL to use (the database is created if missing and migrated; a domain already in it is
   * kept, as `npm start` keeps it: `control.reset(fixture)` replaces it). Default: an embedded
   * PostgreSQL of this instance's own, in a temporary directory removed by stop().
   */
  databaseUrl?: string;
  /** Scale of job step durations: 0 (default) instant, 1 realistic. */
  stepSeconds?: number;
  /** Require this bearer token on the control plane (the returned client sends it). */
  adminToken?: string;
  /** Any other setting, by its environment variable name (e.g. ROSETTA_HEKETI_AUTH: 'false'). */
  env?: Record<string, string>;
  /** pino level of the gateway's log (stdout); default 'silent'. */
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export interface Rosetta {
  /** Base URL of the shared port, e.g. http://127.0.0.1:40123. */
  url: string;
  /** Where each dialect's own paths start: give it to a vendor client as its server URL. */
  urls: Record<DialectName, string>;
  /** Each dialect's API entry (urls plus the vendor's API root, e.g. Keystone's /v3). */
  entries: Record<DialectName, string>;
  /** The control plane (/_rosetta), typed. */
  control: ControlClient;
  /** The core services, for arranging state without HTTP. */
  services: Services;
  /** The underlying gateway (runtime, express app), for what the rest does not cover. */
  gateway: Gateway;
  /** This instance's temporary directory (embedded database, TLS material); removed by stop(). */
  dataDir: string;
  /** Closes the listeners, the job runner and the database (and removes an embedded one). */
  stop(): Promise<void>;
}

const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/**
 * Starts Rosetta in this process on a random port, with a database of its own and jobs run
 * in-process (no Redis): the whole gateway, as `npm start` composes it.
 * Like moto's ThreadedMotoServer(port=0) or vcsim's simulator.Test.
 */
export async function startRosetta(options: StartRosettaOptions = {}): Promise<Rosetta> {
  const fixture = options.fixture ?? 'demo';
  const document = typeof fixture === 'object' ? fixture : undefined;
  const logLevel = options.logLevel ?? 'silent';
  if (!LOG_LEVELS.has(logLevel)) throw new Error(`logLevel must be one of ${[...LOG_LEVELS].join(', ')}`);
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'rosetta-'));
  const removeDataDir = () => fs.rm(dataDir, { recursive: true, force: true });
  let gateway: Gateway;
  try {
    const settings: Record<string, string> = {
      ...options.env,
      HOST: '127.0.0.1',
      PORT: '0',
      ROSETTA_DATA_DIR: dataDir,
      ROSETTA_FIXTURE: typeof fixture === 'string' ? fixture : 'empty',
      ROSETTA_STEP_SECONDS: String(options.stepSeconds ?? 0),
      ROSETTA_MIGRATE: 'true',
      LOG_LEVEL: logLevel,
    };
    // In-process jobs and a database of its own, whatever the caller's environment says.
    delete settings.REDIS_URL;
    delete settings.DATABASE_URL;
    if (options.databaseUrl) settings.DATABASE_URL = options.databaseUrl;
    if (options.adminToken) settings.ROSETTA_ADMIN_TOKEN = options.adminToken;
    const config = loadConfig(settings);
    gateway = await startGateway(config, pino({ level: logLevel }));
  } catch (err) {
    await removeDataDir();
    throw err;
  }
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopped ??= gateway.close().finally(removeDataDir));
  try {
    // Like a named fixture (and `npm start`), a document goes only into an empty database.
    const { repos } = gateway.runtime.store;
    if (document && (await repos.sites.count()) === 0 && (await repos.jobs.count()) === 0) await loadTopology(gateway.runtime.store, document);
  } catch (err) {
    await stop();
    throw err;
  }
  const urls = {} as Record<DialectName, string>;
  const entries = {} as Record<DialectName, string>;
  for (const dialect of DIALECTS) {
    urls[dialect.name as DialectName] = `${gateway.url}${dialect.prefix}`;
    entries[dialect.name as DialectName] = `${gateway.url}${dialect.prefix}${dialect.entry}`;
  }
  return {
    url: gateway.url,
    urls,
    entries,
    control: createControlClient(gateway.url, { adminToken: options.adminToken }),
    services: gateway.runtime.services,
    gateway,
    dataDir,
    stop,
  };
}
