import http from 'http';
import { AddressInfo } from 'net';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { NO_FAULTS } from '@rosetta/core';
import { createControlRouter } from '@rosetta/control';
import { createHttpMetrics, createRequestJournal } from '@rosetta/http';
import { TestDatabase, startTestGateway } from '@rosetta/testing';
import { Gateway } from './gateway';

interface StreamEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Reads GET /_rosetta/events as a client would, collecting parsed events. */
function openStream(url: string, headers: Record<string, string> = {}) {
  const events: StreamEvent[] = [];
  const waiters: (() => void)[] = [];
  let status = 0;
  let contentType = '';
  let ended = false;
  const req = http.get(`${url}/_rosetta/events`, { headers }, (res) => {
    status = res.statusCode ?? 0;
    contentType = String(res.headers['content-type']);
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) });
      }
      waiters.splice(0).forEach((w) => w());
    });
    res.on('end', () => {
      ended = true;
      waiters.splice(0).forEach((w) => w());
    });
  });
  req.on('error', () => undefined);
  return {
    events,
    get status() {
      return status;
    },
    get contentType() {
      return contentType;
    },
    get ended() {
      return ended;
    },
    /** Resolves with the first event (from index `from`) that satisfies the check. */
    async next(check: (e: StreamEvent) => boolean, from = 0, ms = 8000): Promise<StreamEvent> {
      const end = Date.now() + ms;
      for (;;) {
        const found = events.slice(from).find(check);
        if (found) return found;
        if (ended || Date.now() > end) throw new Error(`no such event; got ${events.map((e) => e.event).join(', ')}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 250);
        });
      }
    },
    close: () => req.destroy(),
  };
}

describe('GET /_rosetta/events (server-sent events for dashboards)', () => {
  let db: TestDatabase;
  let gateway: Gateway;
  const api = () => request(gateway.url);

  beforeAll(async () => {
    ({ db, gateway } = await startTestGateway({ ROSETTA_HEKETI_AUTH: 'false' }));
  });
  afterAll(async () => {
    await gateway.close();
    await db.drop();
  });

  it('starts with the whole state, then streams journal entries, fault hits, clock moves, job and domain changes', async () => {
    const stream = openStream(gateway.url);
    try {
      const hello = await stream.next((e) => e.event === 'hello');
      expect(stream.status).toBe(200);
      expect(stream.contentType).toContain('text/event-stream');
      expect(hello.data).toMatchObject({ mode: 'normal', faults: [], journalSeq: 0 });
      expect(typeof hello.data.domainStamp).toBe('string');

      const rule = (await api().post('/_rosetta/faults').send({ dialect: 'heketi', route: '/hello', effect: { type: 'error', code: 'UNAVAILABLE', message: 'x' }, count: 1 }).expect(201)).body;
      await api().get('/heketi/hello').expect(500);
      const journal = await stream.next((e) => e.event === 'journal');
      expect(journal.data.entries).toEqual([expect.objectContaining({ dialect: 'heketi', path: '/heketi/hello', status: 500 })]);
      await stream.next((e) => e.event === 'faults' && (e.data.faults as { id: string; hits: number }[]).some((f) => f.id === rule.id && f.hits === 1));

      const mark = stream.events.length;
      await api().post('/_rosetta/clock/freeze').expect(200);
      const advanced = (await api().post('/_rosetta/clock/advance').send({ duration: '2h' }).expect(200)).body;
      await stream.next((e) => e.event === 'clock' && e.data.now === advanced.now && e.data.frozen === true, mark);

      const jobsMark = stream.events.length;
      await api().post('/heketi/volumes').send({ size: 1 }).expect(202);
      await stream.next((e) => e.event === 'jobs', jobsMark);
      await stream.next((e) => e.event === 'domain', jobsMark);
      await api().post('/_rosetta/jobs/manual').expect(200);
      await stream.next((e) => e.event === 'mode' && e.data.mode === 'manual', jobsMark);
      await api().post('/_rosetta/jobs/resume').expect(200);

      await api().delete('/_rosetta/journal').expect(204);
      await api().get('/heketi/hello').expect(200);
      // A cleared journal restarts its numbering: the stream says so, then goes on from the new entries.
      await stream.next((e) => e.event === 'journal' && (e.data.cleared === true || (e.data.entries as { seq: number }[]).some((x) => x.seq === 1)), jobsMark);
    } finally {
      stream.close();
    }
  });

  it('keeps the control plane guard (admin token) and ends open streams when the gateway stops being ready', async () => {
    const { runtime } = gateway;
    let ready = true;
    const app = express().use(
      '/_rosetta',
      createControlRouter({
        services: runtime.services,
        faults: NO_FAULTS,
        logger: pino({ level: 'silent' }),
        bodyLimitBytes: 1024,
        store: runtime.store,
        resolveFixture: async () => undefined,
        defaultFixture: 'empty',
        adminToken: 's3cret',
        isReady: () => ready,
        clock: runtime.clock,
        clockSync: runtime.clockSync,
        faultRules: runtime.faults,
        metrics: createHttpMetrics(),
        jobControl: runtime.jobControl,
        requestJournal: createRequestJournal(10),
        requeueUnfinishedJobs: async () => 0,
      }),
    );
    const refused = await request(app).get('/_rosetta/events').expect(401);
    expect(refused.body.error).toMatchObject({ code: 'UNAUTHENTICATED' });

    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const stream = openStream(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { Authorization: 'Bearer s3cret' });
    try {
      await stream.next((e) => e.event === 'hello');
      ready = false;
      await stream.next(() => false).catch(() => undefined);
      expect(stream.ended).toBe(true);
    } finally {
      stream.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
