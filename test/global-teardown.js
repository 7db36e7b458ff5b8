/** Drops every database this run created and stops the embedded server, if one was started. */
const knexFactory = require('knex');

module.exports = async () => {
  const runId = process.env.ROSETTA_TEST_RUN;
  const adminUrl = process.env.ROSETTA_TEST_ADMIN_URL;
  if (runId && adminUrl) {
    const knex = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
    try {
      const { rows } = await knex.raw('SELECT datname FROM pg_database WHERE datname LIKE ?', [`rosetta_test_${runId}_%`]);
      for (const { datname } of rows) await knex.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
    } finally {
      await knex.destroy();
    }
  }
  if (process.env.REDIS_URL && process.env.ROSETTA_TEST_REDIS_PREFIX) {
    const IORedis = require('ioredis');
    const redis = new IORedis(process.env.REDIS_URL, { lazyConnect: true });
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${process.env.ROSETTA_TEST_REDIS_PREFIX}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    } catch {
      // Redis gone already: nothing to clean.
    } finally {
      redis.disconnect();
    }
  }
  const pg = globalThis.__ROSETTA_EMBEDDED_PG__;
  if (pg) await pg.stop();
};
