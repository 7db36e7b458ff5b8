import { Rosetta, TestDatabase, createTestDatabase, startRosetta } from '@rosetta/testing';

interface Vm {
  id: string;
  seq: number;
  name: string;
}
interface VmPage {
  total: number;
  items: Vm[];
  next: number | null;
}

describe('GET /_rosetta/objects/{kind}: offset and keyset pages, kept rendered until a write', () => {
  let db: TestDatabase;
  let rosetta: Rosetta;
  const page = async (query: string): Promise<VmPage> => {
    const res = await fetch(`${rosetta.url}/_rosetta/objects/vms?${query}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    return (await res.json()) as VmPage;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    // 1 site x 2 clusters x 3 hosts x 5 VMs = 30 VMs.
    const fixture = { seed: 'paging', generate: { sites: 1, clustersPerSite: 2, hostsPerCluster: 3, devicesPerHost: 1, vmsPerHost: 5, datastoresPerCluster: 1 } };
    rosetta = await startRosetta({ databaseUrl: db.url, fixture });
  });
  afterAll(async () => {
    await rosetta.stop();
    await db.drop();
  });

  it('walks every VM by keyset in the same order as by offset, with the whole total on each page', async () => {
    const byOffset: Vm[] = [];
    for (let offset = 0; offset < 30; offset += 7) byOffset.push(...(await page(`limit=7&offset=${offset}`)).items);
    const byKeyset: Vm[] = [];
    let after: number | null = 0;
    const totals = new Set<number>();
    while (after !== null) {
      const p: VmPage = await page(`limit=7&after=${after}`);
      byKeyset.push(...p.items);
      totals.add(p.total);
      after = p.next;
    }
    expect(byOffset).toHaveLength(30);
    expect(byKeyset.map((v) => v.id)).toEqual(byOffset.map((v) => v.id));
    expect([...totals]).toEqual([30]);
    expect(byKeyset.map((v) => v.seq)).toEqual([...byKeyset.map((v) => v.seq)].sort((a, b) => a - b));
    // A last page exactly full still names a next cursor; the page after it is empty and ends the walk.
    const last = await page('limit=10&offset=20');
    expect(last.next).toBe(last.items[9].seq);
    expect(await page(`limit=10&after=${last.next}`)).toEqual({ total: 30, items: [], next: null });
  });

  it('is what the typed control client pages with', async () => {
    const first = await rosetta.control.objects<Vm>('vms', { limit: 4, hostId: (await rosetta.services.hosts.list({ limit: 1 }))[0].id });
    expect(first.total).toBe(5);
    const rest = await rosetta.control.objects<Vm>('vms', { limit: 4, after: first.next!, hostId: (await rosetta.services.hosts.list({ limit: 1 }))[0].id });
    expect(rest).toMatchObject({ total: 5, next: null });
    expect([...first.items, ...rest.items].map((v) => v.seq)).toEqual([1, 2, 3, 4, 5].map((i) => first.items[0].seq + i - 1));
  });

  it('keeps the filter and its total when paging by keyset', async () => {
    const first = await page('limit=2&name=vm-00001');
    expect(first.total).toBe(10); // vm-000010 .. vm-000019
    const second = await page(`limit=2&name=vm-00001&after=${first.next}`);
    expect(second.total).toBe(10);
    expect(second.items.map((v) => v.name)).toEqual(['vm-000012', 'vm-000013']);
  });

  it('serves a kept page until any process writes the table', async () => {
    const before = await page('limit=3');
    expect(await page('limit=3')).toEqual(before);
    // A write through the core (this process) ...
    await rosetta.services.vms.update(before.items[0].id, { name: 'renamed-here' });
    expect((await page('limit=3')).items[0].name).toBe('renamed-here');
    // ... and one by another process on the same database (plain SQL here).
    await db.knex('vms').where({ id: before.items[1].id }).update({ name: 'renamed-elsewhere' });
    expect((await page('limit=3')).items[1].name).toBe('renamed-elsewhere');
    await db.knex('vms').where({ id: before.items[2].id }).delete();
    const after = await page('limit=3');
    expect(after.total).toBe(29);
    expect(after.items.map((v) => v.id)).not.toContain(before.items[2].id);
  });

  it('pages kinds without a change stamp straight from the database, and refuses bad paging', async () => {
    expect(await (await fetch(`${rosetta.url}/_rosetta/objects/backups?after=0`)).json()).toEqual({ total: 0, items: [], next: null });
    for (const [query, field] of [
      ['after=5&offset=5', 'after'],
      ['after=-1', 'after'],
      ['after=x', 'after'],
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['offset=-3', 'offset'],
    ]) {
      const res = await fetch(`${rosetta.url}/_rosetta/objects/vms?${query}`);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; details: { fields: { field: string }[] } } };
      expect(body.error.code).toBe('VALIDATION');
      expect(body.error.details.fields[0].field).toBe(field);
    }
    expect((await fetch(`${rosetta.url}/_rosetta/objects/nonsense?after=1`)).status).toBe(404);
  });
});
