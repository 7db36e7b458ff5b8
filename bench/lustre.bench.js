// Lustre targets (issue 4): GET /api/target/?filesystem_id=1&limit=0 with 5,000 targets (>= 50 req/s),
// GET /api/host/?limit=20 (>= 2,000 req/s), and a filesystem create (1 MGT, 1 MDT, 8 OSTs) through to
// `available` with instant steps (< 2 s), with the SQL queries it issued counted.
// Builds its own router on a fresh database (100 hosts x 52 devices generated).
const path = require('path');
const http = require('http');
const { ROOT, DATABASE_URL, report, load, inProcessDialect, runIfMain } = require('./lib');

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
function call(base, method, p, body, headers = {}) {
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(base + p), { method, agent, headers: { 'Content-Type': 'application/json', ...headers, ...(data ? { 'Content-Length': data.length } : {}) } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

module.exports = async function lustre() {
  process.stdout.write(`\n# lustre (in-process router, PostgreSQL ${DATABASE_URL.replace(/\/\/[^@]*@/, '//')})\n`);
  const { createLustreRouter } = require(path.join(ROOT, 'packages/dialect-lustre/dist'));
  const rt = await inProcessDialect('lustre');
  const { core, knex, store } = rt;
  let queries = 0;
  knex.on('query', () => queries++);
  try {
    await core.loadTopology(store, { seed: 'lustre-bench', generate: { sites: 1, clustersPerSite: 1, hostsPerCluster: 100, devicesPerHost: 52, vmsPerHost: 0, datastoresPerCluster: 1 } });
    // 5,000 targets in one filesystem, written straight to the store: the bench measures reads.
    const devices = await store.repos.devices.list({ order: [{ field: 'seq', direction: 'asc' }] });
    const fs = await store.repos.filesystems.insert({ name: 'bigfs', state: 'available' });
    const rows = devices.slice(0, 5000).map((d, i) => ({
      kind: i === 0 ? 'MGT' : i === 1 ? 'MDT' : 'OST',
      index: i < 2 ? 0 : i - 2,
      filesystemId: i === 0 ? null : fs.id,
      name: i === 0 ? 'MGS' : i === 1 ? 'bigfs-MDT0000' : `bigfs-OST${(i - 2).toString(16).padStart(4, '0')}`,
      deviceId: d.id,
      hostId: d.hostId,
      state: 'mounted',
    }));
    await store.repos.targets.insertMany(rows);
    // A target occupies its whole device, as the service would have recorded.
    await knex('devices').whereIn('id', rows.map((r) => r.deviceId)).update({ used_bytes: knex.ref('size_bytes') });
    const mgt = (await store.repos.targets.list({ filter: { field: 'kind', op: 'eq', value: 'MGT' } }))[0];
    await store.repos.filesystems.update(fs.id, { mgtId: mgt.id });
    const base = await rt.serve(
      '/lustre',
      createLustreRouter({
        ...rt.deps,
        lustre: { users: [{ username: 'admin', password: 'lustre', groups: ['superusers'] }], allowAnonymousRead: true, sessionSecret: 'bench', sessionTtlSeconds: 3600 },
      }),
    );

    // Round trips per request, which the machine's load does not change: a page built afresh, then served from cache.
    for (const [label, p] of [['host page (20 hosts)', '/api/host/?limit=20'], ['target page (1,000 targets)', `/api/target/?filesystem_id=${fs.seq}&limit=0`]]) {
      const q0 = queries;
      await call(base, 'GET', p);
      const miss = queries - q0;
      await call(base, 'GET', p);
      report(`  SQL round trips, ${label}: built / cached`, `${miss} / ${queries - q0 - miss}`, 'queries', '(reference)');
    }
    const targets = await load({ url: `${base}/api/target/?filesystem_id=${fs.seq}&limit=0`, duration: 5, connections: 8 });
    report('GET /api/target/?filesystem_id=N&limit=0 (5,000 targets, 1,000 per page)', targets.rps, 'req/s', '>= 50', targets.rps >= 50 && targets.errors === 0);
    const hosts = await load({ url: `${base}/api/host/?limit=20`, duration: 5 });
    report('GET /api/host/?limit=20: throughput', hosts.rps, 'req/s', '>= 2,000', hosts.rps >= 2000 && hosts.errors === 0);

    const session = await call(base, 'GET', '/api/session/');
    const csrf = /csrftoken=([^;]+)/.exec(session.headers['set-cookie'].join(';'))[1];
    const sid = /sessionid=([^;]+)/.exec(session.headers['set-cookie'].join(';'))[1];
    const login = await call(base, 'POST', '/api/session/', { username: 'admin', password: 'lustre' }, { Cookie: `csrftoken=${csrf}; sessionid=${sid}`, 'X-CSRFToken': csrf });
    const cookie = `csrftoken=${csrf}; ${/sessionid=[^;]+/.exec(login.headers['set-cookie'].join(';'))[0]}`;
    const free = (await call(base, 'GET', '/api/volume/?category=usable&limit=0')).json().objects;
    const start = Date.now();
    const before = queries;
    const created = await call(base, 'POST', '/api/filesystem/', {
      name: 'benchfs',
      conf_params: {},
      mgt: { volume_id: free[0].id },
      mdts: [{ volume_id: free[1].id, conf_params: {} }],
      osts: free.slice(2, 10).map((v) => ({ volume_id: v.id, conf_params: {} })),
    }, { Cookie: cookie, 'X-CSRFToken': csrf });
    if (created.status !== 202) throw new Error(`filesystem create: ${created.status} ${created.text}`);
    const fsUri = created.json().filesystem.resource_uri.replace('/lustre', '');
    for (;;) {
      const state = (await call(base, 'GET', fsUri)).json().state;
      if (state === 'available') break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const seconds = (Date.now() - start) / 1000;
    report('filesystem create (1 MGT, 1 MDT, 8 OSTs) to available', seconds.toFixed(2), 's', '< 2 s', seconds < 2);
    report('  SQL queries issued (create, job, polls)', queries - before, 'queries', '(reference)');
  } finally {
    await rt.close();
  }
};

runIfMain(module, module.exports);
