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

export function createDatabase({ url, poolMax = 10 }: DatabaseOptions): Knex {
  return knexFactory({
    client: 'pg',
    connection: url,
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
