import { Rosetta, TestDatabase, createTestDatabase, startRosetta } from '@rosetta/testing';

const HOUR = 3_600_000;

describe('snapshots carry the fault rules and the clock', () => {
  let db: TestDatabase;
  let rosetta: Rosetta;
  beforeAll(async () => {
    db = await createTestDatabase();
    rosetta = await startRosetta({ databaseUrl: db.url, fixture: 'demo', env: { ROSETTA_HEKETI_AUTH: 'false' } });
  });
  afterAll(async () => {
    await rosetta.stop();
    await db.drop();
  });
  beforeEach(async () => {
    await rosetta.control.reset('demo');
    await rosetta.control.clock.real();
  });
  const hello = () => fetch(`${rosetta.urls.heketi}/hello`);

  it('save records them, restore puts them back (remaining counts and frozen time as they stood)', async () => {
    const frozen = await rosetta.control.clock.freeze();
    const rule = await rosetta.control.faults.add({ dialect: 'heketi', route: '/hello', effect: { type: 'error', code: 'UNAVAILABLE', message: 'down' }, count: 2 });
    const saved = await rosetta.control.snapshots.save('with-control');
    expect(saved.control).toEqual({ faultRules: 1, clock: { frozenAtMs: Date.parse(frozen.now), offsetMs: 0 } });
    expect((await rosetta.control.snapshots.list()).find((s) => s.name === 'with-control')?.control?.faultRules).toBe(1);

    expect((await hello()).status).toBe(500);
    await rosetta.control.faults.add({ dialect: 'heketi', route: '/clusters', effect: { type: 'drop' } });
    await rosetta.control.clock.advance('3h');
    const restored = await rosetta.control.snapshots.restore('with-control');
    expect(restored.restored.control?.faultRules).toBe(1);

    // The very next request sees the restored rule with both of its firings left, then none.
    const rules = await rosetta.control.faults.list();
    expect(rules.map((r) => [r.id, r.remaining, r.hits])).toEqual([[rule.id, 2, 0]]);
    expect((await hello()).status).toBe(500);
    expect((await hello()).status).toBe(500);
    expect((await hello()).status).toBe(200);
    expect((await fetch(`${rosetta.urls.heketi}/clusters`)).status).toBe(200);
    expect(await rosetta.control.clock.get()).toEqual({ now: frozen.now, frozen: true, offsetMs: expect.any(Number) });
    // A rule added after the restore does not reuse a restored rule's sequence number.
    const later = await rosetta.control.faults.add({ dialect: 'nova', effect: { type: 'delay', ms: 1 } });
    expect(later.seq).toBeGreaterThan(rules[0].seq);
  });

  it('a snapshot taken in real time with no rules returns to real time and clears rules', async () => {
    await rosetta.control.snapshots.save('plain', { replace: true });
    await rosetta.control.clock.freeze();
    await rosetta.control.clock.advance('2d');
    await rosetta.control.faults.add({ dialect: 'heketi', route: '/hello', effect: { type: 'drop' } });
    const { restored } = await rosetta.control.snapshots.restore('plain');
    expect(restored.control).toEqual({ faultRules: 0, clock: expect.objectContaining({ frozenAtMs: null }) });
    expect(await rosetta.control.faults.list()).toEqual([]);
    const clock = await rosetta.control.clock.get();
    expect(clock.frozen).toBe(false);
    expect(Math.abs(Date.parse(clock.now) - Date.now())).toBeLessThan(HOUR);
    expect((await hello()).status).toBe(200);
  });

  it('export and import keep them; a document without them (older Rosetta) imports and leaves them alone', async () => {
    await rosetta.control.clock.freeze();
    await rosetta.control.faults.add({ jobKind: 'volume.create', effect: { type: 'fail_step', message: 'disk gone' } });
    await rosetta.control.snapshots.save('exported', { replace: true });
    const text = await rosetta.control.snapshots.export('exported');
    const doc = JSON.parse(text) as { tables: Record<string, unknown[]> };
    expect(doc.tables.fault_rules).toHaveLength(1);
    expect(doc.tables.clock_state).toHaveLength(1);
    const copy = await rosetta.control.snapshots.import(text, { name: 'exported-copy', replace: true });
    expect(copy.control?.faultRules).toBe(1);

    const { fault_rules: _rules, clock_state: _clock, ...domainOnly } = doc.tables;
    const old = await rosetta.control.snapshots.import({ ...doc, tables: domainOnly }, { name: 'old-format', replace: true });
    expect(old.control).toBeUndefined();
    expect(old.rows).toBe(copy.rows);
    await rosetta.control.faults.clear();
    const keep = await rosetta.control.faults.add({ dialect: 'lustre', effect: { type: 'delay', ms: 5 } });
    const advanced = await rosetta.control.clock.advance('5h');
    await rosetta.control.snapshots.restore('old-format');
    expect((await rosetta.control.faults.list()).map((r) => r.id)).toEqual([keep.id]);
    expect((await rosetta.control.clock.get()).now).toBe(advanced.now);

    await rosetta.control.snapshots.restore('exported-copy');
    expect((await rosetta.control.faults.list()).map((r) => r.jobKind)).toEqual(['volume.create']);
    await expect(rosetta.control.snapshots.import({ ...doc, tables: { ...doc.tables, fault_rules: 'x' } as never })).rejects.toMatchObject({ status: 400, code: 'VALIDATION' });
  });
});
