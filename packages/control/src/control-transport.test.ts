import http from 'http';
import { AddressInfo } from 'net';
import { ControlApiError, ControlUnreachableError, createControlTransport } from './control-transport';

/** What the fake control plane saw of the last request. */
interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

// A real socket server rather than a mocked fetch: the transport's URL, header and error handling
// are exercised exactly as they run against a gateway.
describe('createControlTransport', () => {
  let server: http.Server;
  let base: string;
  let seen: Seen;
  let reply: { status: number; body: string; type?: string };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen = { method: req.method!, url: req.url!, headers: req.headers, body };
        res.writeHead(reply.status, reply.type ? { 'Content-Type': reply.type } : {});
        res.end(reply.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    reply = { status: 200, body: '{"ok":true}', type: 'application/json' };
  });

  it('builds /_rosetta URLs, repeats array parameters, leaves undefined out and sends the admin token', async () => {
    const t = createControlTransport(`${base}//`, { adminToken: 's3cret' });
    expect(await t.get('/jobs', { state: ['queued', 'running'], kind: undefined, limit: 5, all: true })).toEqual({ ok: true });
    expect(seen.method).toBe('GET');
    expect(seen.url).toBe('/_rosetta/jobs?state=queued&state=running&limit=5&all=true');
    expect(seen.headers.authorization).toBe('Bearer s3cret');
    expect(seen.headers.accept).toBe('application/json');
    expect(seen.headers['content-type']).toBeUndefined();
  });

  it('sends no Authorization header without a token', async () => {
    await createControlTransport(base).get('/health');
    expect(seen.headers.authorization).toBeUndefined();
  });

  it('sends bodies as JSON ({} when absent) and text as it is', async () => {
    const t = createControlTransport(base);
    await t.post('/clock/freeze');
    expect(seen).toMatchObject({ method: 'POST', url: '/_rosetta/clock/freeze', body: '{}' });
    expect(seen.headers['content-type']).toBe('application/json');
    await t.put('/journal/settings', { captureBodies: true });
    expect(seen).toMatchObject({ method: 'PUT', body: '{"captureBodies":true}' });
    await t.postText('/snapshots/import', '{"name":"a"}\n', { name: 'b', replace: undefined });
    expect(seen).toMatchObject({ url: '/_rosetta/snapshots/import?name=b', body: '{"name":"a"}\n' });
  });

  it('returns text untouched from getText, undefined for an empty body, and nothing from delete', async () => {
    const t = createControlTransport(base);
    reply = { status: 200, body: '# HELP x\nx 1\n', type: 'text/plain' };
    expect(await t.getText('/metrics')).toBe('# HELP x\nx 1\n');
    reply = { status: 204, body: '' };
    expect(await t.post('/faults')).toBeUndefined();
    await expect(t.delete('/faults')).resolves.toBeUndefined();
    expect(seen.method).toBe('DELETE');
  });

  it('turns the control plane error body into ControlApiError, field problems appended', async () => {
    reply = {
      status: 400,
      type: 'application/json',
      body: JSON.stringify({ error: { code: 'VALIDATION', message: 'bad duration', details: { fields: [{ field: 'duration', problem: 'must be a duration' }, { field: 'ms', problem: 'must be a number' }] }, requestId: 'r1' } }),
    };
    const err = await createControlTransport(base).post('/clock/advance', { duration: 'soon' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ControlApiError);
    expect(err).toMatchObject({
      status: 400,
      code: 'VALIDATION',
      reason: 'bad duration (duration must be a duration; ms must be a number)',
      message: 'VALIDATION (HTTP 400): bad duration (duration must be a duration; ms must be a number)',
      details: { fields: [{ field: 'duration', problem: 'must be a duration' }, { field: 'ms', problem: 'must be a number' }] },
    });
  });

  it('quotes a body that is not the JSON error shape, under HTTP_<status>', async () => {
    reply = { status: 502, body: '<html>bad gateway</html>', type: 'text/html' };
    await expect(createControlTransport(base).get('/health')).rejects.toMatchObject({ status: 502, code: 'HTTP_502', reason: '<html>bad gateway</html>', details: {} });
    reply = { status: 503, body: '' };
    await expect(createControlTransport(base).get('/health')).rejects.toMatchObject({ code: 'HTTP_503', reason: 'Service Unavailable' });
  });

  it('reports a gateway that is not listening as ControlUnreachableError, not an API error', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await createControlTransport(url).get('/health').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ControlUnreachableError);
    expect(err).not.toBeInstanceOf(ControlApiError);
    expect((err as Error).message).toBe(`cannot reach ${url}: ECONNREFUSED`);
  });
});
