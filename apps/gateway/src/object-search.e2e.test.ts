import request from 'supertest';
import { TestDatabase, startTestGateway } from '@rosetta/testing';
import { Gateway } from './gateway';

/** GET /_rosetta/objects/{kind}: the search and narrowing the dashboard's topology view pages with. */
describe('control plane object search and filters', () => {
  let db: TestDatabase;
  let gateway: Gateway;
  const get = (path: string) => request(gateway.url).get(`/_rosetta/objects/${path}`);

  beforeAll(async () => {
    ({ db, gateway } = await startTestGateway({ ROSETTA_HEKETI_AUTH: 'false' }));
  });
  afterAll(async () => {
    await gateway.close();
    await db.drop();
  });

  it('q finds an object by name or by its id in every dialect form (UUID, 32 hex digits, integer)', async () => {
    const hosts = (await get('hosts?limit=1000').expect(200)).body.items as { id: string; seq: number; name: string }[];
    const host = hosts[4];
    for (const q of [host.id, host.id.toUpperCase(), host.id.replace(/-/g, ''), String(host.seq)]) {
      const found = (await get(`hosts?q=${encodeURIComponent(q)}`).expect(200)).body;
      expect({ q, ids: found.items.map((h: { id: string }) => h.id) }).toEqual({ q, ids: [host.id] });
    }
    const byName = (await get(`hosts?q=${host.name.toUpperCase()}`).expect(200)).body;
    expect(byName.items.map((h: { name: string }) => h.name)).toContain(host.name);
    expect((await get('hosts?q=no-such-host-anywhere').expect(200)).body).toMatchObject({ total: 0, items: [] });
  });

  it('narrows by reference and state fields, with "null" for an unset reference', async () => {
    const vm = (await get('vms?limit=1').expect(200)).body.items[0];
    const onHost = (await get(`vms?hostId=${vm.hostId}&limit=1000`).expect(200)).body;
    expect(onHost.items.length).toBeGreaterThan(0);
    expect(onHost.items.every((v: { hostId: string }) => v.hostId === vm.hostId)).toBe(true);
    expect(onHost.total).toBeLessThan((await get('vms?limit=1').expect(200)).body.total);

    const all = (await get('hosts?limit=1000').expect(200)).body.items as { clusterId: string | null; state: string; power: string }[];
    expect((await get('hosts?clusterId=null&limit=1').expect(200)).body.total).toBe(all.filter((h) => h.clusterId === null).length);
    expect((await get('hosts?state=down&limit=1').expect(200)).body.total).toBe(all.filter((h) => h.state === 'down').length);
    expect((await get('hosts?power=off&limit=1').expect(200)).body.total).toBe(all.filter((h) => h.power === 'off').length);
    // A malformed id matches nothing rather than failing.
    expect((await get('vms?hostId=not-a-uuid').expect(200)).body.total).toBe(0);
  });

  it('pages bricks and targets, and refuses a filter the kind does not have in the control error shape', async () => {
    await request(gateway.url).post('/heketi/volumes').send({ size: 1 }).expect(202);
    let bricks = { total: 0, items: [] as { id: string; hostId: string; path: string }[] };
    for (let i = 0; i < 100 && bricks.total === 0; i++) {
      bricks = (await get('bricks').expect(200)).body;
      if (!bricks.total) await new Promise((r) => setTimeout(r, 50));
    }
    expect(bricks.total).toBeGreaterThan(0);
    const brick = bricks.items[0];
    expect((await get(`bricks?hostId=${brick.hostId}`).expect(200)).body.items.map((b: { id: string }) => b.id)).toContain(brick.id);
    expect((await get(`bricks/${brick.id}`).expect(200)).body.path).toBe(brick.path);
    // Bricks have no name: q finds them by id (here in Heketi's form), name is refused.
    expect((await get(`bricks?q=${brick.id.replace(/-/g, '')}`).expect(200)).body.items.map((b: { id: string }) => b.id)).toEqual([brick.id]);
    expect((await get('bricks?q=brick').expect(200)).body.total).toBe(0);
    expect((await get('bricks?name=brick').expect(400)).body.error).toMatchObject({ code: 'VALIDATION' });
    await get('bricks/00000000-0000-0000-0000-000000000000').expect(404);
    expect((await get('targets').expect(200)).body).toMatchObject({ total: expect.any(Number), items: expect.any(Array) });

    const refused = (await get('vms?power=on').expect(400)).body;
    expect(refused.error).toMatchObject({ code: 'VALIDATION' });
    await get('no-such-kind').expect(404);
  });
});
