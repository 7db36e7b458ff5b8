import { StampedCache } from './stamped-cache';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('StampedCache', () => {
  it('builds once for concurrent misses on a key under one stamp, again when the stamp moves', async () => {
    const cache = new StampedCache();
    let builds = 0;
    const build = async () => {
      builds++;
      await tick();
      return Buffer.from(`body ${builds}`);
    };
    const bodies = await Promise.all([1, 2, 3].map(() => cache.get('k', 's1', build)));
    expect(builds).toBe(1);
    expect(bodies.map(String)).toEqual(['body 1', 'body 1', 'body 1']);
    expect(String(await cache.get('k', 's1', build))).toBe('body 1');
    expect(String(await cache.get('k', 's2', build))).toBe('body 2');
    expect(String(await cache.get('other', 's2', build))).toBe('body 3');
    expect(builds).toBe(3);
  });

  it('fails the callers that shared a failed build and does not keep it', async () => {
    const cache = new StampedCache();
    let fail = true;
    const build = async () => {
      await tick();
      if (fail) throw new Error('database went away');
      return Buffer.from('ok');
    };
    const results = await Promise.allSettled([1, 2].map(() => cache.get('k', 's', build)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(String(await cache.get('k', 's', build))).toBe('ok');
  });

  it('holds at most its byte budget, oldest bodies leaving first, and never keeps one bigger than it', async () => {
    const cache = new StampedCache(25);
    let builds = 0;
    const body = (bytes: number) => async () => {
      builds++;
      return Buffer.alloc(bytes, 'x');
    };
    await cache.get('a', 's', body(10));
    await cache.get('b', 's', body(10));
    await cache.get('a', 's', body(10));
    await cache.get('b', 's', body(10));
    expect(builds).toBe(2);
    await cache.get('c', 's', body(10));
    expect(builds).toBe(3);
    await cache.get('b', 's', body(10));
    await cache.get('c', 's', body(10));
    expect(builds).toBe(3);
    await cache.get('a', 's', body(10));
    expect(builds).toBe(4);
    expect((await cache.get('huge', 's', body(26))).length).toBe(26);
    await cache.get('huge', 's', body(26));
    expect(builds).toBe(6);
    // The oversized body did not push the others out.
    await cache.get('c', 's', body(10));
    await cache.get('a', 's', body(10));
    expect(builds).toBe(6);
  });
});
