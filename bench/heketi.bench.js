// Heketi targets (issue 7): GET /volumes/{id} throughput and p99 at 50 connections, POST /volumes to its
// 303 with instant steps, a 100 nodes x 10 devices topology loaded over REST.
// With HEKETI_BENCH_URL (e.g. http://127.0.0.1:8080/heketi) it measures a running gateway instead, signing
// with HEKETI_BENCH_ADMIN_KEY (default "My Secret"); otherwise it builds its own router on a fresh database.
// The GET figures come from autocannon in a process of its own (see load in lib.js), as any client of a real Heketi would be.
const path = require('path');
const http = require('http');
const crypto = require('crypto');
const { ROOT, DATABASE_URL, report, load, inProcessDialect, runIfMain } = require('./lib');

const jwt = require(path.join(ROOT, 'node_modules/jsonwebtoken'));

function signer(base, key) {
  const prefix = new URL(base).pathname.replace(/\/$/, '');
  // A key object made once: given a string, jsonwebtoken parses it as a PEM key on every sign,
  // which cost the client more CPU than the server spent on the request (Go's client signs with
  // raw bytes).
  const secret = crypto.createSecretKey(Buffer.from(key));
  return (method, p) => {
    const now = Math.floor(Date.now() / 1000);
    const qsh = crypto.createHash('sha256').update(`${method}&${prefix}${p}`).digest('hex');
    return `bearer ${jwt.sign({ iss: 'admin', iat: now, exp: now + 600, qsh }, secret, { algorithm: 'HS256' })}`;
  };
}

function call(base, sign, method, p, body) {
  const url = new URL(base.replace(/\/$/, '') + p);
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method, agent: keepAlive, headers: { Authorization: sign(method, p), ...(data ? { 'Content-Length': data.length } : {}) } },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** The Go client's loop: follow the 202 to its outcome, polling at once and then every 5 ms. */
async function settle(base, sign, res) {
  if (res.status !== 202) throw new Error(`expected 202, got ${res.status}: ${res.text}`);
  const prefix = new URL(base).pathname.replace(/\/$/, '');
  const loc = res.headers.location.slice(prefix.length);
  for (;;) {
    const q = await call(base, sign, 'GET', loc);
    if (q.status !== 200 || !q.headers['x-pending']) return q;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Figures that hold whatever else the machine runs (the sandbox is shared): SQL statements per
 * operation and the server's CPU per request. Only measurable in process (probe undefined against
 * a running gateway).
 */
function probeOf(knex) {
  let statements = 0;
  knex.on('query', () => statements++);
  return { statements: () => statements, cpuMs: () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; } };
}

async function measure(base, key, probe) {
  const sign = signer(base, key);
  const prefix = new URL(base).pathname.replace(/\/$/, '');

  const t0 = Date.now();
  const cluster = JSON.parse((await call(base, sign, 'POST', '/clusters', { block: true, file: true })).text).id;
  const tag = crypto.randomBytes(3).toString('hex');
  const nodes = [];
  for (let i = 0; i < 100; i++) {
    const res = await settle(base, sign, await call(base, sign, 'POST', '/nodes', {
      zone: (i % 3) + 1,
      hostnames: { manage: [`bench-${tag}-${i}.example.test`], storage: [`bench-${tag}-${i}.storage.test`] },
      cluster,
    }));
    nodes.push(res.headers.location.split('/').pop());
  }
  const devices = [];
  for (const node of nodes) for (let d = 0; d < 10; d++) devices.push({ node, name: `/dev/sd${String.fromCharCode(98 + d)}` });
  const deviceStatements = probe?.statements();
  const deviceCpu = probe?.cpuMs();
  for (let i = 0; i < devices.length; i += 10) {
    await Promise.all(devices.slice(i, i + 10).map(async (d) => settle(base, sign, await call(base, sign, 'POST', '/devices', d))));
  }
  const loadS = (Date.now() - t0) / 1000;
  report('topology load over REST, 100 nodes x 10 devices', loadS.toFixed(2), 's', '< 10 s', loadS < 10);
  if (probe) {
    report('  SQL statements per device add (request, job, polls)', ((probe.statements() - deviceStatements) / devices.length).toFixed(1), '', '(was 23)');
    report('  CPU per device add (server, job runner and client)', ((probe.cpuMs() - deviceCpu) / devices.length).toFixed(2), 'ms', '(reference)');
  }

  const times = [];
  let volume;
  for (let i = 0; i < 30; i++) {
    const s = process.hrtime.bigint();
    const done = await settle(base, sign, await call(base, sign, 'POST', '/volumes', { size: 1, clusters: [cluster], durability: { type: 'replicate', replicate: { replica: 3 } } }));
    times.push(Number(process.hrtime.bigint() - s) / 1e6);
    volume = done.headers.location.split('/').pop();
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  report('POST /volumes (replica 3) to its 303: median', median.toFixed(1), 'ms', '< 50 ms', median < 50);

  const hello = await load({ url: `${base.replace(/\/$/, '')}/hello`, duration: 5 });
  report('GET /hello (no auth, no database): throughput', hello.rps, 'req/s', '(reference)');
  report('GET /hello at 50 connections: p99', hello.p99, 'ms', '(reference)');
  const list = await load({ url: `${base.replace(/\/$/, '')}/volumes`, headers: { Authorization: sign('GET', '/volumes') }, duration: 5 });
  report('GET /volumes (30 volumes): throughput', list.rps, 'req/s', '(reference)');
  const before = probe && { statements: probe.statements(), cpuMs: probe.cpuMs() };
  const one = await load({ url: `${base.replace(/\/$/, '')}/volumes/${volume}`, headers: { Authorization: sign('GET', `/volumes/${volume}`) } });
  if (probe) {
    const served = one.total;
    report('  GET /volumes/{id}: server CPU per request', ((1000 * (probe.cpuMs() - before.cpuMs)) / served).toFixed(0), 'us', '(reference)');
    report('  GET /volumes/{id}: SQL statements per request', ((probe.statements() - before.statements) / served).toFixed(3), '', '(shared stamp reads)');
  }
  report('GET /volumes/{id} at 50 connections: throughput', one.rps, 'req/s', '>= 3,000', one.rps >= 3000);
  report('GET /volumes/{id} at 50 connections: p99', one.p99, 'ms', '< 20 ms', one.p99 < 20);
  if (one.errors) report('GET /volumes/{id}: errors', one.errors, '', '0', false);
  return prefix;
}

module.exports = async function heketi() {
  if (process.env.HEKETI_BENCH_URL) {
    process.stdout.write(`\n# heketi (gateway ${process.env.HEKETI_BENCH_URL})\n`);
    await measure(process.env.HEKETI_BENCH_URL, process.env.HEKETI_BENCH_ADMIN_KEY || 'My Secret');
    return;
  }
  process.stdout.write(`\n# heketi (in-process router, PostgreSQL ${DATABASE_URL.replace(/\/\/[^@]*@/, '//')})\n`);
  const { createHeketiRouter } = require(path.join(ROOT, 'packages/dialect-heketi/dist'));
  const rt = await inProcessDialect('heketi');
  try {
    const base = await rt.serve(
      '/heketi',
      createHeketiRouter({
        ...rt.deps,
        settings: {
          auth: true,
          adminKey: 'bench',
          userKey: 'bench-user',
          iatLeewaySeconds: 120,
          maxInflightOperations: 64,
          deviceSizeGb: 500,
          zoneChecking: 'none',
          defaultState: 'normal',
          preRequestVolumeOptions: '',
          postRequestVolumeOptions: '',
          autoCreateBlockHostingVolume: false,
          blockHostingVolumeSizeGb: 1024,
        },
      }),
    );
    await measure(base, 'bench', probeOf(rt.knex));
  } finally {
    await rt.close();
  }
};

runIfMain(module, module.exports);
