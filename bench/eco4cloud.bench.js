// Eco4Cloud targets (issue 6): consolidation planning round, Host/get and Vm/get?page=N throughput.
const fs = require('fs');
const path = require('path');
const { ROOT, DATABASE_URL, report, freshDatabase, load, get } = require('./lib');

module.exports = async function eco4cloud() {
  process.stdout.write(`\n# eco4cloud (PostgreSQL ${DATABASE_URL.replace(/\/\/[^@]*@/, '//')})\n`);
  const db = await freshDatabase('e4c');
  const { createDatabase, migrate, createKnexStore } = require(path.join(ROOT, 'packages/store/dist'));
  const core = require(path.join(ROOT, 'packages/core/dist'));
  const { requestId } = require(path.join(ROOT, 'packages/http/dist'));
  const { createEco4CloudRouter } = require(path.join(ROOT, 'packages/dialect-eco4cloud/dist'));
  const express = require('express');
  const pino = require('pino');
  const knex = createDatabase({ url: db.url, poolMax: 20 });
  let server;
  try {
    await migrate(knex);
    const clock = new core.ControllableClock();
    const store = createKnexStore({ knex, now: () => clock.now() });
    const summary = await core.loadTopology(store, JSON.parse(fs.readFileSync(path.join(ROOT, 'examples/large.json'), 'utf8')));
    // Jobs are recorded, not run: the figure is the planning round itself.
    const queue = { enqueue: async () => undefined, close: async () => undefined };
    const services = core.createServices({ store, clock, ids: new core.RandomIds(), queue, stepScale: 0 });
    const [site] = await services.sites.list();
    await services.consolidation.configure('site', site.name, { consolidationOn: true, powerOffMinUptime: 0 });
    const t0 = process.hrtime.bigint();
    const round = await services.consolidation.runRound(site.id);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    report(
      `consolidation round, ${summary.hosts} hosts / ${summary.vms} VMs (${round.plan.moves.length} moves)`,
      s.toFixed(2),
      's',
      '< 5 s',
      s < 5,
    );

    const app = express();
    app.use(requestId());
    app.use(
      createEco4CloudRouter({
        services,
        faults: core.NO_FAULTS,
        logger: pino({ level: 'silent' }),
        bodyLimitBytes: 1024 * 1024,
        users: [{ name: 'admin', password: 'admin', readOnly: false }],
        ticketMinutes: 60,
        ticketSecret: 'bench',
      }),
    );
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const base = `http://127.0.0.1:${server.address().port}`;
    const { ticket } = JSON.parse((await get(`${base}/api/Login?username=admin&password=admin`)).body);
    const headers = { ticket };

    const full = await load({ url: `${base}/api/Host/get`, headers, connections: 4, duration: 5 });
    report('Host/get, all 1,000 hosts with performance: throughput', full.rps, 'req/s', '>= 100', full.rps >= 100);
    let n = 0;
    const hostPages = await load({
      url: base,
      headers,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/Host/get?page=${(n++ % 50) + 1}` }) }],
    });
    report('Host/get?page=N (20 of 1,000 hosts): throughput', hostPages.rps, 'req/s', '(reference)');
    const byName = await load({
      url: base,
      headers,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/Host/get?name=host-${String((n++ % 1000) + 1).padStart(4, '0')}` }) }],
    });
    report('Host/get?name=X (1 of 1,000 hosts): throughput', byName.rps, 'req/s', '(reference)');
    const vmPages = await load({
      url: base,
      headers,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/Vm/get?page=${((n++ * 97) % 2500) + 1}` }) }],
    });
    report('Vm/get?page=N (20 of 50,000 VMs): throughput', vmPages.rps, 'req/s', '>= 2,000', vmPages.rps >= 2000);
    report('Vm/get?page=N: p99', vmPages.p99, 'ms', '(reference)');
  } finally {
    if (server) await new Promise((r) => server.close(r));
    await knex.destroy();
    await db.drop();
  }
};
