import request from 'supertest';
import { Harness, V, startHarness } from './harness';

describe('compute version documents and microversions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(undefined);
  });
  afterAll(() => h.close());

  it('GET / lists v2.0 and v2.1 without a token', async () => {
    const res = await request(h.app).get('/openstack/compute/').set('Host', 'nova.example');
    expect(res.status).toBe(200);
    expect(res.body.versions[1]).toEqual({
      id: 'v2.1',
      status: 'CURRENT',
      version: '2.93',
      min_version: '2.1',
      updated: '2013-07-23T11:33:21Z',
      links: [{ rel: 'self', href: 'http://nova.example/openstack/compute/v2.1/' }],
    });
    expect(res.body.versions[0]).toMatchObject({ id: 'v2.0', version: '', min_version: '' });
  });

  it.each(['/v2.1', '/v2.1/'])('GET %s is the version document, with or without a token', async (path) => {
    for (const token of [undefined, 'garbage']) {
      const req = request(h.app).get(`/openstack/compute${path}`);
      if (token) req.set('X-Auth-Token', h.adminToken);
      const res = await req;
      expect(res.status).toBe(200);
      expect(res.body.version).toMatchObject({ id: 'v2.1', version: '2.93', min_version: '2.1' });
      expect(res.body.version['media-types']).toEqual([{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }]);
      expect(res.body.version.links[1]).toEqual({ rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' });
    }
  });

  const agg = (headers: Record<string, string>) => {
    const req = request(h.app).get(`${V}/os-aggregates`).set('X-Auth-Token', h.adminToken);
    for (const [k, v] of Object.entries(headers)) req.set(k, v);
    return req;
  };

  it('defaults to 2.1 and echoes the version with Vary, request ids included', async () => {
    const res = await agg({});
    expect(res.status).toBe(200);
    expect(res.headers['openstack-api-version']).toBe('compute 2.1');
    expect(res.headers['x-openstack-nova-api-version']).toBe('2.1');
    expect(res.headers.vary).toBe('OpenStack-API-Version, X-OpenStack-Nova-API-Version');
    expect(res.headers['x-openstack-request-id']).toMatch(/^req-[0-9a-f-]{36}$/);
    expect(res.headers['x-compute-request-id']).toBe(res.headers['x-openstack-request-id']);
  });

  it('reads the standard header first, then the legacy one, and resolves latest', async () => {
    expect((await agg({ 'OpenStack-API-Version': 'compute 2.41', 'X-OpenStack-Nova-API-Version': '2.5' })).headers['x-openstack-nova-api-version']).toBe('2.41');
    expect((await agg({ 'X-OpenStack-Nova-API-Version': '2.5' })).headers['openstack-api-version']).toBe('compute 2.5');
    expect((await agg({ 'OpenStack-API-Version': 'identity 3.0' , 'X-OpenStack-Nova-API-Version': '2.7' })).headers['x-openstack-nova-api-version']).toBe('2.7');
    expect((await agg({ 'OpenStack-API-Version': 'compute latest' })).headers['openstack-api-version']).toBe('compute 2.93');
  });

  it('refuses a malformed version with 400 and an unsupported one with 406, still echoing', async () => {
    const bad = await agg({ 'X-OpenStack-Nova-API-Version': '2.x' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ badRequest: { code: 400, message: 'API Version String 2.x is of invalid format. Must be of format MajorNum.MinorNum.' } });
    expect(bad.headers['x-openstack-nova-api-version']).toBe('2.1');
    expect(bad.headers['content-type'].toLowerCase()).toBe('application/json; charset=utf-8');
    const high = await agg({ 'OpenStack-API-Version': 'compute 2.200' });
    expect(high.status).toBe(406);
    expect(high.body).toEqual({ computeFault: { code: 406, message: 'Version 2.200 is not supported by the API. Minimum is 2.1 and maximum is 2.93.' } });
    expect(high.headers.vary).toBe('OpenStack-API-Version, X-OpenStack-Nova-API-Version');
    expect((await agg({ 'X-OpenStack-Nova-API-Version': '2.0' })).status).toBe(406);
  });

  it('answers a missing token with the keystonemiddleware 401 and the echo', async () => {
    const res = await request(h.app).get(`${V}/os-aggregates`).set('X-OpenStack-Nova-API-Version', '2.41');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } });
    expect(res.headers['www-authenticate']).toMatch(/^Keystone uri="http:\/\/[^"]+\/openstack\/identity"$/);
    expect(res.headers['x-openstack-nova-api-version']).toBe('2.41');
  });

  it('accepts the project id in the path and refuses a mismatched one', async () => {
    const ok = await request(h.app).get(`${V}/${h.adminProject}/os-aggregates`).set('X-Auth-Token', h.adminToken);
    expect(ok.status).toBe(200);
    const other = await request(h.app).get(`${V}/0123456789abcdef0123456789abcdef/os-aggregates`).set('X-Auth-Token', h.adminToken);
    expect(other.status).toBe(400);
    expect(other.body.badRequest.message).toBe(
      `Malformed request URL: URL's project_id '0123456789abcdef0123456789abcdef' doesn't match Context's project_id '${h.adminProject}'`,
    );
  });

  it('answers unknown routes with the Nova 404 fault', async () => {
    const res = await request(h.app).get(`${V}/os-nothing`).set('X-Auth-Token', h.adminToken);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ itemNotFound: { code: 404, message: 'The resource could not be found.' } });
    expect(res.headers['x-openstack-nova-api-version']).toBe('2.1');
  });

  it('gives a Connection: close client its close', async () => {
    const res = await request(h.app).get('/openstack/compute/v2.1').set('Connection', 'close');
    expect(res.headers.connection).toBe('close');
  });
});
