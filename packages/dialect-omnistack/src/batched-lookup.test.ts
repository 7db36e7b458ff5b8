import { batchedLookup } from './batched-lookup';

describe('batchedLookup', () => {
  it('answers a burst with one read and never from a read that began before the caller asked', async () => {
    const reads: string[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const rows = new Map([['a', { id: 'a', v: 1 }], ['b', { id: 'b', v: 2 }], ['c', { id: 'c', v: 3 }]]);
    const find = batchedLookup(async (ids: string[]) => {
      reads.push(ids);
      // Like a query, the result is what the rows were when it started.
      const result = ids.flatMap((id) => (rows.has(id) ? [{ ...rows.get(id)! }] : []));
      if (reads.length === 1) await gate;
      return result;
    });
    const first = [find('a'), find('b'), find('a'), find('zz')];
    await new Promise((r) => setImmediate(r));
    // Asked while the first read is in flight: waits for the next one.
    const late = find('c');
    rows.set('a', { id: 'a', v: 10 });
    release();
    expect(await Promise.all(first)).toEqual([{ id: 'a', v: 1 }, { id: 'b', v: 2 }, { id: 'a', v: 1 }, undefined]);
    expect(await late).toEqual({ id: 'c', v: 3 });
    expect(reads).toEqual([['a', 'b', 'zz'], ['c']]);
  });

  it('rejects every caller of a failed read, and reads again afterwards', async () => {
    let fail = true;
    const find = batchedLookup(async (ids: string[]) => {
      if (fail) throw new Error('db down');
      return ids.map((id) => ({ id }));
    });
    await expect(Promise.all([find('x'), find('y')])).rejects.toThrow('db down');
    fail = false;
    expect(await find('x')).toEqual({ id: 'x' });
  });

  it('splits a burst larger than the batch size', async () => {
    const sizes: number[] = [];
    const find = batchedLookup(async (ids: string[]) => {
      sizes.push(ids.length);
      return ids.map((id) => ({ id }));
    }, 2);
    expect(await Promise.all(['1', '2', '3', '4', '5'].map(find))).toHaveLength(5);
    expect(sizes).toEqual([2, 2, 1]);
  });
});
