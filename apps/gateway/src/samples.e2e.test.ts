import request from 'supertest';
import { TestDatabase, startTestGateway } from '@rosetta/testing';
import { Gateway } from './gateway';

/**
 * The embedded gateway stores a performance sample of the whole domain every ROSETTA_SAMPLE_SECONDS
 * of clock time; GET /_rosetta/samples/power sums a site's hosts per instant for dashboards.
 * Two 100-300 W hosts, one of them off: each point is one host on, one off, at least 100 W.
 */
const FARM = {
  seed: 'e2e-samples',
  sites: [
    {
      name: 'sampled_farm',
      clusters: [
        {
          name: 'sampled_cluster',
          hosts: [
            { name: 'sampled_on', cpuCores: 8, memoryGiB: 32, powerIdleWatts: 100, powerMaxWatts: 300, vms: [{ name: 'sampled_vm', state: 'running', cpuCount: 4, memoryMiB: 4096 }] },
            { name: 'sampled_off', power: 'off', powerIdleWatts: 100, powerMaxWatts: 300 },
          ],
        },
      ],
    },
    { name: 'quiet_farm', clusters: [{ name: 'quiet_cluster', hosts: [{ name: 'quiet_host' }] }] },
  ],
};

interface Point {
  at: string;
  watts: number;
  hostsOn: number;
  hostsOff: number;
}

let db: TestDatabase;
let gateway: Gateway;
let farmId: string;

beforeAll(async () => {
  ({ db, gateway } = await startTestGateway({ ROSETTA_FIXTURE: 'empty', ROSETTA_SAMPLE_SECONDS: '60' }));
  await request(gateway.url).post('/_rosetta/fixture').send(FARM).expect(201);
  await request(gateway.url).post('/_rosetta/clock/freeze').expect(200);
  const sites = (await request(gateway.url).get('/_rosetta/objects/sites').expect(200)).body.items as { id: string; name: string }[];
  farmId = sites.find((s) => s.name === 'sampled_farm')!.id;
});
afterAll(async () => {
  await gateway.close();
  await db.drop();
});

const power = (query: string) => request(gateway.url).get(`/_rosetta/samples/power${query}`);

async function pointsAfterAdvances(n: number): Promise<Point[]> {
  let points: Point[] = [];
  for (let i = 0; i < n; i++) {
    await request(gateway.url).post('/_rosetta/clock/advance').send({ duration: '1m' }).expect(200);
    const end = Date.now() + 10_000;
    // The sampler wakes on the advance and writes the instant; wait for it to commit.
    while ((points = (await power(`?site=${farmId}`).expect(200)).body.points).length < i + 1) {
      if (Date.now() > end) throw new Error(`no sample after advance ${i + 1}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return points;
}

test('one point per sampling instant, summed over the site, ascending', async () => {
  const points = await pointsAfterAdvances(3);
  expect(points).toHaveLength(3);
  for (const p of points) {
    expect(Object.keys(p).sort()).toEqual(['at', 'hostsOff', 'hostsOn', 'watts']);
    expect(p.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);
    expect(p).toMatchObject({ hostsOn: 1, hostsOff: 1 });
    expect(p.watts).toBeGreaterThanOrEqual(100);
    expect(p.watts).toBeLessThanOrEqual(300);
  }
  const times = points.map((p) => Date.parse(p.at));
  expect(times).toEqual([...times].sort((a, b) => a - b));
  expect(times[2] - times[1]).toBe(60_000);

  // A window narrows the series: since and until are inclusive.
  const narrow = (await power(`?site=${farmId}&since=${points[1].at}&until=${points[2].at}`).expect(200)).body.points as Point[];
  expect(narrow.map((p) => p.at)).toEqual([points[1].at, points[2].at]);
  expect((await power(`?site=${farmId}&since=${new Date(times[2] + 1).toISOString()}`).expect(200)).body).toEqual({ points: [] });
  // An offset works too, even with its + left unencoded (it arrives as a space).
  const plusOne = new Date(times[1] + 3_600_000).toISOString().slice(0, 19);
  expect((await power(`?site=${farmId}&since=${plusOne}+01:00`).expect(200)).body.points.map((p: Point) => p.at)).toEqual([points[1].at, points[2].at]);
  // Without since/until, the last hour of clock time; each site counts only its own hosts.
  const quiet = (await request(gateway.url).get('/_rosetta/objects/sites').expect(200)).body.items.find((s: { name: string }) => s.name === 'quiet_farm');
  expect((await power(`?site=${quiet.id}`).expect(200)).body.points.map((p: Point) => [p.hostsOn, p.hostsOff])).toEqual([
    [1, 0],
    [1, 0],
    [1, 0],
  ]);
});

test('bad input gets the control plane error shape', async () => {
  const missing = await power('').expect(400);
  expect(missing.body.error).toMatchObject({ code: 'VALIDATION', details: { fields: [{ field: 'site' }] } });
  expect(missing.body.error.requestId).toEqual(expect.any(String));
  expect((await power('?site=farm-1').expect(400)).body.error.details.fields).toEqual([{ field: 'site', problem: 'must be a uuid' }]);
  expect((await power(`?site=${farmId}&site=${farmId}`).expect(400)).body.error.code).toBe('VALIDATION');
  expect((await power('?site=00000000-0000-4000-8000-000000000000').expect(404)).body.error).toMatchObject({ code: 'NOT_FOUND' });
  expect((await power(`?site=${farmId}&since=yesterday`).expect(400)).body.error.details.fields[0].field).toBe('since');
  expect((await power(`?site=${farmId}&until=2026-13-45T99:00:00Z`).expect(400)).body.error.details.fields[0].field).toBe('until');
  expect((await power(`?site=${farmId}&since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z`).expect(400)).body.error.code).toBe('VALIDATION');
});

test('the route is in the OpenAPI document', async () => {
  const doc = (await request(gateway.url).get('/_rosetta/openapi.json').expect(200)).body;
  expect(doc.paths['/samples/power'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['site', 'since', 'until']);
});
