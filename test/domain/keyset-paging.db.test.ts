import { CoreError } from '@rosetta/core';
import { TestRuntime, createTestRuntime } from '@rosetta/testing';

describe('keyset paging (ListQuery.afterSeq) in the store', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime({ fixture: 'demo' });
  });
  afterAll(() => rt.close());
  const bySeq = [{ field: 'seq', direction: 'asc' as const }];

  it('narrows the items to rows after the cursor but keeps the total of the whole listing', async () => {
    const all = await rt.services.hosts.list({ order: bySeq });
    expect(all.length).toBeGreaterThan(4);
    const page = await rt.services.hosts.page({ order: bySeq, limit: 2, afterSeq: all[1].seq });
    expect(page.items.map((h) => h.id)).toEqual([all[2].id, all[3].id]);
    expect(page.total).toBe(all.length);
    // Past the end: no items, the same total.
    expect(await rt.services.hosts.page({ order: bySeq, afterSeq: all[all.length - 1].seq })).toEqual({ items: [], total: all.length });
  });

  it('combines with a filter (whose total it leaves alone) and with an offset', async () => {
    const filter = { field: 'name', op: 'startswith' as const, value: 'node-' };
    const matching = await rt.services.hosts.list({ filter, order: bySeq });
    const page = await rt.services.hosts.page({ filter, order: bySeq, afterSeq: matching[0].seq });
    expect(page.total).toBe(matching.length);
    expect(page.items.map((h) => h.id)).toEqual(matching.slice(1).map((h) => h.id));
    const skipped = await rt.services.hosts.list({ filter, order: bySeq, afterSeq: matching[0].seq, offset: 1, limit: 1 });
    expect(skipped.map((h) => h.id)).toEqual([matching[2].id]);
  });

  it('refuses a cursor that is not a non-negative integer', async () => {
    for (const afterSeq of [-1, 1.5, Number.NaN]) {
      const err = await rt.services.hosts.page({ afterSeq }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CoreError);
      expect((err as CoreError).code).toBe('VALIDATION');
    }
  });
});
