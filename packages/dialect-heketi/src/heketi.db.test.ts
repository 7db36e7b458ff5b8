import request from 'supertest';
import { AddressInfo } from 'net';
import { networkInterfaces } from 'os';
import jwt from 'jsonwebtoken';
import { Express } from 'express';
import { createTestRuntime, dialectApp, TestRuntime } from '@rosetta/testing';
import { createHeketiRouter } from './router';
import { HeketiSettings } from './context';
import { qsh } from './auth';
import { readBoltFile } from './bolt/testing/bolt-reader';
import { GobDecoder } from './bolt/testing/gob-decoder';

const SETTINGS: HeketiSettings = {
  auth: true,
  adminKey: 'admin-secret',
  userKey: 'user-secret',
  iatLeewaySeconds: 120,
  maxInflightOperations: 1000,
  deviceSizeGb: 500,
  zoneChecking: 'none',
  defaultState: 'normal',
  preRequestVolumeOptions: '',
  postRequestVolumeOptions: '',
  autoCreateBlockHostingVolume: false,
  blockHostingVolumeSizeGb: 1024,
};

const HEX32 = /^[0-9a-f]{32}$/;
const coreIdOf = (location: string): string => {
  const h = location.split('/').pop()!;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/** A client that signs like Heketi's Go client: HS256, iss, iat, exp = iat + 5 min, qsh over the path. */
class Client {
  constructor(
    readonly app: Express,
    readonly rt: TestRuntime,
    readonly prefix = '',
  ) {}

  token(method: string, path: string, claims: Record<string, unknown> = {}, key = SETTINGS.adminKey): string {
    const now = Math.floor(this.rt.clock.now().getTime() / 1000);
    return jwt.sign({ iss: 'admin', iat: now, exp: now + 300, qsh: qsh(method, path), ...claims }, key, { algorithm: 'HS256' });
  }

  call(method: string, path: string, body?: unknown, claims: Record<string, unknown> = {}, key?: string) {
    const full = `${this.prefix}${path}`;
    const t = request(this.app)[method.toLowerCase() as 'get'](full).set('Authorization', `bearer ${this.token(method, full.split('?')[0], claims, key)}`);
    return body === undefined ? t : t.set('Content-Type', 'application/json').send(typeof body === 'string' ? body : JSON.stringify(body));
  }

  /** The Python client's loop: poll the 202's Location until it stops pending. */
  async settle(res: request.Response) {
    expect(res.status).toBe(202);
    expect(res.headers.location).toMatch(new RegExp(`^${this.prefix}/queue/[0-9a-f]{32}$`));
    await this.rt.jobsIdle();
    return this.call('GET', res.headers.location.slice(this.prefix.length));
  }

  async cluster(flags = { block: true, file: true }): Promise<string> {
    const res = await this.call('POST', '/clusters', flags);
    expect(res.status).toBe(201);
    return res.body.id;
  }

  async node(cluster: string, zone: number, name: string, storage: string): Promise<string> {
    const res = await this.settle(await this.call('POST', '/nodes', { zone, hostnames: { manage: [name], storage: [storage] }, cluster }));
    expect(res.text).toBe(`<a href="${res.headers.location}">See Other</a>.\n\n`);
    expect(res.status).toBe(303);
    return res.headers.location.split('/').pop()!;
  }

  async device(node: string, name: string): Promise<string> {
    expect((await this.settle(await this.call('POST', '/devices', { node, name }))).status).toBe(204);
    const info = await this.call('GET', `/nodes/${node}`);
    return info.body.devices.find((d: { name: string }) => d.name === name).id;
  }

  private hosts = 0;

  async topology(zones = [1, 2, 3]): Promise<{ cluster: string; nodes: string[]; devices: string[] }> {
    const cluster = await this.cluster();
    const nodes: string[] = [];
    const devices: string[] = [];
    for (const zone of zones) {
      const n = ++this.hosts;
      const node = await this.node(cluster, zone, `node${n}.example.test`, `10.0.0.${n}`);
      nodes.push(node);
      devices.push(await this.device(node, '/dev/sdb'));
    }
    return { cluster, nodes, devices };
  }
}

async function setup(settings: Partial<HeketiSettings> = {}, prefix = '', stepScale = 0) {
  const rt = await createTestRuntime({ stepScale });
  const router = createHeketiRouter({ ...rt.deps, settings: { ...SETTINGS, ...settings } });
  const app = dialectApp(router, prefix || '/');
  return { rt, client: new Client(app, rt, prefix), app };
}

const textError = (res: request.Response, status: number, text: string) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.text).toBe(`${text}\n`);
};

describe('router level', () => {
  let rt: TestRuntime;
  let client: Client;
  let app: Express;
  beforeAll(async () => ({ rt, client, app } = await setup()));
  afterAll(() => rt.close());

  test('GET /hello needs no token and is plain text without newline', async () => {
    const res = await request(app).get('/hello');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=UTF-8');
    expect(res.text).toBe('Hello from Heketi');
  });

  test('POST /hello goes through auth, then 404', async () => {
    textError(await request(app).post('/hello'), 401, 'Required authorization token not found');
    expect((await request(app).head('/hello')).status).toBe(401);
    expect((await client.call('OPTIONS', '/clusters')).status).toBe(405);
    textError(await client.call('POST', '/hello'), 404, 'Invalid path or request');
  });

  test('auth runs before routing', async () => {
    textError(await request(app).get('/nope'), 401, 'Required authorization token not found');
    textError(await client.call('GET', '/nope'), 404, 'Invalid path or request');
  });

  test('non-hex ids do not match any route', async () => {
    textError(await client.call('GET', '/clusters/zzz'), 404, 'Invalid path or request');
    textError(await client.call('GET', '/queue/xyz'), 404, 'Invalid path or request');
    textError(await client.call('GET', '/clusters/00000000000000000000000000000000'), 404, 'Id not found');
    textError(await client.call('GET', '/clusters/ABC'), 404, 'Id not found');
  });

  test('wrong method is 405 with an empty body and no Content-Type', async () => {
    for (const [method, path] of [['GET', '/nodes'], ['PUT', '/volumes'], ['DELETE', '/clusters']]) {
      const res = await client.call(method, path);
      expect(res.status).toBe(405);
      expect(res.headers['content-type']).toBeUndefined();
      expect(res.headers['content-length']).toBe('0');
      expect(res.text).toBe('');
    }
  });

  test('trailing slash redirects 301; GET gets the HTML body', async () => {
    const get = await client.call('GET', '/clusters/');
    expect(get.status).toBe(301);
    expect(get.headers.location).toBe('/clusters');
    expect(get.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(get.text).toBe('<a href="/clusters">Moved Permanently</a>.\n\n');
    const post = await client.call('POST', '/clusters/', {});
    expect(post.status).toBe(301);
    expect(post.text).toBe('');
    expect((await client.call('GET', '/nodes/')).status).toBe(405);
  });

  describe('JWT', () => {
    const now = () => Math.floor(rt.clock.now().getTime() / 1000);
    // A frozen clock: "expired by 10s" must not become 11s when signing and checking straddle a second.
    beforeAll(() => rt.clock.freeze());
    afterAll(() => rt.clock.unfreeze());
    test.each<[string, () => Record<string, unknown>, number, string]>([
      ['iss bob', () => ({ iss: 'bob' }), 401, 'Invalid JWT token: Unknown user'],
      ['iss empty', () => ({ iss: '' }), 401, 'Invalid JWT token: Token missing iss claim'],
      ['qsh for another path', () => ({ qsh: qsh('GET', '/volumes') }), 401, 'Invalid qsh claim in token'],
      ['no qsh', () => ({ qsh: undefined }), 401, 'Invalid qsh claim in token'],
      ['expired', () => ({ exp: now() - 10 }), 401, 'Invalid JWT token: Token is expired by 10s'],
      ['issued in the future', () => ({ iat: now() + 600 }), 401, 'Invalid JWT token: Token used before issued (client and server clocks may differ)'],
      ['not valid yet', () => ({ nbf: now() + 100 }), 401, 'Invalid JWT token: token is not valid yet'],
      ['float iat', () => ({ iat: 1795332681.869 }), 401, 'Invalid JWT token: json: cannot unmarshal number 1795332681.869 into Go struct field HeketiJwtClaims.iat of type int64'],
    ])('%s', async (_name, claims, status, text) => {
      textError(await client.call('GET', '/clusters', undefined, claims()), status, text);
    });

    test('iat within the leeway passes', async () => {
      expect((await client.call('GET', '/clusters', undefined, { iat: now() + 60 })).status).toBe(200);
    });

    test('header format, segments, secrets, algorithms', async () => {
      textError(await request(app).get('/clusters').set('Authorization', 'Token abc'), 400, 'Authorization header format must be Bearer {token}');
      textError(await request(app).get('/clusters').set('Authorization', 'Bearer abc'), 401, 'Invalid JWT token: token contains an invalid number of segments');
      textError(
        await client.call('GET', '/clusters', undefined, {}, 'wrong'),
        401,
        'Invalid JWT token: signature is invalid (client and server secrets may not match)',
      );
      textError(
        await client.call('GET', '/clusters', undefined, { iss: 'user' }, SETTINGS.adminKey),
        401,
        'Invalid JWT token: signature is invalid (client and server secrets may not match)',
      );
      const unsigned = jwt.sign({ iss: 'admin', iat: now(), exp: now() + 60, qsh: qsh('GET', '/clusters') }, '', { algorithm: 'none' });
      textError(await request(app).get('/clusters').set('Authorization', `Bearer ${unsigned}`), 401, 'Invalid JWT token: Unexpected signing method: none');
      const hs512 = jwt.sign({ iss: 'admin', iat: now(), exp: now() + 60, qsh: qsh('GET', '/clusters') }, SETTINGS.adminKey, { algorithm: 'HS512' });
      expect((await request(app).get('/clusters').set('Authorization', `BEARER ${hs512}`)).status).toBe(200);
    });

    test('the query string is not part of qsh', async () => {
      const t = client.token('GET', '/clusters');
      expect((await request(app).get('/clusters?x=1').set('Authorization', `bearer ${t}`)).status).toBe(200);
      const withQuery = client.token('GET', '/clusters?x=1');
      textError(await request(app).get('/clusters?x=1').set('Authorization', `bearer ${withQuery}`), 401, 'Invalid qsh claim in token');
    });

    test('a token accepted once is still judged on the clock and the path every time', async () => {
      const t = jwt.sign({ iss: 'admin', iat: now(), exp: now() + 30, qsh: qsh('GET', '/clusters') }, SETTINGS.adminKey);
      expect((await request(app).get('/clusters').set('Authorization', `bearer ${t}`)).status).toBe(200);
      expect((await request(app).get('/clusters').set('Authorization', `bearer ${t}`)).status).toBe(200);
      textError(await request(app).get('/volumes').set('Authorization', `bearer ${t}`), 401, 'Invalid qsh claim in token');
      // Later tokens are signed from this same clock, so moving it on disturbs no other test.
      rt.clock.advance(40_000);
      const expired = await request(app).get('/clusters').set('Authorization', `bearer ${t}`);
      expect(expired.status).toBe(401);
      expect(expired.text).toBe('Invalid JWT token: Token is expired by 10s\n');
      // The same claims signed with another key are a different token: still refused.
      const forged = jwt.sign(jwt.decode(t) as object, 'wrong');
      textError(await request(app).get('/clusters').set('Authorization', `bearer ${forged}`), 401, 'Invalid JWT token: signature is invalid (client and server secrets may not match)');
    });

    test('the user key opens /volumes only', async () => {
      expect((await client.call('GET', '/volumes', undefined, { iss: 'user' }, SETTINGS.userKey)).status).toBe(200);
      textError(await client.call('GET', '/clusters', undefined, { iss: 'user' }, SETTINGS.userKey), 401, 'Administrator access required');
      textError(await client.call('GET', `/queue/${'a'.repeat(32)}`, undefined, { iss: 'user' }, SETTINGS.userKey), 401, 'Administrator access required');
    });
  });
});

describe('topology and volumes', () => {
  let rt: TestRuntime;
  let client: Client;
  beforeAll(async () => ({ rt, client } = await setup({}, '/heketi')));
  afterAll(() => rt.close());

  test('under a prefix, qsh over the full path (Go client) or the path after the base URL (Python client)', async () => {
    const app = client.app;
    const now = Math.floor(rt.clock.now().getTime() / 1000);
    const sign = (p: string) => jwt.sign({ iss: 'admin', iat: now, exp: now + 60, qsh: qsh('GET', p) }, SETTINGS.adminKey);
    expect((await request(app).get('/heketi/clusters').set('Authorization', `bearer ${sign('/heketi/clusters')}`)).status).toBe(200);
    expect((await request(app).get('/heketi/clusters').set('Authorization', `bearer ${sign('/clusters')}`)).status).toBe(200);
    textError(await request(app).get('/heketi/clusters').set('Authorization', `bearer ${sign('/volumes')}`), 401, 'Invalid qsh claim in token');
  });

  test('POST /clusters {} has no defaults; flags and delete', async () => {
    const res = await client.call('POST', '/clusters', {});
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(res.body.id).toMatch(HEX32);
    expect(res.text).toBe(`{"id":"${res.body.id}","nodes":[],"volumes":[],"block":false,"file":false,"blockvolumes":[]}\n`);
    const flags = await client.call('POST', `/clusters/${res.body.id}/flags`, { block: false, file: true });
    expect(flags.status).toBe(200);
    expect(flags.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(flags.text).toBe('');
    expect((await client.call('GET', `/clusters/${res.body.id}`)).body.file).toBe(true);
    const del = await client.call('DELETE', `/clusters/${res.body.id}`);
    expect(del.status).toBe(200);
    expect(del.headers['content-type']).toBeUndefined();
    expect(del.text).toBe('');
    textError(await client.call('POST', '/clusters', '{"block":"yes"}'), 422, 'request unable to be parsed');
    textError(await client.call('POST', '/clusters', 'nope'), 422, 'request unable to be parsed');
  });

  test('node and device validation texts', async () => {
    textError(
      await client.call('POST', '/nodes', {}),
      400,
      'validation failed: cluster: cannot be blank; hostnames: (manage: cannot be blank; storage: cannot be blank.); zone: cannot be blank.',
    );
    const cluster = 'a'.repeat(32);
    const hostnames = { manage: ['m.example.test'], storage: ['10.9.9.9'] };
    textError(await client.call('POST', '/nodes', { zone: 0, hostnames, cluster }), 400, 'validation failed: zone: cannot be blank.');
    textError(
      await client.call('POST', '/nodes', { zone: -1, hostnames, cluster, tags: { 'bad tag': 'x' } }),
      400,
      'validation failed: tags: invalid characters in tag name bad tag; zone: must be no less than 1.',
    );
    textError(await client.call('POST', '/nodes', { zone: 1, hostnames, cluster: 'abc' }), 400, 'validation failed: cluster: abc is not a valid UUID.');
    textError(await client.call('POST', '/nodes', { zone: 1, hostnames, cluster }), 404, 'Cluster id does not exist');
    textError(await client.call('POST', '/nodes', { zone: '1', hostnames, cluster }), 422, 'request unable to be parsed');
    textError(await client.call('POST', '/devices', {}), 400, 'validation failed: name: cannot be blank; node: cannot be blank.');
    textError(await client.call('POST', '/devices', { name: 'sdb', node: cluster }), 400, 'validation failed: name: must be in a valid format.');
    textError(await client.call('POST', '/devices', { name: '/dev/sdb', node: cluster }), 404, 'Node id does not exist');
  });

  test('a replica-3 volume across three zones: create, queue, info, expand, delete', async () => {
    const { cluster, nodes, devices } = await client.topology();
    const node = await client.call('GET', `/nodes/${nodes[0]}`);
    expect(node.text).toBe(
      `{"zone":1,"hostnames":{"manage":["node1.example.test"],"storage":["10.0.0.1"]},"cluster":"${cluster}","id":"${nodes[0]}","state":"online",` +
        `"devices":[{"name":"/dev/sdb","storage":{"total":524288000,"free":524288000,"used":0},"id":"${devices[0]}","state":"online","bricks":[]}]}\n`,
    );
    textError(
      await client.call('POST', '/nodes', { zone: 1, hostnames: { manage: ['node1.example.test'], storage: ['10.1.1.1'] }, cluster }),
      409,
      `Hostname node1.example.test already used by node with id ${nodes[0]}\n`,
    );

    const accepted = await client.call('POST', '/volumes', { size: 2, durability: { type: 'replicate', replicate: { replica: 3 } } });
    expect(accepted.status).toBe(202);
    expect(accepted.headers['content-type']).toBeUndefined();
    expect(accepted.headers['content-length']).toBe('0');
    const done = await client.settle(accepted);
    expect(done.status).toBe(303);
    expect(done.headers['content-type']).toBe('text/html; charset=utf-8');
    const location = done.headers.location;
    expect(location).toMatch(/^\/heketi\/volumes\/[0-9a-f]{32}$/);
    expect(done.text).toBe(`<a href="${location}">See Other</a>.\n\n`);
    textError(await client.call('GET', accepted.headers.location.slice('/heketi'.length)), 404, 'Id not found');

    const id = location.split('/').pop()!;
    const info = await client.call('GET', `/volumes/${id}`);
    expect(info.status).toBe(200);
    const bricks = info.body.bricks as { id: string; device: string; node: string; size: number; path: string }[];
    expect(bricks).toHaveLength(3);
    expect(new Set(bricks.map((b) => b.node)).size).toBe(3);
    expect(bricks.map((b) => b.id)).toEqual([...bricks.map((b) => b.id)].sort());
    for (const b of bricks) {
      expect(b.size).toBe(2097152);
      expect(b.path).toBe(`/var/lib/heketi/mounts/vg_${b.device}/brick_${b.id}/brick`);
    }
    const brickJson = bricks.map((b) => `{"id":"${b.id}","path":"${b.path}","device":"${b.device}","node":"${b.node}","volume":"${id}","size":2097152}`).join(',');
    const hosts = nodes.map((n, i) => [n, `10.0.0.${i + 1}`]).sort(([a], [b]) => (a < b ? -1 : 1)).map(([, h]) => h);
    expect(info.text).toBe(
      `{"size":2,"name":"vol_${id}","durability":{"type":"replicate","replicate":{"replica":3},"disperse":{}},"glustervolumeoptions":["",""],` +
        `"snapshot":{"enable":false,"factor":1},"id":"${id}","cluster":"${cluster}",` +
        `"mount":{"glusterfs":{"hosts":${JSON.stringify(hosts)},"device":"${hosts[0]}:vol_${id}","options":{"backup-volfile-servers":"${hosts.slice(1).join(',')}"}}},` +
        `"blockinfo":{},"bricks":[${brickJson}]}\n`,
    );
    const device = await client.call('GET', `/devices/${bricks[0].device}`);
    // 2 GiB brick: pool 2097152 KiB + metadata align4096(10485) = 2109440 KiB.
    expect(device.body.storage).toEqual({ total: 524288000, free: 524288000 - 2109440, used: 2109440 });

    expect((await client.call('GET', '/volumes')).body.volumes).toEqual([id]);
    expect((await client.call('GET', `/clusters/${cluster}`)).body.volumes).toEqual([id]);

    textError(await client.call('POST', `/volumes/${id}/expand`, {}), 400, 'validation failed: expand_size: cannot be blank.');
    const expanded = await client.settle(await client.call('POST', `/volumes/${id}/expand`, { expand_size: 3 }));
    expect(expanded.status).toBe(303);
    const after = await client.call('GET', `/volumes/${id}`);
    expect(after.body.size).toBe(5);
    expect(after.body.bricks.map((b: { size: number }) => b.size).sort()).toEqual([2097152, 2097152, 2097152, 3145728, 3145728, 3145728]);

    textError(await client.call('DELETE', `/clusters/${cluster}`), 409, `Unable to delete cluster [${cluster}] because it contains volumes and/or nodes`);
    textError(await client.call('DELETE', `/nodes/${nodes[0]}`), 409, `Unable to delete node [${nodes[0]}] because it contains devices`);
    textError(await client.call('DELETE', `/devices/${devices[0]}`), 400, `device: ${devices[0]} is not in failed state`);

    const deleted = await client.settle(await client.call('DELETE', `/volumes/${id}`));
    expect(deleted.status).toBe(204);
    textError(await client.call('GET', `/volumes/${id}`), 404, 'Id not found');
    for (const d of devices) expect((await client.call('GET', `/devices/${d}`)).body.storage.used).toBe(0);
  });

  // One domain: what Heketi adds is the core's host and device every other dialect reads, and
  // what another dialect does to that host shows here.
  test('a node and device added here are core facts; a core state change shows as the node state', async () => {
    const cluster = await client.cluster();
    const added = await client.settle(
      await client.call('POST', '/nodes', { zone: 7, hostnames: { manage: ['shared.example.test'], storage: ['10.9.0.1'] }, cluster, tags: { rack: 'r9' } }),
    );
    const node = added.headers.location.split('/').pop()!;
    const host = await rt.services.hosts.get(coreIdOf(node));
    expect(host).toMatchObject({ clusterId: coreIdOf(cluster), name: 'shared.example.test', managementAddress: 'shared.example.test', storageAddress: '10.9.0.1', zone: 7, tags: { rack: 'r9' }, state: 'up' });
    const device = await client.device(node, '/dev/sdq');
    expect(await rt.services.devices.get(coreIdOf(device))).toMatchObject({ hostId: host.id, name: '/dev/sdq', sizeBytes: SETTINGS.deviceSizeGb * 1024 ** 3 });

    await rt.services.hosts.update(host.id, { state: 'maintenance' });
    expect((await client.call('GET', `/nodes/${node}`)).body.state).toBe('offline');
    await rt.services.hosts.update(host.id, { state: 'up' });
    expect((await client.call('GET', `/nodes/${node}`)).body.state).toBe('online');
  });

  test('volume create checks, in Heketi order', async () => {
    const cases: [unknown, number, string][] = [
      [{}, 400, 'validation failed: size: cannot be blank.'],
      [{ size: -1 }, 400, 'validation failed: size: must be no less than 1.'],
      [{ size: 1, name: 'bad name' }, 400, 'validation failed: name: must be in a valid format.'],
      [{ size: 1, durability: { type: 'foo' } }, 400, 'Unknown durability type'],
      [{ size: 1, durability: { type: 'replicate', replicate: { replica: 4 } } }, 400, 'Invalid replica value'],
      [{ size: 1, durability: { type: 'disperse', disperse: { data: 3, redundancy: 1 } } }, 400, 'Invalid dispersion combination: 3+1'],
      [{ size: 1, gid: -5 }, 400, 'Bad group id less than zero'],
      [{ size: 1, gid: 2147483647 }, 400, 'Bad group id equal or greater than 2**32'],
      [{ size: 1, snapshot: { enable: true, factor: 0.5 } }, 400, 'Invalid snapshot factor'],
      [{ size: 1, snapshot: { enable: true } }, 400, 'Invalid snapshot factor'],
      [{ size: 1, clusters: ['0'.repeat(32)] }, 400, `Cluster id ${'0'.repeat(32)} not found`],
      [{ size: 3, durability: { type: 'disperse', disperse: { data: 4, redundancy: 2 } } }, 400, 'Requested volume size (3 GB) is smaller than the minimum supported volume size (4194304)'],
      [{ size: '1' }, 422, 'request unable to be parsed'],
    ];
    for (const [body, status, text] of cases) textError(await client.call('POST', '/volumes', body), status, text);
  });

  test('allocation failures come back before any 202', async () => {
    const { cluster } = await client.topology([1, 2, 3].map((z) => z));
    textError(await client.call('POST', '/volumes', { size: 100000, clusters: [cluster] }), 500, 'Failed to allocate new volume: No space');
    const named = { size: 1, name: 'dupname', clusters: [cluster] };
    expect((await client.settle(await client.call('POST', '/volumes', named))).status).toBe(303);
    textError(await client.call('POST', '/volumes', named), 500, "Failed to allocate new volume: Volume name 'dupname' already in use");
    const none = await client.cluster({ block: false, file: false });
    textError(await client.call('POST', '/volumes', { size: 1, clusters: [none] }), 500, 'Failed to allocate new volume: Cluster has disabled all volume types');
    const fileOnly = await client.cluster({ block: false, file: true });
    textError(
      await client.call('POST', '/volumes', { size: 1, block: true, clusters: [fileOnly] }),
      500,
      'Failed to allocate new volume: Cluster does not support requested volume type',
    );
    textError(await client.call('POST', '/volumes', { size: 1, clusters: [fileOnly] }), 500, 'Failed to allocate new volume: No nodes in cluster');
  });

  test('durability defaults and brick sizes', async () => {
    const { cluster } = await client.topology([1, 2, 3]);
    const create = async (body: object) => {
      const res = await client.settle(await client.call('POST', '/volumes', { ...body, clusters: [cluster] }));
      return (await client.call('GET', res.headers.location.slice('/heketi'.length))).body;
    };
    const plain = await create({ size: 2 });
    expect(plain.durability).toEqual({ type: 'none', replicate: {}, disperse: {} });
    expect(plain.bricks).toHaveLength(1);
    const two = await create({ size: 3, durability: { type: 'replicate' } });
    expect(two.durability.replicate).toEqual({});
    expect(two.bricks.map((b: { size: number }) => b.size)).toEqual([3145728, 3145728]);
    const snap = await create({ size: 1, snapshot: { enable: true, factor: 1.2 } });
    expect(snap.snapshot).toEqual({ enable: true, factor: 1.2 });
    const bhv = await create({ size: 100, block: true, durability: { type: 'replicate', replicate: { replica: 3 } } });
    expect(bhv.block).toBe(true);
    expect(bhv.blockinfo).toEqual({ freesize: 98, reservedsize: 2 });
    expect(bhv.glustervolumeoptions).toEqual(['', 'group gluster-block', '']);
  });

  test('tags: set, update, delete; Go escaping in the response', async () => {
    const { nodes, devices } = await client.topology([1]);
    const set = await client.call('POST', `/devices/${devices[0]}/tags`, { change_type: 'set', tags: { b: '2', a: '1' } });
    expect(set.text).toBe('{"a":"1","b":"2"}\n');
    expect((await client.call('POST', `/devices/${devices[0]}/tags`, { change_type: 'update', tags: { c: '3' } })).text).toBe('{"a":"1","b":"2","c":"3"}\n');
    expect((await client.call('POST', `/devices/${devices[0]}/tags`, { change_type: 'delete', tags: { a: '' } })).text).toBe('{"b":"2","c":"3"}\n');
    expect((await client.call('POST', `/nodes/${nodes[0]}/tags`, { change_type: 'set' })).text).toBe('{}\n');
    expect((await client.call('POST', `/nodes/${nodes[0]}/tags`, { change_type: 'set', tags: { t: 'a<b&c>d' } })).text).toBe('{"t":"a\\u003cb\\u0026c\\u003ed"}\n');
    textError(await client.call('POST', `/nodes/${nodes[0]}/tags`, { tags: {} }), 400, 'validation failed: change_type: cannot be blank.');
    textError(
      await client.call('POST', '/devices', { node: nodes[0], name: '/dev/sdb' }),
      500,
      `Can't initialize physical volume "/dev/sdb" of volume group "vg_${devices[0]}" without -ff`,
    );
  });

  test('device and node state rules through the queue', async () => {
    const { nodes, devices } = await client.topology([1, 2]);
    textError(await client.call('POST', `/devices/${devices[0]}/state`, {}), 400, 'validation failed: state: cannot be blank.');
    textError(await client.call('POST', `/devices/${devices[0]}/state`, { state: 'gone' }), 400, 'validation failed: state: gone is not valid state.');
    const fail = await client.settle(await client.call('POST', `/devices/${devices[0]}/state`, { state: 'failed' }));
    textError(fail, 500, `Device must be offline before remove operation is performed, device:${devices[0]}`);
    expect((await client.settle(await client.call('POST', `/devices/${devices[0]}/state`, { state: 'offline' }))).status).toBe(204);
    expect((await client.settle(await client.call('POST', `/devices/${devices[0]}/state`, { state: 'failed' }))).status).toBe(204);
    expect((await client.call('GET', `/devices/${devices[0]}`)).body.state).toBe('failed');
    textError(await client.settle(await client.call('POST', `/devices/${devices[0]}/state`, { state: 'online' })), 500, 'Cannot move a failed/removed device to online state');
    expect((await client.settle(await client.call('DELETE', `/devices/${devices[0]}`))).status).toBe(204);
    textError(await client.call('GET', `/devices/${devices[0]}`), 404, 'Id not found');
    expect((await client.settle(await client.call('DELETE', `/nodes/${nodes[0]}`))).status).toBe(204);

    textError(await client.settle(await client.call('POST', `/nodes/${nodes[1]}/state`, { state: 'failed' })), 500, `Node must be offline before remove operation is performed, node:${nodes[1]}`);
    const resync = await client.call('GET', `/devices/${devices[1]}/resync`);
    expect(resync.status).toBe(202);
    expect(resync.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(resync.text).toBe(`<a href="${resync.headers.location}">Accepted</a>.\n\n`);
  });
});

describe('admin state, operations, metrics', () => {
  let rt: TestRuntime;
  let client: Client;
  let app: Express;
  beforeAll(async () => ({ rt, client, app } = await setup()));
  afterAll(() => rt.close());

  test('metrics are open and count the topology', async () => {
    const { cluster } = await client.topology([1]);
    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.text).toContain('# HELP heketi_cluster_count Number of clusters\n# TYPE heketi_cluster_count gauge\nheketi_cluster_count 1\n');
    expect(res.text).toContain(`heketi_nodes_count{cluster="${cluster}"} 1\n`);
    expect(res.text).toContain('heketi_up 1\n');
  });

  test('operations and logging', async () => {
    expect((await client.call('GET', '/operations')).text).toBe('{"total":0,"in_flight":0,"stale":0,"failed":0,"new":0}\n');
    expect((await client.call('GET', '/operations/pending')).text).toBe('{"pendingoperations":[]}\n');
    textError(await client.call('GET', `/operations/pending/${'0'.repeat(32)}`), 404, `Id not found: ${'0'.repeat(32)}`);
    expect((await client.call('GET', '/internal/logging')).text).toBe('{"loglevel":{"glusterfs":"info"}}\n');
    textError(await client.call('POST', '/internal/logging', 'nope'), 400, "request unable to be parsed: invalid character 'o' in literal null (expecting 'u')");
    textError(await client.call('POST', '/internal/logging', { loglevel: { other: 'info' } }), 422, 'Only "glusterfs" logger may be modified');
    textError(await client.call('POST', '/internal/logging', { loglevel: { glusterfs: 'loud' } }), 422, 'invalid log level: loud');
    expect((await client.call('POST', '/internal/logging', { loglevel: { glusterfs: 'debug' } })).text).toBe('{"loglevel":{"glusterfs":"debug"}}\n');
  });

  test('db dump is indented and keyed by id', async () => {
    const res = await client.call('GET', '/db/dump');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(res.text.startsWith('{\n    "clusterentries": {\n        "')).toBe(true);
    expect(Object.keys(res.body)).toEqual([
      'clusterentries',
      'volumeentries',
      'brickentries',
      'nodeentries',
      'deviceentries',
      'blockvolumeentries',
      'dbattributeentries',
      'pendingoperations',
    ]);
    const [device] = Object.values(res.body.deviceentries) as { ExtentSize: number; State: string }[];
    expect(device).toMatchObject({ State: 'online', ExtentSize: 4096 });
    // UpgradeDB's flags: a Heketi started on this state must not redo its upgrades.
    expect(res.body.dbattributeentries).toEqual({
      DB_BRICK_HAS_SUBTYPE_FIELD: { Key: 'DB_BRICK_HAS_SUBTYPE_FIELD', Value: 'yes' },
      DB_CLUSTER_HAS_FILE_BLOCK_FLAG: { Key: 'DB_CLUSTER_HAS_FILE_BLOCK_FLAG', Value: 'yes' },
      DB_HAS_PENDING_OPS_BUCKET: { Key: 'DB_HAS_PENDING_OPS_BUCKET', Value: 'yes' },
    });
  });

  // local-client: writes only from 127.0.0.1/::1. A request to this host's own non-loopback
  // address arrives from that address, so it stands for a remote client.
  const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  (external ? test : test.skip)('local-client admin state refuses writes from other hosts only', async () => {
    const server = app.listen(0, '0.0.0.0');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const remote = (method: 'get' | 'post', path: string) =>
        request(`http://${external}:${port}`)[method](path).set('Authorization', `bearer ${client.token(method.toUpperCase(), path)}`).set('Content-Type', 'application/json').send('{}');
      expect((await client.call('POST', '/admin', { state: 'local-client' })).status).toBe(204);
      textError(await remote('post', '/clusters'), 503, 'Service disabled for maintenance');
      expect((await remote('get', '/clusters')).status).toBe(200);
      expect((await client.call('POST', '/clusters', {})).status).toBe(201);
      expect((await client.call('POST', '/admin', { state: 'normal' })).status).toBe(204);
      expect((await remote('post', '/clusters')).status).toBe(201);
    } finally {
      await client.call('POST', '/admin', { state: 'normal' });
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('read-only admin state refuses writes, even POST /admin', async () => {
    expect((await client.call('GET', '/admin')).text).toBe('{"state":"normal"}\n');
    textError(await client.call('POST', '/admin', { state: 'bogus' }), 400, 'validation failed: state: must be a valid value.');
    expect((await client.call('POST', '/admin', { state: 'read-only' })).status).toBe(204);
    textError(await client.call('POST', '/clusters', {}), 503, 'Service disabled for maintenance');
    textError(await client.call('POST', '/admin', { state: 'normal' }), 503, 'Service disabled for maintenance');
    expect((await client.call('GET', '/clusters')).status).toBe(200);
  });
});

describe('state export, check and examiner; clients under a prefix', () => {
  let rt: TestRuntime;
  let client: Client;
  let app: Express;
  beforeAll(async () => ({ rt, client, app } = await setup({}, '/heketi')));
  afterAll(() => rt.close());

  const create = async (body: unknown) => (await client.settle(await client.call('POST', '/volumes', body))).headers.location.split('/').pop()!;

  test('Location: prefixed for URL-resolving clients (Go), mount-relative for the Python client', async () => {
    const cluster = await client.cluster();
    const now = Math.floor(rt.clock.now().getTime() / 1000);
    const sign = (method: string, p: string) => `bearer ${jwt.sign({ iss: 'admin', iat: now, exp: now + 60, qsh: qsh(method, p) }, SETTINGS.adminKey)}`;
    const body = JSON.stringify({ zone: 1, hostnames: { manage: ['py.example.test'], storage: ['10.1.1.1'] }, cluster });
    // heketi.py: requests.request(method, host + uri), qsh over uri, then GET host + Location.
    const accepted = await request(app).post('/heketi/nodes').set('User-Agent', 'python-requests/2.31.0').set('Authorization', sign('POST', '/nodes')).send(body);
    expect(accepted.status).toBe(202);
    expect(accepted.headers.location).toMatch(/^\/queue\/[0-9a-f]{32}$/);
    await rt.jobsIdle();
    const done = await request(app)
      .get(`/heketi${accepted.headers.location}`)
      .set('User-Agent', 'python-requests/2.31.0')
      .set('Authorization', sign('GET', accepted.headers.location));
    expect(done.status).toBe(303);
    expect(done.headers.location).toMatch(/^\/nodes\/[0-9a-f]{32}$/);
    const node = await request(app).get(`/heketi${done.headers.location}`).set('Authorization', sign('GET', done.headers.location));
    expect(node.status).toBe(200);
    // The Go client resolves Location against the request URL and signs the full path.
    const goAccepted = await request(app)
      .post('/heketi/devices')
      .set('User-Agent', 'Go-http-client/1.1')
      .set('Authorization', sign('POST', '/heketi/devices'))
      .send(JSON.stringify({ node: node.body.id, name: '/dev/sdb' }));
    expect(goAccepted.status).toBe(202);
    expect(goAccepted.headers.location).toMatch(/^\/heketi\/queue\/[0-9a-f]{32}$/);
  });

  test('db check, backup and the gluster examiner read one consistent state', async () => {
    const { cluster, nodes, devices } = await client.topology([1, 2, 3]);
    const volume = await create({ size: 2, name: 'checked', clusters: [cluster], durability: { type: 'replicate', replicate: { replica: 3 } } });

    const check = await client.call('GET', '/db/check');
    expect(check.status).toBe(200);
    expect(check.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(check.text.startsWith('{\n    "clusters": {\n        "total": 2,\n        "pending": 0,\n        "ok": 2,\n        "notok": 0,\n        "inconsistencies": null\n    },')).toBe(true);
    expect(check.body).toMatchObject({
      volumes: { total: 1, ok: 1, notok: 0, inconsistencies: null },
      bricks: { total: 3, ok: 3 },
      nodes: { total: 4, ok: 4 },
      devices: { total: 4, ok: 4 },
      blockvolumes: { total: 0, ok: 0, inconsistencies: null },
      dbattributes: { total: 0, pending: 0, ok: 0, notok: 0, inconsistencies: null },
      pendingoperations: { total: 0 },
      totalinconsistencies: 0,
    });
    expect(Object.keys(check.body)).toEqual(['clusters', 'volumes', 'bricks', 'nodes', 'devices', 'blockvolumes', 'dbattributes', 'pendingoperations', 'totalinconsistencies']);

    const backup = await client.call('GET', '/backup/db').buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(backup.status).toBe(200);
    expect(backup.headers['content-type']).toBe('application/octet-stream');
    expect(backup.headers['content-disposition']).toBe('attachment; filename="heketi.db"');
    const body = backup.body as Buffer;
    expect(backup.headers['content-length']).toBe(String(body.length));
    // A BoltDB file of gob entries, read back by the format-only reader and decoder.
    const bolt = readBoltFile(body);
    const dumped = (await client.call('GET', '/db/dump')).body;
    for (const [bucket, member] of [['CLUSTER', 'clusterentries'], ['NODE', 'nodeentries'], ['DEVICE', 'deviceentries'], ['VOLUME', 'volumeentries'], ['BRICK', 'brickentries']]) {
      expect([...bolt.buckets.get(bucket)!.keys()]).toEqual(Object.keys(dumped[member]));
    }
    const [entry] = new GobDecoder().decodeAll(bolt.buckets.get('VOLUME')!.get(volume)!) as { Info: { VolumeCreateRequest: unknown; Cluster: string } }[];
    expect(entry.Info.Cluster).toBe(cluster);
    expect(entry.Info.VolumeCreateRequest).toMatchObject({ Name: 'checked', Size: 2, Clusters: [cluster], Durability: { Type: 'replicate', Replicate: { Replica: 3 } } });
    expect([...bolt.buckets.get('DEVICE')!.keys()]).toEqual(expect.arrayContaining([...devices].sort()));
    const flag = new GobDecoder().decodeAll(bolt.buckets.get('DBATTRIBUTE')!.get('DB_CLUSTER_HAS_FILE_BLOCK_FLAG')!);
    expect(flag).toEqual([{ Key: 'DB_CLUSTER_HAS_FILE_BLOCK_FLAG', Value: 'yes' }]);

    const examined = await client.call('GET', '/internal/state/examine/gluster');
    expect(examined.status).toBe(200);
    expect(examined.text.startsWith('{\n    "heketidb": {\n        "clusterentries": {')).toBe(true);
    expect(examined.body.report).toEqual([
      'OnDemand Examiner invoked while 0 ops are in flight',
      ...[examined.body.clusters[0].ClusterHeketiID, examined.body.clusters[1].ClusterHeketiID].map(() => expect.any(String)),
    ]);
    const mine = examined.body.clusters.find((c: { ClusterHeketiID: string }) => c.ClusterHeketiID === cluster);
    expect(mine.NodesData.map((n: { NodeHeketiID: string }) => n.NodeHeketiID)).toEqual([...nodes].sort());
    const info = mine.NodesData[0].VolumeInfo;
    expect(info.XMLName).toEqual({ Space: '', Local: 'volInfo' });
    expect(info.Volumes.Count).toBe(1);
    expect(info.Volumes.VolumeList[0]).toMatchObject({ VolumeName: 'checked', Status: 1, StatusStr: 'Started', BrickCount: 3, ReplicaCount: 3, Type: 2, TypeStr: 'Replicate' });
    expect(info.Volumes.VolumeList[0].Bricks.BrickList.map((b: { Name: string }) => b.Name.split(':')[0]).sort()).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(examined.body.report).toContain('heketi volume list matches with volume list of all nodes');
  });
});

describe('concurrency', () => {
  let rt: TestRuntime;
  let client: Client;
  beforeAll(async () => ({ rt, client } = await setup({ deviceSizeGb: 12 })));
  afterAll(() => rt.close());

  test('50 parallel creates on a nearly full cluster never overcommit; misfits fail before a 202', async () => {
    const { cluster, devices } = await client.topology([1, 2, 3]);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => client.call('POST', '/volumes', { size: 1, clusters: [cluster], durability: { type: 'replicate', replicate: { replica: 3 } } })),
    );
    const ok = results.filter((r) => r.status === 202);
    const refused = results.filter((r) => r.status !== 202);
    for (const r of refused) textError(r, 500, 'Failed to allocate new volume: No space');
    // 12 GiB devices hold 11 bricks of 1 GiB (1056768 KiB each) and need strictly more free than a brick takes.
    expect(ok).toHaveLength(11);
    await rt.jobsIdle();
    for (const d of devices) {
      const { storage } = (await client.call('GET', `/devices/${d}`)).body;
      expect(storage.used).toBe(11 * 1056768);
      expect(storage.free).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('mixed concurrency', () => {
  let rt: TestRuntime;
  let client: Client;
  beforeAll(async () => ({ rt, client } = await setup()));
  afterAll(() => rt.close());

  test('creates, expands and deletes racing on one cluster keep device usage exact', async () => {
    const { cluster, devices } = await client.topology([1, 2, 3]);
    const replica3 = { size: 1, clusters: [cluster], durability: { type: 'replicate', replicate: { replica: 3 } } };
    const first = await Promise.all(Array.from({ length: 6 }, () => client.call('POST', '/volumes', replica3)));
    await rt.jobsIdle();
    const ids: string[] = [];
    for (const r of first) ids.push((await client.call('GET', r.headers.location)).headers.location.split('/').pop()!);
    const racing = await Promise.all([
      ...ids.slice(0, 3).map((id) => client.call('DELETE', `/volumes/${id}`)),
      ...ids.slice(3).map((id) => client.call('POST', `/volumes/${id}/expand`, { expand_size: 1 })),
      ...Array.from({ length: 6 }, () => client.call('POST', '/volumes', replica3)),
    ]);
    expect(racing.map((r) => r.status)).toEqual(Array(12).fill(202));
    await rt.jobsIdle();
    // 3 expanded volumes (2 GiB: 2 bricks of 1 GiB per device each) + 6 new ones = 12 bricks of 1056768 KiB per device.
    for (const d of devices) expect((await client.call('GET', `/devices/${d}`)).body.storage.used).toBe(12 * 1056768);
  });
});

describe('block volumes, restrictions, brick eviction', () => {
  let rt: TestRuntime;
  let client: Client;
  beforeAll(async () => ({ rt, client } = await setup({ autoCreateBlockHostingVolume: true, blockHostingVolumeSizeGb: 10 })));
  afterAll(() => rt.close());

  test('block volume life cycle on an automatically made hosting volume', async () => {
    const { cluster } = await client.topology([1, 2, 3]);
    textError(await client.call('POST', '/blockvolumes', {}), 400, 'validation failed: size: cannot be blank.');
    textError(await client.call('POST', '/blockvolumes', { size: 1, hacount: -1 }), 400, 'validation failed: hacount: must be no less than 1.');
    textError(
      await client.call('POST', '/blockvolumes', { size: 20 }),
      500,
      'Failed to allocate new block volume: The size configured for automatic creation of block hosting volumes (10) is too small to host the requested block volume of size 20. The available size on this block hosting volume, minus overhead, is 9. Please create a sufficiently large block hosting volume manually.',
    );
    const made = await client.settle(await client.call('POST', '/blockvolumes', { size: 5, name: 'blk1' }));
    expect(made.status).toBe(303);
    expect(made.headers.location).toMatch(/^\/blockvolumes\/[0-9a-f]{32}$/);
    const id = made.headers.location.split('/').pop()!;
    const info = await client.call('GET', `/blockvolumes/${id}`);
    const hosting = info.body.blockhostingvolume;
    expect(info.text).toBe(
      `{"size":5,"name":"blk1","hacount":3,"id":"${id}","blockvolume":{"hosts":${JSON.stringify(info.body.blockvolume.hosts)},` +
        `"iqn":"${info.body.blockvolume.iqn}","lun":0,"username":"","password":""},"cluster":"${cluster}","blockhostingvolume":"${hosting}","usablesize":5}\n`,
    );
    const bhv = (await client.call('GET', `/volumes/${hosting}`)).body;
    expect(bhv.blockinfo).toEqual({ freesize: 4, reservedsize: 1, blockvolume: [id] });
    expect((await client.call('GET', '/blockvolumes')).body.blockvolumes).toEqual([id]);
    expect((await client.call('GET', `/clusters/${cluster}`)).body.blockvolumes).toEqual([id]);

    textError(
      await client.call('POST', `/blockvolumes/${id}/expand`, { new_size: 2 }),
      500,
      'Failed to allocate block volume expansion: Requested new-size 2 is less than current block volume size 5, shrinking is not allowed.',
    );
    textError(
      await client.call('POST', `/blockvolumes/${id}/expand`, { new_size: 5 }),
      500,
      'Failed to allocate block volume expansion: Requested new-size 5 is same as current block volume size 5, nothing to be done.',
    );
    expect((await client.settle(await client.call('POST', `/blockvolumes/${id}/expand`, { new_size: 7 }))).status).toBe(303);
    expect((await client.call('GET', `/volumes/${hosting}`)).body.blockinfo.freesize).toBe(2);

    textError(await client.call('DELETE', `/volumes/${hosting}`), 409, 'Cannot delete a block hosting volume containing block volumes');
    textError(await client.call('POST', `/volumes/${hosting}/clone`, {}), 500, `Failed clone volume ${hosting}: Cloning of block hosting volumes is not supported`);
    textError(await client.call('POST', `/volumes/${hosting}/block-restriction`, { restriction: 'locked-by-update' }), 400, 'validation failed: restriction: must be a valid value.');
    expect((await client.settle(await client.call('POST', `/volumes/${hosting}/block-restriction`, { restriction: 'locked' }))).status).toBe(303);
    expect((await client.call('GET', `/volumes/${hosting}`)).body.blockinfo.restriction).toBe('locked');
    expect((await client.settle(await client.call('POST', `/volumes/${hosting}/block-restriction`, { restriction: '' }))).status).toBe(303);
    expect((await client.call('GET', `/volumes/${hosting}`)).body.blockinfo.restriction).toBeUndefined();

    expect((await client.settle(await client.call('DELETE', `/blockvolumes/${id}`))).status).toBe(204);
    expect((await client.call('GET', `/volumes/${hosting}`)).body.blockinfo.freesize).toBe(9);
  });

  test('a brick with too few live peers is not replaced: plain distribution never, replica 2 needs its twin', async () => {
    const { cluster, nodes } = await client.topology([1, 2, 3]);
    const plain = await client.settle(await client.call('POST', '/volumes', { size: 1, clusters: [cluster] }));
    const [brick] = (await client.call('GET', plain.headers.location)).body.bricks as { id: string }[];
    textError(await client.settle(await client.call('POST', `/bricks/to-evict/${brick.id}`)), 500, `Cannot replace brick ${brick.id} as only 0 of 1 required peer bricks are online`);
    expect((await client.call('GET', plain.headers.location)).body.bricks).toEqual([expect.objectContaining({ id: brick.id })]);
    // heketi-cli's expert option skips that check: the brick then moves like any other.
    expect((await client.settle(await client.call('POST', `/bricks/to-evict/${brick.id}`, { healcheck: 'disable' }))).status).toBe(204);
    const [moved] = (await client.call('GET', plain.headers.location)).body.bricks as { id: string; size: number }[];
    expect(moved.id).not.toBe(brick.id);
    expect(moved.size).toBe(1048576);

    const pair = await client.settle(await client.call('POST', '/volumes', { size: 1, clusters: [cluster], durability: { type: 'replicate', replicate: { replica: 2 } } }));
    const bricks = (await client.call('GET', pair.headers.location)).body.bricks as { id: string; node: string }[];
    // The twin's node failed through the control plane's domain fault (glusterd gone): no live peer.
    await rt.services.hosts.update(coreIdOf(bricks[1].node), { state: 'down' });
    try {
      textError(await client.settle(await client.call('POST', `/bricks/to-evict/${bricks[0].id}`)), 500, `Cannot replace brick ${bricks[0].id} as only 0 of 1 required peer bricks are online`);
    } finally {
      await rt.services.hosts.update(coreIdOf(bricks[1].node), { state: 'up' });
    }
    expect((await client.settle(await client.call('POST', `/bricks/to-evict/${bricks[0].id}`))).status).toBe(204);
    expect(nodes).toEqual(expect.arrayContaining((await client.call('GET', pair.headers.location)).body.bricks.map((b: { node: string }) => b.node)));
  });

  test('block restriction on a plain volume, brick eviction, cleanup', async () => {
    const { cluster, nodes } = await client.topology([1, 2, 3, 4]);
    const made = await client.settle(await client.call('POST', '/volumes', { size: 1, clusters: [cluster], durability: { type: 'replicate', replicate: { replica: 3 } } }));
    const id = made.headers.location.split('/').pop()!;
    textError(
      await client.call('POST', `/volumes/${id}/block-restriction`, { restriction: 'locked' }),
      500,
      'Failed to set block restriction: Block restrictions can only be set on block hosting volumes',
    );
    const before = (await client.call('GET', `/volumes/${id}`)).body.bricks as { id: string; node: string }[];
    expect((await client.settle(await client.call('POST', `/bricks/to-evict/${before[0].id}`))).status).toBe(204);
    const after = (await client.call('GET', `/volumes/${id}`)).body.bricks as { id: string; node: string }[];
    expect(after.map((b) => b.id)).not.toContain(before[0].id);
    expect(new Set(after.map((b) => b.node)).size).toBe(3);
    expect(nodes).toEqual(expect.arrayContaining(after.map((b) => b.node)));
    const used = async () => Promise.all(nodes.map(async (n) => (await client.call('GET', `/nodes/${n}`)).body.devices[0].storage.used));
    const before2 = await used();
    const cloned = await client.settle(await client.call('POST', `/volumes/${id}/clone`, { name: 'snap1' }));
    expect(cloned.status).toBe(303);
    const clone = (await client.call('GET', cloned.headers.location)).body;
    expect(clone.name).toBe('snap1');
    expect(clone.id).not.toBe(id);
    expect(clone.bricks.map((b: { device: string }) => b.device).sort()).toEqual(after.map((b: { id: string; node: string; device?: string }) => (b as { device: string }).device).sort());
    expect(await used()).toEqual(before2);
    expect((await client.settle(await client.call('DELETE', `/volumes/${clone.id}`))).status).toBe(204);
    expect(await used()).toEqual(before2);
    textError(await client.call('POST', `/volumes/${id}/clone`, { name: 'bad name' }), 400, 'validation failed: name: must be in a valid format.');
    textError(await client.call('POST', '/operations/pending/cleanup', { operations: ['x'] }), 400, 'validation failed: operations: x is not a valid UUID.');
    expect((await client.settle(await client.call('POST', '/operations/pending/cleanup', {}))).status).toBe(204);
  });
});

describe('failure domains', () => {
  let rt: TestRuntime;
  let client: Client;
  beforeAll(async () => ({ rt, client } = await setup({ zoneChecking: 'strict' })));
  afterAll(() => rt.close());

  test('strict zone checking needs as many zones as bricks in a set', async () => {
    const { cluster } = await client.topology([1, 1, 2]);
    const replica3 = { size: 1, clusters: [cluster], durability: { type: 'replicate', replicate: { replica: 3 } } };
    textError(await client.call('POST', '/volumes', replica3), 500, 'Failed to allocate new volume: No space');
    const two = await client.settle(await client.call('POST', '/volumes', { ...replica3, durability: { type: 'replicate', replicate: { replica: 2 } } }));
    expect(two.status).toBe(303);
  });

  test('failing a device moves its bricks off it; a node fails through offline', async () => {
    const { cluster, nodes, devices } = await client.topology([1, 2, 3, 4]);
    const made = await client.settle(
      await client.call('POST', '/volumes', { size: 1, clusters: [cluster], durability: { type: 'replicate', replicate: { replica: 3 } } }),
    );
    const id = made.headers.location.split('/').pop()!;
    const before = (await client.call('GET', `/volumes/${id}`)).body.bricks as { device: string; node: string }[];
    const victim = before[0].device;
    const victimNode = before[0].node;
    expect((await client.settle(await client.call('POST', `/nodes/${victimNode}/state`, { state: 'offline' }))).status).toBe(204);
    expect((await client.call('GET', `/nodes/${victimNode}`)).body.state).toBe('offline');
    expect((await client.settle(await client.call('POST', `/nodes/${victimNode}/state`, { state: 'failed' }))).status).toBe(204);
    const node = (await client.call('GET', `/nodes/${victimNode}`)).body;
    expect(node.state).toBe('failed');
    expect(node.devices[0]).toMatchObject({ id: victim, state: 'failed', bricks: [], storage: { used: 0 } });
    const after = (await client.call('GET', `/volumes/${id}`)).body.bricks as { device: string; node: string }[];
    expect(after.map((b) => b.device)).not.toContain(victim);
    expect(new Set(after.map((b) => b.node)).size).toBe(3);
    textError(await client.settle(await client.call('POST', `/nodes/${victimNode}/state`, { state: 'online' })), 500, 'Cannot move a failed/removed node to online state');
    expect(nodes).toContain(victimNode);
    expect(devices).toContain(victim);
  });

  test('device-tag-match keeps bricks on (or off) tagged devices; node tags count', async () => {
    const { cluster, nodes, devices } = await client.topology([1, 2, 3]);
    await client.call('POST', `/devices/${devices[1]}/tags`, { change_type: 'set', tags: { disk: 'ssd' } });
    await client.call('POST', `/nodes/${nodes[2]}/tags`, { change_type: 'set', tags: { disk: 'ssd' } });
    const place = async (option: string) => {
      const res = await client.settle(await client.call('POST', '/volumes', { size: 1, clusters: [cluster], glustervolumeoptions: [option] }));
      return (await client.call('GET', res.headers.location)).body;
    };
    for (let i = 0; i < 4; i++) expect([devices[1], devices[2]]).toContain((await place('user.heketi.device-tag-match disk=ssd')).bricks[0].device);
    for (let i = 0; i < 4; i++) expect((await place('user.heketi.device-tag-match disk!=ssd')).bricks[0].device).toBe(devices[0]);
    const vol = await place('user.heketi.device-tag-match disk=ssd');
    expect(vol.glustervolumeoptions).toEqual(['', 'user.heketi.device-tag-match disk=ssd', '']);
  });

  test('arbiter volumes put a small third brick on arbiter:required devices, never data bricks', async () => {
    const { cluster, nodes, devices } = await client.topology([1, 2, 3, 4]);
    for (const node of nodes.slice(0, 3)) await client.call('POST', `/nodes/${node}/tags`, { change_type: 'set', tags: { arbiter: 'disabled' } });
    expect((await client.call('POST', `/devices/${devices[3]}/tags`, { change_type: 'set', tags: { arbiter: 'required' } })).status).toBe(200);
    const options = ['user.heketi.arbiter true', 'user.heketi.average-file-size 1024'];
    const res = await client.settle(
      await client.call('POST', '/volumes', { size: 10, clusters: [cluster], durability: { type: 'replicate', replicate: { replica: 3 } }, glustervolumeoptions: options }),
    );
    expect(res.status).toBe(303);
    const vol = (await client.call('GET', res.headers.location)).body;
    const bricks = vol.bricks as { device: string; size: number }[];
    const arbiter = bricks.filter((b) => b.device === devices[3]);
    expect(arbiter.map((b) => b.size)).toEqual([16384]);
    expect(bricks.filter((b) => b.device !== devices[3]).map((b) => b.size)).toEqual([10485760, 10485760]);
    expect((await client.call('GET', `/devices/${devices[3]}`)).body.storage.used).toBe(16384 + 4096);
    const plain = await client.settle(await client.call('POST', '/volumes', { size: 1, clusters: [cluster], durability: { type: 'replicate', replicate: { replica: 3 } } }));
    expect((await client.call('GET', plain.headers.location)).body.bricks.map((b: { size: number }) => b.size)).toEqual([1048576, 1048576, 1048576]);
  });

  test('replacing bricks of an arbiter volume honours arbiter tags, keeps each brick’s place in its set', async () => {
    // Nodes 0-2 take data only, devices 3 and 4 arbiter bricks only.
    const { cluster, nodes, devices } = await client.topology([1, 2, 3, 4, 5]);
    for (const node of nodes.slice(0, 3)) await client.call('POST', `/nodes/${node}/tags`, { change_type: 'set', tags: { arbiter: 'disabled' } });
    for (const device of devices.slice(3)) await client.call('POST', `/devices/${device}/tags`, { change_type: 'set', tags: { arbiter: 'required' } });
    const res = await client.settle(
      await client.call('POST', '/volumes', {
        size: 10,
        clusters: [cluster],
        durability: { type: 'replicate', replicate: { replica: 3 } },
        glustervolumeoptions: ['user.heketi.arbiter true', 'user.heketi.average-file-size 1024'],
      }),
    );
    type B = { id: string; device: string; size: number };
    const bricks = async (): Promise<B[]> => (await client.call('GET', res.headers.location)).body.bricks;
    const evict = async (id: string) => client.settle(await client.call('POST', `/bricks/to-evict/${id}`));
    const arbiterDevices = devices.slice(3);
    const start = await bricks();
    const arbiter = start.find((b) => arbiterDevices.includes(b.device))!;
    const data = start.filter((b) => b !== arbiter);
    expect(arbiter.size).toBe(16384);

    // A data brick may only go to the one data device no brick of its set holds.
    expect((await evict(data[0].id)).status).toBe(204);
    const afterData = await bricks();
    const freeDataDevice = devices.slice(0, 3).find((d) => !start.some((b) => b.device === d))!;
    const moved = afterData.find((b) => !start.some((s) => s.id === b.id))!;
    expect(moved).toMatchObject({ device: freeDataDevice, size: 10485760 });

    // The arbiter is still its set's third brick after that move: it goes to the other arbiter device, at its size.
    expect((await evict(arbiter.id)).status).toBe(204);
    const afterArbiter = await bricks();
    const newArbiter = afterArbiter.find((b) => !afterData.some((s) => s.id === b.id))!;
    expect(newArbiter).toMatchObject({ device: arbiterDevices.find((d) => d !== arbiter.device), size: 16384 });
    expect(afterArbiter.map((b) => b.size).sort((a, b) => a - b)).toEqual([16384, 10485760, 10485760]);
    expect((await client.call('GET', `/devices/${arbiter.device}`)).body.storage.used).toBe(0);

    // No arbiter-capable device left: Heketi's text, and nothing moved.
    await client.call('POST', `/devices/${arbiter.device}/tags`, { change_type: 'set', tags: { arbiter: 'disabled' } });
    textError(await evict(newArbiter.id), 500, 'No Replacement was found for resource requested to be removed');
    expect(await bricks()).toEqual(afterArbiter);
    // Failing the arbiter's device fails the same way; once a device supports arbiters again the brick moves there.
    expect((await client.settle(await client.call('POST', `/devices/${newArbiter.device}/state`, { state: 'offline' }))).status).toBe(204);
    textError(await client.settle(await client.call('POST', `/devices/${newArbiter.device}/state`, { state: 'failed' })), 500, 'No Replacement was found for resource requested to be removed');
    await client.call('POST', `/devices/${arbiter.device}/tags`, { change_type: 'set', tags: { arbiter: 'supported' } });
    expect((await client.settle(await client.call('POST', `/devices/${newArbiter.device}/state`, { state: 'failed' }))).status).toBe(204);
    const final = await bricks();
    expect(final.find((b) => b.size === 16384)?.device).toBe(arbiter.device);
    expect(final.filter((b) => b.size === 10485760).map((b) => b.device).sort()).toEqual(afterArbiter.filter((b) => b.size === 10485760).map((b) => b.device).sort());
  });

  test('several clusters: the refusal of each is listed', async () => {
    const a = await client.cluster({ block: false, file: true });
    const b = await client.cluster({ block: false, file: true });
    const res = await client.call('POST', '/volumes', { size: 1, clusters: [a, b] });
    expect(res.status).toBe(500);
    const lines = res.text.trimEnd().split('\n');
    expect(lines[0]).toBe('Failed to allocate new volume: Unable to create volume on any cluster:');
    expect(lines.slice(1).sort()).toEqual([`Cluster ${a}: No nodes in cluster`, `Cluster ${b}: No nodes in cluster`].sort());
  });
});

describe('pending operations on a frozen clock', () => {
  let rt: TestRuntime;
  let client: Client;
  beforeAll(async () => ({ rt, client } = await setup({ maxInflightOperations: 1 }, '', 1)));
  afterAll(() => rt.close());

  /**
   * Steps sleep on the domain clock: move it on until every job has ended. Bounded by wall time,
   * not by rounds: on a loaded machine the runner may need many rounds to take its turn.
   */
  const runJobs = async () => {
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
      const active = await rt.services.jobs.count({ field: 'state', op: 'in', value: ['queued', 'running'] });
      if (!active) return;
      rt.clock.advance(60_000);
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('jobs did not finish');
  };

  test('X-Pending while the job runs, hidden volume, 429 over the limit, then the outcome once', async () => {
    rt.clock.freeze();
    const cluster = await client.cluster();
    const add = await client.call('POST', '/nodes', { zone: 1, hostnames: { manage: ['p1.example.test'], storage: ['10.5.0.1'] }, cluster });
    expect(add.status).toBe(202);
    const pending = await client.call('GET', add.headers.location);
    expect(pending.status).toBe(200);
    expect(pending.headers['x-pending']).toBe('true');
    expect(pending.headers['content-type']).toBeUndefined();
    expect(pending.text).toBe('');
    textError(await client.call('POST', '/volumes', { size: 1 }), 429, 'Server busy. Retry operation later.');
    await runJobs();
    expect((await client.call('GET', add.headers.location)).status).toBe(303);
    const node = (await client.call('GET', `/clusters/${cluster}`)).body.nodes[0];
    for (const name of ['/dev/sdb', '/dev/sdc', '/dev/sdd']) {
      const dev = await client.call('POST', '/devices', { node, name });
      await runJobs();
      expect((await client.call('GET', dev.headers.location)).status).toBe(204);
    }

    const create = await client.call('POST', '/volumes', { size: 1 });
    expect(create.status).toBe(202);
    expect((await client.call('GET', '/volumes')).body.volumes).toEqual([]);
    expect((await client.call('GET', '/operations')).body).toMatchObject({ total: 1, stale: 0, failed: 0, new: 1 });
    const ops = (await client.call('GET', '/operations/pending')).body.pendingoperations;
    expect(ops).toEqual([{ id: create.headers.location.split('/').pop(), type_name: 'create-volume', status: 'new', sub_status: '' }]);
    const detail = await client.call('GET', `/operations/pending/${ops[0].id}`);
    expect(detail.body.changes).toHaveLength(1);
    expect((await client.call('GET', create.headers.location)).headers['x-pending']).toBe('true');
    const pendingId = (await rt.services.jobs.get(coreIdOf(create.headers.location))).affected[0].id.replace(/-/g, '');
    textError(await client.call('GET', `/volumes/${pendingId}`), 404, 'Id not found');
    textError(await client.call('DELETE', `/volumes/${pendingId}`), 500, 'Failed to set up volume delete: The target exists, contains other items, or is in use.');
    await runJobs();
    const done = await client.call('GET', create.headers.location);
    expect(done.status).toBe(303);
    const id = done.headers.location.split('/').pop();
    expect((await client.call('GET', '/volumes')).body.volumes).toEqual([id]);
    textError(await client.call('GET', create.headers.location), 404, 'Id not found');
    rt.clock.unfreeze();
  });
});

describe('max_volumes_per_cluster', () => {
  let rt: TestRuntime;
  let client: Client;
  beforeAll(async () => ({ rt, client } = await setup({ maxVolumesPerCluster: 2 })));
  afterAll(() => rt.close());

  test('a full cluster is not eligible; with another, both are listed', async () => {
    const { cluster } = await client.topology([1]);
    const body = { size: 1, clusters: [cluster] };
    expect((await client.settle(await client.call('POST', '/volumes', body))).status).toBe(303);
    expect((await client.settle(await client.call('POST', '/volumes', body))).status).toBe(303);
    textError(await client.call('POST', '/volumes', body), 500, 'Failed to allocate new volume: Cluster has 2 volumes and limit is 2');
    const other = await client.cluster({ block: false, file: false });
    const both = await client.call('POST', '/volumes', { size: 1, clusters: [cluster, other] });
    const lines = both.text.split('\n');
    expect(both.status).toBe(500);
    expect(lines[0]).toBe('Failed to allocate new volume: No eligible cluster for volume');
    expect(lines.slice(1, 3).sort()).toEqual([`Cluster ${cluster}: Cluster has 2 volumes and limit is 2`, `Cluster ${other}: Cluster has disabled all volume types`].sort());
  });
});
