import { Knex } from 'knex';
import { createDatabase, ensureDatabase, migrate } from './database';
import { startEmbeddedPostgres } from './embedded-postgres';

export interface OpenDatabaseOptions {
  /** PostgreSQL to use; when absent an embedded server is started under dataDir. */
  url?: string;
  dataDir: string;
  migrate: boolean;
  poolMax?: number;
}

export interface OpenDatabase {
  knex: Knex;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenDatabase> {
  const embedded = options.url ? undefined : await startEmbeddedPostgres(options.dataDir);
  const url = options.url ?? embedded!.url;
  if (options.url) await ensureDatabase(url);
  const knex = createDatabase({ url, poolMax: options.poolMax });
  try {
    if (options.migrate || embedded) await migrate(knex);
  } catch (err) {
    await knex.destroy();
    await embedded?.stop();
    throw err;
  }
  return {
    knex,
    url,
    embedded: Boolean(embedded),
    async close() {
      await knex.destroy();
      await embedded?.stop();
    },
  };
}
