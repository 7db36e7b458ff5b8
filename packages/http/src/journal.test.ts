import v8 from 'v8';
import vm from 'vm';
import express from 'express';
import request from 'supertest';
import { createRequestJournal } from './journal';
import { createRequestGate } from './request-gate';

const entry = (i: number) => ({ at: 't', dialect: i % 2 ? 'nova' : 'heketi', method: 'GET', path: `/p/${i}`, status: i % 10 === 0 ? 503 : 200, latencyMs: 1, principal: null, requestId: null });

describe('request journal', () => {
  it('keeps only the newest `size` entries under 100,000 requests, with flat memory', () => {
    const journal = createRequestJournal(1000);
    for (let i = 1; i <= 1000; i++) journal.record(entry(i));
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const heapAfterFill = process.memoryUsage().heapUsed;
    for (let i = 1001; i <= 100_000; i++) journal.record(entry(i));
    gc();
    const retained = process.memoryUsage().heapUsed - heapAfterFill;
    expect(journal.count()).toBe(1000);
    const newest = journal.query({ limit: 1000 });
    expect(newest).toHaveLength(1000);
    expect(newest[0]).toMatchObject({ seq: 100_000, path: '/p/100000' });
    expect(newest[999].seq).toBe(99_001);
    // 99,000 more entries than the ring holds: anything near their size (~20 MB) would be a leak.
    expect(retained).toBeLessThan(2 * 1024 * 1024);
  });

  it('filters by dialect, exact status and status class, and tails after a seq', () => {
    const journal = createRequestJournal(100);
    for (let i = 1; i <= 30; i++) journal.record(entry(i));
    expect(journal.query({ dialect: 'nova' }).every((e) => e.dialect === 'nova')).toBe(true);
    expect(journal.query({ status: '5xx' }).map((e) => e.seq)).toEqual([30, 20, 10]);
    expect(journal.query({ status: '503', dialect: 'heketi' })).toHaveLength(3);
    expect(journal.query({ after: 27 }).map((e) => e.seq)).toEqual([30, 29, 28]);
    journal.clear();
    expect(journal.query()).toEqual([]);
    expect(() => createRequestJournal(0)).toThrow();
  });

  it('records method, redacted path, status and request id from express', async () => {
    const journal = createRequestJournal(10);
    const app = express();
    app.use(journal.middleware('demo'));
    app.get('/x', (_req, res) => {
      res.status(201).send('ok');
    });
    await request(app).get('/x?password=hunter2&a=b').expect(201);
    const [e] = journal.query();
    expect(e).toMatchObject({ dialect: 'demo', method: 'GET', status: 201, principal: null });
    expect(e.path).not.toContain('hunter2');
    expect(e.path).toContain('a=b');
  });
});

describe('request gate', () => {
  it('runs an exclusive operation only once in-flight requests finished, holding new ones until it is done', async () => {
    const gate = createRequestGate();
    const events: string[] = [];
    const app = express();
    app.use(gate.middleware());
    app.get('/slow', async (_req, res) => {
      events.push('slow start');
      await new Promise((r) => setTimeout(r, 150));
      events.push('slow end');
      res.send('ok');
    });
    app.get('/fast', (_req, res) => {
      events.push('fast');
      res.send('ok');
    });
    const server = app.listen(0);
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const seen = async (event: string): Promise<void> => {
        while (!events.includes(event)) await new Promise((r) => setTimeout(r, 5));
      };
      const slow = fetch(`${url}/slow`);
      await seen('slow start');
      const op = gate.exclusive(async () => {
        events.push('exclusive start');
        await new Promise((r) => setTimeout(r, 100));
        events.push('exclusive end');
      });
      await seen('exclusive start');
      const fast = fetch(`${url}/fast`);
      await Promise.all([slow, op, fast]);
      expect(events).toEqual(['slow start', 'slow end', 'exclusive start', 'exclusive end', 'fast']);
    } finally {
      server.close();
    }
  });
});
