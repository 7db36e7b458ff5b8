import path from 'path';
import knexFactory, { Knex } from 'knex';
import { types } from 'pg';

// bigint columns (sequence numbers, byte counts) fit in a double well past a petabyte.
types.setTypeParser(types.builtins.INT8, (v) => Number(v));

export const MIGRATIONS_DIR = path.resolve(__dirname, '../../../migrations');

export interface DatabaseOptions {
  url: string;
  poolMax?: number;
}

/**
 * Every session plans its statements for the tables as they are now. PostgreSQL otherwise keeps a
 * generic plan per session for the foreign-key checks and trigger statements after their fifth run:
 * made while a table was nearly empty (a fresh domain's jobs, bricks, backups), it stays a sequential
 * scan as the table grows, until autovacuum next analyzes it. Measured: recording 4,000 jobs scanned
 * 17 million job rows and took 52 % longer. Options in the URL's own `options` parameter win.
 */
const SESSION_OPTIONS = '-c plan_cache_mode=force_custom_plan';

/**
 * For a bulk load's transaction: its tables are filled parent first, so a per-row foreign-key
 * check planned once stays right, and planning it for each of 50,000 rows cost 1.2-1.9 s.
 */
export const REUSE_PLANS = 'SET LOCAL plan_cache_mode = auto';

export function createDatabase({ url, poolMax = 10 }: DatabaseOptions): Knex {
  return knexFactory({
    client: 'pg',
    connection: { connectionString: url, options: SESSION_OPTIONS },
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: 10_000,
  });
}

/** Applies pending migrations. knex's migration lock keeps two processes from racing. */
export async function migrate(knex: Knex, directory = MIGRATIONS_DIR): Promise<string[]> {
  const [, applied] = await knex.migrate.latest({ directory, loadExtensions: ['.js'] });
  return applied as string[];
}

/** Creates the database named in url if it does not exist (connecting to `postgres`). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) return;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const knex = knexFactory({ client: 'pg', connection: admin.toString(), pool: { min: 0, max: 1 } });
  try {
    const { rows } = await knex.raw('SELECT 1 FROM pg_database WHERE datname = ?', [name]);
    if (rows.length === 0) {
      await knex.raw('CREATE DATABASE ??', [name]).catch((err: { code?: string }) => {
        if (err.code !== '42P04') throw err; // created meanwhile by another process
      });
    }
  } finally {
    await knex.destroy();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const knex = knexFactory({ client: 'pg', connection: admin.toString(), pool: { min: 0, max: 1 } });
  try {
    await knex.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
  } finally {
    await knex.destroy();
  }
}
