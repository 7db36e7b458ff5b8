// Nova targets (issue 5): GET /os-aggregates with 500 aggregates, os-hypervisors/detail with 1,000 hosts,
// POST /v3/auth/tokens, and a full `openstack aggregate` round trip (create, add 10 hosts, delete) timed
// against the CLI's own start-up cost (when python3-openstackclient is installed).
const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const { execFileSync } = require('child_process');
const { report, freshDatabase, startProcess, waitHealthy, freePort, load, stop } = require('./lib');

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function call(url, method, headers = {}, body) {
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method, agent, headers: { ...headers, ...(data ? { 'Content-Type': 'application/json', 'Content-Length': data.length } : {}) } },
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

const AUTH = {
  auth: {
    identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password: 'secret' } } },
    scope: { project: { name: 'admin', domain: { name: 'Default' } } },
  },
};

module.exports = async function novaBench() {
  const db = await freshDatabase('nova');
  const fixture = path.join(os.tmpdir(), `nova-bench-${process.pid}.json`);
  fs.writeFileSync(
    fixture,
    JSON.stringify({
      seed: 'nova-bench',
      generate: { sites: 1, clustersPerSite: 10, hostsPerCluster: 100, devicesPerHost: 2, vmsPerHost: 2, datastoresPerCluster: 1 },
    }),
  );
  const [port, identityPort] = [await freePort(), await freePort()];
  const gw = startProcess('apps/gateway/dist/main.js', {
    DATABASE_URL: db.url,
    PORT: String(port),
    ROSETTA_FIXTURE: fixture,
    ROSETTA_STEP_SECONDS: '0',
    ROSETTA_NOVA_IDENTITY_PORT: String(identityPort),
    REDIS_URL: '',
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitHealthy(base);
    const identity = `${base}/openstack/identity/v3`;
    const compute = `${base}/openstack/compute/v2.1`;
    const login = await call(`${identity}/auth/tokens`, 'POST', {}, AUTH);
    const token = login.headers['x-subject-token'];
    const auth = { 'X-Auth-Token': token };
    for (let i = 0; i < 500; i += 25) {
      await Promise.all(
        Array.from({ length: 25 }, (_, j) => call(`${compute}/os-aggregates`, 'POST', auth, { aggregate: { name: `bench-${i + j}` } })),
      );
    }

    const tokens = await load({ url: `${identity}/auth/tokens`, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(AUTH) });
    report('nova POST /v3/auth/tokens', tokens.rps, 'req/s', '>= 1000', tokens.rps >= 1000 && tokens.errors === 0);
    const aggs = await load({ url: `${compute}/os-aggregates`, headers: { ...auth, 'X-OpenStack-Nova-API-Version': '2.81' } });
    report('nova GET /os-aggregates (500 aggregates)', aggs.rps, 'req/s', '>= 500', aggs.rps >= 500 && aggs.errors === 0);
    const hv = await load({ url: `${compute}/os-hypervisors/detail`, headers: auth });
    report('nova GET /os-hypervisors/detail (1,000 hosts)', hv.rps, 'req/s', '>= 100', hv.rps >= 100 && hv.errors === 0);

    if (fs.existsSync('/usr/bin/openstack')) {
      const env = {
        ...process.env,
        OS_AUTH_URL: `http://127.0.0.1:${identityPort}/v3`,
        OS_USERNAME: 'admin',
        OS_PASSWORD: 'secret',
        OS_PROJECT_NAME: 'admin',
        OS_USER_DOMAIN_NAME: 'Default',
        OS_PROJECT_DOMAIN_NAME: 'Default',
        OS_IDENTITY_API_VERSION: '3',
      };
      const cli = (...args) => execFileSync('openstack', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let t = Date.now();
      cli('--version');
      const startup = (Date.now() - t) / 1000;
      const hosts = JSON.parse(cli('hypervisor', 'list', '-f', 'json').toString()).slice(0, 10).map((h) => h['Hypervisor Hostname']);
      t = Date.now();
      cli('aggregate', 'create', 'bench-roundtrip');
      for (const h of hosts) cli('aggregate', 'add', 'host', 'bench-roundtrip', h);
      for (const h of hosts) cli('aggregate', 'remove', 'host', 'bench-roundtrip', h);
      cli('aggregate', 'delete', 'bench-roundtrip');
      const rounds = 2 + 2 * hosts.length;
      const total = (Date.now() - t) / 1000;
      report('nova openstack aggregate round trip (22 commands)', total.toFixed(1), 's', `${rounds} x start-up ${startup.toFixed(2)} s`, undefined);
      report('nova   ... per command (each starts the CLI and logs in)', ((total / rounds) * 1000).toFixed(0), 'ms', `openstack --version ${(startup * 1000).toFixed(0)} ms`, undefined);
    }
  } finally {
    await stop(gw);
    await db.drop();
    fs.rmSync(fixture, { force: true });
  }
};
