import request from 'supertest';
import { coalescedReads } from '@rosetta/core';
import { dialectApp } from '@rosetta/testing';
import { createLustreRouter } from '../src';
import { PageCache } from '../src/page-cache';
import { TastypieReply } from '../src/tastypie';
import { SETTINGS, login, lustreApp } from './helpers';

describe('cached list pages', () => {
  let env: Awaited<ReturnType<typeof lustreApp>>;
  // A second gateway on the same database: its writes must reach the first one's cached pages.
  let other: ReturnType<typeof dialectApp>;
  beforeAll(async () => {
    env = await lustreApp();
    other = dialectApp(createLustreRouter({ ...env.rt.deps, lustre: SETTINGS }), '/lustre');
  });
  afterAll(async () => env.rt.close());

  const hosts = async () => {
    const res = await request(env.app).get('/lustre/api/host/?limit=0');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    return res;
  };

  it('serves the same page again, and a fresh one once another gateway or a direct write changes the domain', async () => {
    const first = await hosts();
    expect((await hosts()).text).toBe(first.text);
    const victim = first.body.objects[first.body.objects.length - 1];

    const auth = await login(other);
    expect((await request(other).delete(`/lustre/api/host/${victim.id}/`).set('Cookie', auth.cookie)).status).toBe(202);
    await env.rt.jobsIdle();
    const after = (await hosts()).body;
    expect(after.meta.total_count).toBe(first.body.meta.total_count - 1);
    expect(after.objects.map((h: { id: number }) => h.id)).not.toContain(victim.id);

    const renamed = after.objects[0];
    const core = await env.rt.services.hosts.findBySeq(renamed.id);
    await env.rt.store.repos.hosts.update(core!.id, { name: 'renamed.example.com' });
    expect((await hosts()).body.objects[0].fqdn).toBe('renamed.example.com');
  });

  it('keys pages by their parameters and still answers filter errors', async () => {
    const two = await request(env.app).get('/lustre/api/host/?limit=2');
    const one = await request(env.app).get('/lustre/api/host/?limit=1');
    expect(two.body.objects).toHaveLength(2);
    expect(one.body.objects).toHaveLength(1);
    expect(one.body.meta.next).toBe('/lustre/api/host/?limit=1&offset=1');
    const bad = await request(env.app).get('/lustre/api/target/?filesystem_id=x');
    expect(bad.status).toBe(400);
    expect((await request(env.app).get('/lustre/api/target/?limit=0')).status).toBe(200);
  });
});

describe('coalescedReads', () => {
  it('never answers a caller from a read that began before it asked', async () => {
    const pending: ((v: string) => void)[] = [];
    let started = 0;
    const read = coalescedReads(
      () =>
        new Promise<string>((resolve) => {
          started++;
          pending.push(resolve);
        }),
    );
    const a = read();
    const b = read();
    const c = read();
    expect(started).toBe(1);
    pending[0]('one');
    expect(await a).toBe('one');
    await new Promise((r) => setImmediate(r));
    // b and c asked while the first read was running: they share the next one.
    expect(started).toBe(2);
    pending[1]('two');
    expect([await b, await c]).toEqual(['two', 'two']);
    const d = read();
    expect(started).toBe(3);
    pending[2]('three');
    expect(await d).toBe('three');
  });

  it('lets a failed read fail only its own callers', async () => {
    let n = 0;
    const read = coalescedReads(async () => {
      n++;
      if (n === 1) throw new Error('boom');
      return `ok${n}`;
    });
    const a = read();
    const b = read();
    await expect(a).rejects.toThrow('boom');
    expect(await b).toBe('ok2');
  });
});

describe('PageCache', () => {
  it('renders a page once for concurrent misses under one stamp, again when the stamp moves', async () => {
    const cache = new PageCache();
    let renders = 0;
    let stamp = 's1';
    const render = async () => {
      renders++;
      await new Promise((r) => setTimeout(r, 10));
      return new TastypieReply(200, { b: renders, a: [1] });
    };
    const replies = await Promise.all([1, 2, 3, 4, 5].map(() => cache.serve('/api/host/?', async () => stamp, render)));
    expect(renders).toBe(1);
    for (const r of replies) {
      expect(r.headers['Content-Type']).toBe('application/json');
      expect(String(r.body)).toBe('{"a": [1], "b": 1}');
    }
    expect(String((await cache.serve('/api/host/?', async () => stamp, render)).body)).toBe('{"a": [1], "b": 1}');
    stamp = 's2';
    expect(String((await cache.serve('/api/host/?', async () => stamp, render)).body)).toBe('{"a": [1], "b": 2}');
    expect(String((await cache.serve('/api/host/?limit=1', async () => stamp, render)).body)).toBe('{"a": [1], "b": 3}');
  });

  it('shares a failed render with the requests that waited on it, and does not keep it', async () => {
    const cache = new PageCache();
    let fail = true;
    const render = async () => {
      await new Promise((r) => setTimeout(r, 5));
      if (fail) throw new Error('database went away');
      return new TastypieReply(200, { ok: true });
    };
    const results = await Promise.allSettled([1, 2].map(() => cache.serve('k', async () => 's', render)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(String((await cache.serve('k', async () => 's', render)).body)).toBe('{"ok": true}');
  });

  it('holds at most its byte budget, oldest pages leaving first', async () => {
    // Each page serialises to about 20 bytes: two do not fit in 30.
    const cache = new PageCache(30);
    let renders = 0;
    const page = (n: number) => async () => {
      renders++;
      return new TastypieReply(200, { n: 'x'.repeat(10 + n) });
    };
    await cache.serve('a', async () => 's', page(0));
    await cache.serve('a', async () => 's', page(0));
    expect(renders).toBe(1);
    await cache.serve('b', async () => 's', page(1));
    await cache.serve('b', async () => 's', page(1));
    expect(renders).toBe(2);
    await cache.serve('a', async () => 's', page(0));
    expect(renders).toBe(3);
    const big = await cache.serve('c', async () => 's', page(40));
    await cache.serve('c', async () => 's', page(40));
    expect(renders).toBe(5);
    expect(String(big.body)).toContain('xxxx');
  });
});
