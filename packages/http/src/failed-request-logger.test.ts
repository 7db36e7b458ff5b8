import { Writable } from 'stream';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { REDACT_PATHS, httpLogger } from './logging';
import { requestId } from './request-id';

/** Below info the request logger writes only failed (5xx) requests, without pino-http's per-request work. */
describe('httpLogger below info', () => {
  const run = async (level: string) => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const app = express();
    app.use(requestId(), httpLogger(pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink)));
    app.get('/ok', (_req, res) => res.json({ ok: true }));
    app.get('/boom', (_req, res) => res.status(503).send('down'));
    await request(app).get('/ok').expect(200);
    await request(app).get('/boom?token=s3cret&x=1').set('X-Request-Id', 'req-7').expect(503);
    return lines;
  };

  it('at error level logs the 5xx only, with its request id, status and a masked URL', async () => {
    const lines = await run('error');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, msg: 'request errored', req: { id: 'req-7', method: 'GET', url: '/boom?token=%5Bredacted%5D&x=1' }, res: { statusCode: 503 } });
    expect(typeof lines[0].responseTime).toBe('number');
    expect(JSON.stringify(lines)).not.toContain('s3cret');
  });

  it('logs nothing when even errors are off, and every request at info', async () => {
    expect(await run('silent')).toEqual([]);
    const info = await run('info');
    expect(info.map((l) => (l.res as { statusCode: number }).statusCode)).toEqual([200, 503]);
  });
});
