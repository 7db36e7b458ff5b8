// Eco4Cloud targets (issue 6): consolidation planning round, sampling 50,000 VMs, Host/get and Vm/get?page=N throughput.
const fs = require('fs');
const path = require('path');
const http = require('http');
const { ROOT, DATABASE_URL, report, freshDatabase, load, listenLikeGateway, get } = require('./lib');

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

    // The worker's sampler: one instant of every host, VM and datastore, computed and written in batches.
    const t1 = process.hrtime.bigint();
    const run = await services.samples.sampleNow();
    const sampleS = Number(process.hrtime.bigint() - t1) / 1e9;
    report(`sampling instant, ${run.rows} samples (${summary.vms} VMs): duration`, sampleS.toFixed(2), 's', '(reference)');
    report('sampling instant: rows written per second', Math.round(run.rows / sampleS), 'rows/s', '(reference)');
    // The gets below read this stored instant (as they do once a worker has sampled).

    const app = express();
    // As the gateway serves every dialect (apps/gateway): no ETag hashing of each body, no X-Powered-By.
    app.disable('x-powered-by');
    app.set('etag', false);
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
    server = await listenLikeGateway(app);
    const base = `http://127.0.0.1:${server.address().port}`;
    const { ticket } = JSON.parse((await get(`${base}/api/Login?username=admin&password=admin`)).body);
    const headers = { ticket };

    const full = await load({ url: `${base}/api/Host/get`, headers, connections: 4, duration: 5 });
    report('Host/get, all 1,000 hosts with performance: throughput', full.rps, 'req/s', '>= 100', full.rps >= 100);
    const hostPages = await load({
      url: base,
      headers,
      paths: Array.from({ length: 50 }, (_, i) => `/api/Host/get?page=${i + 1}`),
    });
    report('Host/get?page=N (20 of 1,000 hosts): throughput', hostPages.rps, 'req/s', '(reference)');
    const byName = await load({
      url: base,
      headers,
      paths: Array.from({ length: 1000 }, (_, i) => `/api/Host/get?name=host-${String(i + 1).padStart(4, '0')}`),
    });
    report('Host/get?name=X (1 of 1,000 hosts): throughput', byName.rps, 'req/s', '(reference)');
    // Every page once, nothing kept yet: what a client walking the inventory after a change pays.
    // One page first, so the once-per-change reads (the VM order, the run's 50,000 samples) are
    // not counted in the per-page figure.
    await new Promise((resolve, reject) =>
      http.get(`${base}/api/Vm/get?page=1`, { headers }, (res) => res.resume().on('end', resolve)).on('error', reject),
    );
    const firstVisits = await load({
      url: base,
      headers,
      amount: 2500,
      paths: Array.from({ length: 2500 }, (_, i) => `/api/Vm/get?page=${((i + 1) % 2500) + 1}`),
    });
    report('Vm/get?page=N, each of 2,500 pages once (first visits)', firstVisits.rps, 'req/s', '(reference)');
    const vmPages = await load({
      url: base,
      headers,
      paths: Array.from({ length: 2500 }, (_, i) => `/api/Vm/get?page=${((i * 97) % 2500) + 1}`),
    });
    // The same 2,500 pages again, nothing changed since: what a client polling the inventory pays.
    report('Vm/get?page=N (20 of 50,000 VMs), pages served before', vmPages.rps, 'req/s', '>= 2,000', vmPages.rps >= 2000);
    report('Vm/get?page=N: p99', vmPages.p99, 'ms', '(reference)');
  } finally {
    if (server) await new Promise((r) => server.close(r));
    await knex.destroy();
    await db.drop();
  }
};
