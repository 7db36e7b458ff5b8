import { randomBytes } from 'crypto';
import knexFactory, { Knex } from 'knex';
import { createDatabase } from '@rosetta/store';

export interface TestDatabase {
  url: string;
  knex: Knex;
  drop(): Promise<void>;
}

/** A database of this test's own, cloned from the run's migrated template (see test/global-setup.js). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.ROSETTA_TEST_ADMIN_URL;
  const template = process.env.ROSETTA_TEST_TEMPLATE;
  const runId = process.env.ROSETTA_TEST_RUN;
  if (!adminUrl || !template || !runId) throw new Error('run tests through jest (npm test): the global setup prepares the database');
  const name = `rosetta_test_${runId}_${randomBytes(4).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
  try {
    await admin.raw('CREATE DATABASE ?? TEMPLATE ??', [name, template]);
  } finally {
    await admin.destroy();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const knex = createDatabase({ url: url.toString(), poolMax: 6 });
  return {
    url: url.toString(),
    knex,
    async drop() {
      await knex.destroy();
      const a = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
      try {
        await a.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
      } finally {
        await a.destroy();
      }
    },
  };
}

/** A Redis key prefix of this test's own. */
export const testRedisPrefix = (): string => `${process.env.ROSETTA_TEST_REDIS_PREFIX ?? 'rosetta-test'}-${randomBytes(4).toString('hex')}`;
