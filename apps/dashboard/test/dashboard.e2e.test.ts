/**
 * The ops dashboard end to end: a real gateway on real PostgreSQL serving the built dashboard,
 * driven by Debian's headless Chromium through playwright-core. No sleeps: every wait is for a
 * selector or a text the page shows once the live stream (or a control call) has delivered it.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import pino from 'pino';
import request from 'supertest';
import { BrowserContext, Page, chromium } from 'playwright-core';
import { loadConfig } from '@rosetta/config';
import { TestDatabase, createTestDatabase } from '@rosetta/testing';
import { Gateway, startGateway } from '@rosetta/gateway';

const CHROMIUM = '/usr/bin/chromium';
const BUILT = path.resolve(__dirname, '../dist/index.html');
const ARTIFACTS = path.resolve(__dirname, '../../../test-artifacts/dashboard');

jest.setTimeout(60_000);

describe('ops dashboard in headless Chromium', () => {
  let db: TestDatabase;
  let gateway: Gateway;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  /** Every URL the page asked for, to show it needs no external network. */
  const requested: string[] = [];
  const api = () => request(gateway.url);
  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  const testId = (id: string) => page.getByTestId(id);

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: apt-get install chromium (listed in .ci/apt-packages)`);
    if (!fs.existsSync(BUILT)) throw new Error(`the dashboard is not built (${BUILT} is missing): run npm run build, which npm test does first`);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    process.stdout.write(`dashboard screenshots: ${ARTIFACTS}\n`);
    db = await createTestDatabase();
    gateway = await startGateway(
      loadConfig({ DATABASE_URL: db.url, HOST: '127.0.0.1', PORT: '0', ROSETTA_FIXTURE: 'demo', ROSETTA_STEP_SECONDS: '0', ROSETTA_HEKETI_AUTH: 'false' }),
      pino({ level: 'silent' }),
    );
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'rosetta-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1440, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
    page.on('request', (r) => requested.push(r.url()));
  });

  afterAll(async () => {
    await context?.close();
    await gateway?.close();
    await db?.drop();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });

  it('loads the demo topology, searches by a dialect id form and shows a host with its devices and VMs', async () => {
    await page.goto(`${gateway.url}/_rosetta/ui/`);
    await testId('live-status').filter({ hasText: 'live' }).waitFor();
    await testId('count-hosts').filter({ hasText: /^9$/ }).waitFor();
    await testId('count-vms').filter({ hasText: /^6$/ }).waitFor();
    await testId('scope-tree').getByText('dc1').waitFor();

    // A host with VMs, found by its Heketi-form id (32 hex digits) through the search box.
    const vm = (await api().get('/_rosetta/objects/vms?limit=1').expect(200)).body.items[0];
    const host = (await api().get(`/_rosetta/objects/hosts/${vm.hostId}`).expect(200)).body;
    await testId('topology-search').fill(host.id.replace(/-/g, ''));
    const rows = testId('host-table').locator('[data-row]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="host-table"] [data-row]').length === 1);
    await rows.first().getByText(host.name, { exact: true }).click();
    await expectText(testId('host-name'), host.name);
    await testId('vm-table').getByText(vm.name, { exact: true }).waitFor();
    const devices = (await api().get(`/_rosetta/objects/devices?hostId=${host.id}&limit=1`).expect(200)).body.total;
    expect(await testId('device').count()).toBe(devices);

    await testId('topology-search').fill('');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="host-table"] [data-row]').length === 9);
    await shot('topology');
  });

  it('adds a fault rule from the form: the next matching vendor request fails and the hit count rises', async () => {
    await page.goto(`${gateway.url}/_rosetta/ui/#/controls`);
    const form = testId('fault-form');
    await form.locator('select[name=dialect]').selectOption('heketi');
    await form.locator('select[name=method]').selectOption('GET');
    await form.locator('input[name=route]').fill('/hello');
    await form.locator('select[name=code]').selectOption('UNAVAILABLE');
    await form.locator('input[name=message]').fill('injected from the dashboard test');
    await form.locator('input[name=count]').fill('1');
    await testId('fault-add').click();
    const row = testId('fault-row').filter({ hasText: 'heketi GET /hello' });
    await row.waitFor();
    await expectText(row.getByTestId('fault-hits'), '0');

    const failed = await api().get('/heketi/hello');
    // Heketi answers every server-side failure with a 500 and the message as plain text.
    expect(failed.status).toBe(500);
    expect(failed.text).toContain('injected from the dashboard test');
    await expectText(row.getByTestId('fault-hits'), '1');
    await api().get('/heketi/hello').expect(200);
    await shot('controls');

    // The failed request is in the live journal, found by its status class.
    await page.goto(`${gateway.url}/_rosetta/ui/#/traffic`);
    await testId('traffic-status').selectOption('5xx');
    const failedRow = testId('journal-row').filter({ hasText: '/heketi/hello' });
    await failedRow.first().waitFor();
    expect(await failedRow.count()).toBe(1);
    expect(await failedRow.first().textContent()).toContain('500');
    await testId('traffic-status').selectOption('');
    await testId('latency-table').getByText('heketi').waitFor();
    await shot('traffic');

    await page.goto(`${gateway.url}/_rosetta/ui/#/controls`);
    await row.getByTestId('fault-remove').click();
    await row.waitFor({ state: 'detached' });
    expect((await api().get('/_rosetta/faults').expect(200)).body.faults).toHaveLength(0);
  });

  it('advancing the clock moves the timestamps the page shows', async () => {
    await page.goto(`${gateway.url}/_rosetta/ui/#/controls`);
    await testId('clock-freeze').click();
    await expectText(testId('clock-state'), 'frozen');
    const before = await frozenClock(page);
    await testId('clock-advance-1h').click();
    await expectText(testId('clock-now'), stamp(before + 3_600_000));
    await expectText(testId('clock-panel-now'), stamp(before + 3_600_000));
    await testId('clock-amount').fill('1d');
    await testId('clock-advance').click();
    await expectText(testId('clock-now'), stamp(before + 25 * 3_600_000));
    const server = (await api().get('/_rosetta/clock').expect(200)).body;
    expect(server.frozen).toBe(true);
    expect(stamp(Date.parse(server.now))).toBe(stamp(before + 25 * 3_600_000));
  });

  it('a job started through a vendor API appears live, steps in manual mode and completes; Fail and Cancel end held jobs', async () => {
    await page.goto(`${gateway.url}/_rosetta/ui/#/jobs`);
    await testId('mode-manual').click();
    await expectText(testId('mode-badge'), 'manual');

    const created = await api().post('/heketi/volumes').send({ size: 1 }).expect(202);
    const [entry] = (await api().get('/_rosetta/journal?path=/heketi/volumes&limit=1').expect(200)).body.entries;
    const jobId = entry.jobIds[0] as string;
    expect(created.headers.location).toContain(jobId.replace(/-/g, ''));
    const job = (await api().get(`/_rosetta/jobs/${jobId}`).expect(200)).body;
    expect(job.steps.length).toBeGreaterThan(1);

    // It appears without a reload, held before its first step.
    const row = testId('job-table').locator(`[data-row="${jobId}"]`);
    await row.waitFor();
    await expectText(row.getByTestId('job-progress'), `0/${job.steps.length}`);
    await row.click();
    await expectText(testId('job-detail-kind'), job.kind);
    await testId('job-step').click();
    await expectText(row.getByTestId('job-progress'), `1/${job.steps.length}`);
    await shot('jobs');

    await testId('mode-normal').click();
    await expectText(testId(`job-state-${jobId}`), 'succeeded');
    await expectText(testId('job-detail-state'), 'succeeded');
    await expectText(row.getByTestId('job-progress'), `${job.steps.length}/${job.steps.length}`);
    expect((await api().get(`/_rosetta/jobs/${jobId}`).expect(200)).body.state).toBe('succeeded');

    // Fail and Cancel from the detail panel end held jobs.
    await testId('mode-manual').click();
    await expectText(testId('mode-badge'), 'manual');
    const held = async (): Promise<string> => {
      await api().post('/heketi/volumes').send({ size: 1 }).expect(202);
      const id = (await api().get('/_rosetta/journal?path=/heketi/volumes&limit=1').expect(200)).body.entries[0].jobIds[0] as string;
      await testId('job-table').locator(`[data-row="${id}"]`).click();
      await testId('job-detail').getByText(id, { exact: true }).waitFor();
      return id;
    };
    const toFail = await held();
    await page.getByLabel('failure message').fill('disk pulled in the test');
    await testId('job-fail').click();
    await expectText(testId(`job-state-${toFail}`), 'failed');
    expect((await api().get(`/_rosetta/jobs/${toFail}`).expect(200)).body).toMatchObject({ state: 'failed', errorMessage: 'disk pulled in the test' });
    const toCancel = await held();
    await testId('job-cancel').click();
    await testId('mode-normal').click();
    await expectText(testId(`job-state-${toCancel}`), 'cancelled');
    expect((await api().get(`/_rosetta/jobs/${toCancel}`).expect(200)).body.state).toBe('cancelled');

    // The volume's bricks now show on their host in the topology, with the device space they took.
    const bricks = (await api().get(`/_rosetta/objects/bricks?volumeId=${job.affected[0].id}`).expect(200)).body;
    expect(bricks.total).toBeGreaterThan(0);
    const brick = bricks.items[0];
    const brickHost = (await api().get(`/_rosetta/objects/hosts/${brick.hostId}`).expect(200)).body;
    await page.goto(`${gateway.url}/_rosetta/ui/#/topology`);
    await testId('topology-search').fill(brickHost.name);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="host-table"] [data-row]').length === 1);
    await testId('host-table').locator(`[data-row="${brickHost.id}"]`).click();
    await testId('brick-table').getByText(brick.path, { exact: true }).waitFor();
    const device = (await api().get(`/_rosetta/objects/devices/${brick.deviceId}`).expect(200)).body;
    expect(device.usedBytes).toBeGreaterThan(0);
    await testId('device').filter({ hasText: device.name }).getByText(/ used · /).waitFor();
    await shot('topology-bricks');
  });

  it('shows per-farm power and hosts on/off', async () => {
    await page.goto(`${gateway.url}/_rosetta/ui/#/consolidation`);
    await testId('farm-dc1').waitFor();
    await testId('power-source').filter({ hasNotText: 'Looking' }).waitFor();
    const on = (await api().get(`/_rosetta/objects/hosts?power=on&limit=1`).expect(200)).body.total;
    const off = (await api().get(`/_rosetta/objects/hosts?power=off&limit=1`).expect(200)).body.total;
    expect(on).toBe(8);
    await expectText(testId('farm-on-dc1'), String(on));
    await expectText(testId('farm-off-dc1'), String(off));
    await testId('farm-chart-dc1').locator('canvas').waitFor();

    // Power a host without VMs off: the farm's figures follow live, and the next sample records it.
    const hosts = (await api().get('/_rosetta/objects/hosts?power=on&limit=100').expect(200)).body.items as { id: string }[];
    let idle: string | undefined;
    for (const h of hosts) if (!idle && (await api().get(`/_rosetta/objects/vms?hostId=${h.id}&limit=1`).expect(200)).body.total === 0) idle = h.id;
    expect(idle).toBeDefined();
    const samplesBefore = Number(await testId('farm-samples-dc1').textContent());
    await api().post(`/_rosetta/domain-faults/hosts/${idle}`).send({ power: 'off' }).expect(200);
    await expectText(testId('farm-on-dc1'), String(on - 1));
    await expectText(testId('farm-off-dc1'), String(off + 1));
    await api().post('/_rosetta/clock/advance').send({ duration: '10m' }).expect(200);
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="farm-samples-dc1"]')?.textContent) > n, samplesBefore, { timeout: 20_000 });
    await shot('consolidation');
  });

  it('saves and restores a snapshot and resets to a fixture from the Controls view; no request ever left the gateway', async () => {
    await page.goto(`${gateway.url}/_rosetta/ui/#/controls`);
    await testId('snapshot-name').fill('before-maintenance');
    await testId('snapshot-save').click();
    const row = page.locator('[data-testid="snapshot-row"][data-name="before-maintenance"]');
    await row.waitFor();
    const saved = (await api().get('/_rosetta/snapshots/before-maintenance').expect(200)).body;
    expect(await row.locator('td').nth(2).textContent()).toBe(saved.rows.toLocaleString('en'));

    const host = (await api().get('/_rosetta/objects/hosts?state=up&limit=1').expect(200)).body.items[0];
    await api().post(`/_rosetta/domain-faults/hosts/${host.id}`).send({ state: 'maintenance' }).expect(200);
    expect((await api().get(`/_rosetta/objects/hosts/${host.id}`).expect(200)).body.state).toBe('maintenance');
    await row.getByTestId('snapshot-restore').click();
    await expectText(testId('snapshot-done'), 'restore done');
    expect((await api().get(`/_rosetta/objects/hosts/${host.id}`).expect(200)).body.state).toBe('up');
    await shot('controls-snapshots');

    // Reset and seed: the domain is replaced by the chosen fixture, the fault rules removed.
    await api().post('/_rosetta/faults').send({ dialect: 'nova', effect: { type: 'delay', ms: 1 } }).expect(201);
    await api().post(`/_rosetta/domain-faults/hosts/${host.id}`).send({ state: 'down' }).expect(200);
    page.once('dialog', (dialog) => void dialog.accept());
    await testId('reset-panel').getByLabel('fixture').selectOption('demo');
    await testId('reset').click();
    await testId('reset-panel').getByText(/^Loaded demo: /).waitFor();
    expect((await api().get('/_rosetta/faults').expect(200)).body.faults).toHaveLength(0);
    expect((await api().get('/_rosetta/objects/hosts?limit=1').expect(200)).body.total).toBe(9);
    expect((await api().get(`/_rosetta/objects/hosts/${host.id}`).expect(200)).body.state).toBe('up');

    // Everything the page loaded over the whole suite came from the gateway (no external network):
    // its own files under /_rosetta/ui/, and otherwise only routes of the documented control API.
    expect(requested.length).toBeGreaterThan(10);
    expect(requested.filter((u) => !u.startsWith(`${gateway.url}/_rosetta/`) && !u.startsWith('data:'))).toEqual([]);
    const documented = Object.keys((await api().get('/_rosetta/openapi.json').expect(200)).body.paths as Record<string, unknown>).map(
      (p) => new RegExp(`^/_rosetta${p.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    );
    const apiCalls = requested.filter((u) => u.startsWith(`${gateway.url}/_rosetta/`) && !u.startsWith(`${gateway.url}/_rosetta/ui/`)).map((u) => new URL(u).pathname);
    expect(apiCalls.length).toBeGreaterThan(10);
    expect(apiCalls.filter((p) => !documented.some((re) => re.test(p)))).toEqual([]);
  });
});

/** The clock the page shows while frozen, in ms since the epoch. */
async function frozenClock(page: Page): Promise<number> {
  const text = (await page.getByTestId('clock-now').textContent()) ?? '';
  const ms = Date.parse(`${text.trim().replace(' ', 'T')}Z`);
  if (!Number.isFinite(ms)) throw new Error(`the page shows no clock: ${JSON.stringify(text)}`);
  return ms;
}

/** The page's clock format: 2026-12-01 11:40:05 (UTC). */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

async function expectText(locator: ReturnType<Page['getByTestId']>, text: string): Promise<void> {
  try {
    await locator.filter({ hasText: new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) }).waitFor();
  } catch (err) {
    throw new Error(`expected ${locator} to read ${JSON.stringify(text)}, it reads ${JSON.stringify(await locator.first().textContent().catch(() => null))}: ${(err as Error).message}`);
  }
}
