import request from 'supertest';
import { createTestRuntime, dialectApp } from '@rosetta/testing';
import { EXAMPLE_FIXTURE, Harness, SECRET, USERS, harness } from './harness';
import { createEco4CloudRouter } from '../src/index';

let h: Harness;
beforeAll(async () => {
  h = await harness(EXAMPLE_FIXTURE);
});
afterAll(() => h.rt.close());

const farms = (ticket?: string) => {
  const req = request(h.app).get('/api/Farm/get');
  return ticket === undefined ? req : req.set('ticket', ticket);
};

describe('Login', () => {
  test('GET with query parameters returns a ticket', async () => {
    const res = await request(h.app).get('/api/Login?username=admin&password=e4c-secret');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: 'ok', ticket: expect.any(String) });
    expect((await farms(res.body.ticket)).body.Farms).toHaveLength(2);
  });

  test('POST with a form body, and with a JSON body', async () => {
    const form = await request(h.app).post('/api/Login').type('form').send({ username: 'admin', password: 'e4c-secret' });
    expect(form.body).toEqual({ result: 'ok', ticket: expect.any(String) });
    const json = await request(h.app).post('/api/Login').send({ username: 'admin', password: 'e4c-secret' });
    expect(json.body).toEqual({ result: 'ok', ticket: expect.any(String) });
    const query = await request(h.app).post('/api/Login?username=admin&password=e4c-secret');
    expect(query.body.result).toBe('ok');
  });

  test('every login yields a different ticket', async () => {
    const a = await h.login();
    const b = await h.login();
    expect(a).not.toBe(b);
  });

  test('path segments are case-insensitive', async () => {
    const res = await request(h.app).get('/API/login?username=admin&password=e4c-secret');
    expect(res.body.result).toBe('ok');
  });

  test('wrong credentials: an error result and no ticket', async () => {
    for (const query of [
      { username: 'admin', password: 'wrong' },
      { username: 'nobody', password: 'e4c-secret' },
    ]) {
      const res = await request(h.app).get('/api/Login').query(query);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ result: 'error', error: 'invalid username or password' });
    }
  });

  test('missing credentials', async () => {
    const res = await request(h.app).get('/api/Login?username=admin');
    expect(res.body).toEqual({ result: 'error', error: 'username and password are required' });
    const repeated = await request(h.app).get('/api/Login?username=admin&username=x&password=e4c-secret');
    expect(repeated.body).toEqual({ result: 'error', error: 'username and password are required' });
  });

  test('malformed JSON body', async () => {
    const res = await request(h.app).post('/api/Login').type('json').send('{"username":');
    expect(res.body).toEqual({ result: 'error', error: 'malformed JSON in request body' });
  });

  test('other methods are refused in the vendor shape', async () => {
    const res = await request(h.app).put('/api/Login').send({ username: 'admin', password: 'e4c-secret' });
    expect(res.body).toEqual({ result: 'error', error: 'PUT is not allowed here: use GET or POST' });
  });
});

describe('tickets', () => {
  test('missing, unknown and tampered tickets get an error result', async () => {
    expect((await farms()).body).toEqual({ result: 'error', error: 'missing ticket: login first and send the ticket header' });
    expect((await farms('not-a-ticket')).body).toEqual({ result: 'error', error: 'invalid ticket' });
    const ticket = await h.login();
    const [payload, mac] = ticket.split('.');
    const forged = Buffer.from(JSON.stringify({ u: 'admin', t: h.rt.clock.now().getTime() + 1e9, n: 'x' })).toString('base64url');
    expect((await farms(`${forged}.${mac}`)).body).toEqual({ result: 'error', error: 'invalid ticket' });
    expect((await farms(`${payload}.${mac.slice(0, -2)}AA`)).body).toEqual({ result: 'error', error: 'invalid ticket' });
  });

  test('a ticket is valid for 60 minutes on the domain clock', async () => {
    const ticket = await h.login();
    h.rt.clock.advance(59 * 60_000);
    expect((await farms(ticket)).body.Farms).toHaveLength(2);
    h.rt.clock.advance(2 * 60_000);
    expect((await farms(ticket)).body).toEqual({ result: 'error', error: 'ticket expired: login again' });
    // 61 minutes after issue: a set is refused too, and changes nothing.
    const set = await request(h.app)
      .post('/api/Farm/set')
      .set('ticket', ticket)
      .send({ setList: [{ name: 'ta', value: '70' }], whereList: [{ name: 'name', value: 'test_farm' }] });
    expect(set.body).toEqual({ result: 'error', rows_affected: 0, error: 'ticket expired: login again' });
    const fresh = (await farms(await h.login())).body.Farms as { name: string; ta: string }[];
    expect(fresh).toHaveLength(2);
    expect(fresh.find((f) => f.name === 'test_farm')!.ta).toBe('80');
  });

  test('another gateway sharing the secret accepts the ticket; one with another secret does not', async () => {
    const ticket = await h.login();
    const twin = dialectApp(createEco4CloudRouter({ ...h.rt.deps, users: USERS, ticketMinutes: 60, ticketSecret: SECRET }));
    expect((await request(twin).get('/api/Farm/get').set('ticket', ticket)).body.Farms).toHaveLength(2);
    const stranger = dialectApp(createEco4CloudRouter({ ...h.rt.deps, users: USERS, ticketMinutes: 60, ticketSecret: 'other' }));
    expect((await request(stranger).get('/api/Farm/get').set('ticket', ticket)).body).toEqual({ result: 'error', error: 'invalid ticket' });
  });

  test('a read-only user may get but not set', async () => {
    const ticket = await h.login('viewer', 'look-only');
    expect((await farms(ticket)).body.Farms).toHaveLength(2);
    const res = await request(h.app)
      .post('/api/Farm/set')
      .set('ticket', ticket)
      .send({ setList: [{ name: 'ta', value: '70' }], whereList: [{ name: 'name', value: 'test_farm' }] });
    expect(res.body).toEqual({ result: 'error', rows_affected: 0, error: 'user is not allowed to change settings' });
  });
});

test('an unknown path answers in the vendor shape, not HTML', async () => {
  const res = await request(h.app).get('/nothing/here');
  expect(res.status).toBe(404);
  expect(res.body).toEqual({ result: 'error', error: 'unknown request GET /nothing/here' });
});

test('the whole API also works with a shorter ticket lifetime', async () => {
  const rt = await createTestRuntime({ fixture: EXAMPLE_FIXTURE });
  try {
    rt.clock.freeze();
    const app = dialectApp(createEco4CloudRouter({ ...rt.deps, users: USERS, ticketMinutes: 5, ticketSecret: SECRET }));
    const { body } = await request(app).get('/api/Login').query({ username: 'admin', password: 'e4c-secret' });
    rt.clock.advance(5 * 60_000);
    expect((await request(app).get('/api/Farm/get').set('ticket', body.ticket)).body.result).toBe('error');
  } finally {
    await rt.close();
  }
});

test('secrets never reach the request log: passwords in the query, tickets, IPMI passwords', async () => {
  const { Writable } = await import('stream');
  const pino = (await import('pino')).default;
  const express = (await import('express')).default;
  const { httpLogger, requestId, REDACT_PATHS } = await import('@rosetta/http');
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: 'debug', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
  const app = express();
  app.use(requestId(), httpLogger(logger), createEco4CloudRouter({ ...h.rt.deps, logger, users: USERS, ticketMinutes: 60, ticketSecret: SECRET }));
  const { body } = await request(app).get('/api/Login?username=admin&password=e4c-secret');
  const hosts = await request(app).get('/api/Host/get?name=test_host_4').set('ticket', body.ticket);
  expect(hosts.body.Hosts[0].ipmi_password).toBe('ipmi-pw-4');
  const log = lines.join('');
  expect(log).toContain('/api/Login');
  for (const secret of ['e4c-secret', body.ticket, 'ipmi-pw-4']) expect(log).not.toContain(secret);
});
