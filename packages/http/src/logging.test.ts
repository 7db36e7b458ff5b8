import { Writable } from 'stream';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { REDACT_PATHS, httpLogger, redactUrl } from './logging';
import { requestId } from './request-id';

describe('logging', () => {
  it('masks secret query parameters in URLs', () => {
    expect(redactUrl('/api/Login?username=admin&password=hunter2')).toBe('/api/Login?username=admin&password=%5Bredacted%5D');
    expect(redactUrl('/plain')).toBe('/plain');
  });

  it('never writes credentials, tickets or tokens to the log', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ level: 'info', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
    const app = express();
    app.use(requestId(), httpLogger(logger));
    app.get('/x', (req, res) => {
      logger.info({ body: { password: 'p4ss', ticket: 't1cket' } }, 'handled');
      res.setHeader('X-Subject-Token', 'subj3ct');
      res.json({ ok: true });
    });
    await request(app)
      .get('/x?password=hunter2&ticket=abc123')
      .set('Authorization', 'Bearer sekrit')
      .set('Cookie', 'sessionid=c00kie')
      .set('ticket', 'hdrticket')
      .set('X-Request-Id', 'req-1')
      .expect(200);
    const log = lines.join('');
    for (const secret of ['hunter2', 'abc123', 'sekrit', 'c00kie', 'hdrticket', 'p4ss', 't1cket', 'subj3ct']) expect(log).not.toContain(secret);
    expect(log).toContain('req-1');
  });
});
