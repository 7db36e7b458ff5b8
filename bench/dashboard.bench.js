// Dashboard at scale (issue 9): the large fixture (1,000 hosts, 50,000 VMs) in headless Chromium.
// What a person waits for: the first view with every count and the host list; scrolling the host
// list to its last row (and how few rows exist in the DOM meanwhile); a host's detail with its VMs;
// a search by VM name. Needs a build (apps/dashboard/dist) and /usr/bin/chromium, like the e2e test.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { performance } = require('perf_hooks');
const { ROOT, REDIS_URL, report, freshDatabase, startProcess, waitHealthy, freePort, get, stop, runIfMain } = require('./lib');

/* global document -- the functions given to page.evaluate / waitForFunction run in the page */

const CHROMIUM = '/usr/bin/chromium';

async function timed(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { ms: Math.round(performance.now() - t0), value };
}

module.exports = async function dashboardBench() {
  if (!fs.existsSync(CHROMIUM) || !fs.existsSync(path.join(ROOT, 'apps/dashboard/dist/index.html'))) {
    process.stdout.write(`skip  dashboard: needs ${CHROMIUM} and a built dashboard (npm run build)\n`);
    return;
  }
  const { chromium } = require('playwright-core');
  const db = await freshDatabase('dashboard');
  const port = await freePort();
  const gw = startProcess('apps/gateway/dist/main.js', { DATABASE_URL: db.url, REDIS_URL, PORT: String(port), ROSETTA_FIXTURE: 'large', LOG_LEVEL: 'error', ROSETTA_REDIS_PREFIX: `bench-ui-${port}` });
  const base = `http://127.0.0.1:${port}`;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'rosetta-bench-chromium-'));
  let context;
  try {
    await waitHealthy(base);
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1440, height: 900 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(60_000);
    const rowsInDom = () => page.evaluate(() => document.querySelectorAll('[data-testid="host-table"] [data-row]').length);

    // A cold page on a fresh gateway: the first request of each kind also warms its caches.
    const first = await timed(async () => {
      await page.goto(`${base}/_rosetta/ui/`);
      await page.getByTestId('count-vms').filter({ hasText: /^\s*50,000\s*$/ }).waitFor();
      await page.getByTestId('count-hosts').filter({ hasText: /^\s*1,000\s*$/ }).waitFor();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="host-table"] [data-row]').length > 10);
    });
    report('dashboard: first view, counts + host list (1,000 hosts, 50,000 VMs)', first.ms, 'ms', '<= 3,000 ms', first.ms <= 3000);

    const hosts = JSON.parse((await get(`${base}/_rosetta/objects/hosts?limit=1&offset=999`)).body).items;
    const lastHost = hosts[0];
    const scroll = await timed(async () => {
      await page.getByTestId('host-table').locator('.vtable-body').evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await page.getByTestId('host-table').locator(`[data-row="${lastHost.id}"]`).waitFor();
    });
    const inDom = await rowsInDom();
    report('dashboard: scroll the host list to the 1,000th host', scroll.ms, 'ms', '<= 500 ms', scroll.ms <= 500);
    report('dashboard: host rows in the DOM at the end of the list', inDom, 'rows', '<= 100 (virtualised)', inDom <= 100);

    const detail = await timed(async () => {
      await page.getByTestId('host-table').locator(`[data-row="${lastHost.id}"]`).click();
      await page.getByTestId('host-name').filter({ hasText: lastHost.name }).waitFor();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="vm-table"] [data-row]').length > 0);
    });
    report("dashboard: a host's detail with its VMs", detail.ms, 'ms', '<= 1,000 ms', detail.ms <= 1000);

    const vm = JSON.parse((await get(`${base}/_rosetta/objects/vms?limit=1&offset=49990`)).body).items[0];
    const search = await timed(async () => {
      await page.getByTestId('topology-search').fill(vm.name);
      await page.getByTestId('search-elsewhere').getByText(`VM ${vm.name}`, { exact: true }).waitFor();
    });
    report('dashboard: search 50,000 VMs by name', search.ms, 'ms', '<= 1,000 ms', search.ms <= 1000);
  } finally {
    await context?.close();
    fs.rmSync(profile, { recursive: true, force: true });
    await stop(gw);
    await db.drop();
  }
};

runIfMain(module, module.exports);
