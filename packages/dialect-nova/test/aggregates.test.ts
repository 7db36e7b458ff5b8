import request from 'supertest';
import { Harness, V, startHarness } from './harness';
import { NOVA_FIXTURE } from './fixture';

describe('os-aggregates', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(NOVA_FIXTURE);
  });
  afterAll(() => h.close());

  const call = (method: 'get' | 'post' | 'put' | 'delete', path: string, body?: unknown, version?: string, token = h.adminToken) => {
    const req = request(h.app)[method](`${V}${path}`).set('X-Auth-Token', token);
    if (version) req.set('X-OpenStack-Nova-API-Version', version);
    return body === undefined ? req : req.send(body as object);
  };
  const create = async (name: string, az?: string | null) => {
    const res = await call('post', '/os-aggregates', { aggregate: { name, ...(az !== undefined ? { availability_zone: az } : {}) } }, '2.41');
    expect(res.status).toBe(200);
    return res.body.aggregate as { id: number; uuid: string; name: string };
  };
  const fault = (status: number, name: string, message: string) => ({ status, body: { [name]: { code: status, message } } });
  const expectFault = (res: request.Response, status: number, name: string, message: string) =>
    expect({ status: res.status, body: res.body }).toEqual(fault(status, name, message));

  it('lists the fixture aggregates with hosts and the zone in metadata', async () => {
    const res = await call('get', '/os-aggregates');
    expect(res.status).toBe(200);
    const fast = res.body.aggregates.find((a: { name: string }) => a.name === 'fast-storage');
    expect(fast).toMatchObject({
      availability_zone: 'az-fast',
      metadata: { ssd: 'true', availability_zone: 'az-fast' },
      deleted: false,
      deleted_at: null,
      updated_at: null,
    });
    expect([...fast.hosts].sort()).toEqual(['node-a1', 'node-a2']);
    expect(fast.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    expect(fast).not.toHaveProperty('uuid');
    const batch = res.body.aggregates.find((a: { name: string }) => a.name === 'batch');
    expect(batch).toMatchObject({ availability_zone: null, metadata: {}, hosts: ['node-b1'] });
  });

  it('create answers 200 without hosts or metadata; uuid only from 2.41', async () => {
    const old = await call('post', '/os-aggregates', { aggregate: { name: 'agg-old', availability_zone: null } });
    expect(old.status).toBe(200);
    expect(Object.keys(old.body.aggregate).sort()).toEqual(['availability_zone', 'created_at', 'deleted', 'deleted_at', 'id', 'name', 'updated_at']);
    expect(old.body.aggregate.id).toEqual(expect.any(Number));
    const created = await create('agg-new', 'az-new');
    expect(created.uuid).toMatch(/^[0-9a-f-]{36}$/);
    const shown = await call('get', `/os-aggregates/${created.id}`, undefined, '2.41');
    expect(shown.body.aggregate).toMatchObject({ id: created.id, uuid: created.uuid, availability_zone: 'az-new', metadata: { availability_zone: 'az-new' }, hosts: [] });
  });

  it('refuses duplicate names ignoring case with 409 conflictingRequest', async () => {
    await create('dup-me');
    expectFault(await call('post', '/os-aggregates', { aggregate: { name: 'DUP-ME' } }), 409, 'conflictingRequest', 'Aggregate DUP-ME already exists.');
  });

  it.each([
    [{}, "'aggregate' is a required property"],
    [{ aggregate: {} }, "Invalid input for field/attribute aggregate. Value: {}. 'name' is a required property"],
    [{ aggregate: { name: 5 } }, "Invalid input for field/attribute name. Value: 5. 5 is not of type 'string'"],
    [{ aggregate: { name: '' } }, "Invalid input for field/attribute name. Value: . '' is too short"],
    [{ aggregate: { name: 'x'.repeat(256) } }, `Invalid input for field/attribute name. Value: ${'x'.repeat(256)}. '${'x'.repeat(256)}' is too long`],
    [{ aggregate: { name: ' lead' } }, "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace."],
    [{ aggregate: { name: 'a', foo: 1 } }, "Invalid input for field/attribute aggregate. Value: {'name': 'a', 'foo': 1}. Additional properties are not allowed ('foo' was unexpected)"],
    [{ aggregate: { name: 'a', availability_zone: 'bad:az' } }, "Invalid input for field/attribute availability_zone. Value: bad:az. 'bad:az' is not valid under any of the given schemas"],
    [{ aggregate: { name: 'a' }, extra: true }, "Additional properties are not allowed ('extra' was unexpected)"],
  ])('create validation %j', async (body, message) => {
    expectFault(await call('post', '/os-aggregates', body), 400, 'badRequest', message);
  });

  it('checks the schema before policy, and policy before the id', async () => {
    expect((await call('post', '/os-aggregates', { aggregate: {} }, undefined, h.demoToken)).status).toBe(400);
    expectFault(
      await call('post', '/os-aggregates', { aggregate: { name: 'x' } }, undefined, h.demoToken),
      403,
      'forbidden',
      "Policy doesn't allow os_compute_api:os-aggregates:create to be performed.",
    );
    for (const [method, path, rule] of [
      ['get', '/os-aggregates', 'index'],
      ['get', '/os-aggregates/abc', 'show'],
      ['delete', '/os-aggregates/abc', 'delete'],
    ] as const) {
      expectFault(await call(method, path, undefined, undefined, h.demoToken), 403, 'forbidden', `Policy doesn't allow os_compute_api:os-aggregates:${rule} to be performed.`);
    }
    expectFault(
      await call('post', '/os-aggregates/abc/action', { add_host: { host: 'node-b2' } }, undefined, h.demoToken),
      403,
      'forbidden',
      "Policy doesn't allow os_compute_api:os-aggregates:add_host to be performed.",
    );
  });

  it('refuses a non-integer id with 400 and answers -1 with 404', async () => {
    expectFault(await call('get', '/os-aggregates/abc'), 400, 'badRequest', 'Invalid input received: id must be an integer');
    expectFault(await call('get', '/os-aggregates/-1'), 404, 'itemNotFound', 'Aggregate -1 could not be found.');
    expectFault(await call('put', '/os-aggregates/99999', { aggregate: { name: 'n' } }), 404, 'itemNotFound', 'Aggregate 99999 could not be found.');
    expectFault(await call('delete', '/os-aggregates/99999'), 404, 'itemNotFound', 'Aggregate 99999 could not be found.');
  });

  it('update renames (stripped), moves the zone keeping other metadata, and sets updated_at', async () => {
    const a = await create('upd-1', 'az-u1');
    await call('post', `/os-aggregates/${a.id}/action`, { set_metadata: { metadata: { k: 'v' } } });
    const res = await call('put', `/os-aggregates/${a.id}`, { aggregate: { name: '  upd-1b  ', availability_zone: 'az-u2' } });
    expect(res.status).toBe(200);
    expect(res.body.aggregate).toMatchObject({ name: 'upd-1b', availability_zone: 'az-u2', metadata: { k: 'v', availability_zone: 'az-u2' } });
    expect(res.body.aggregate.updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    expectFault(
      await call('put', `/os-aggregates/${a.id}`, {}),
      400,
      'badRequest',
      "'aggregate' is a required property",
    );
    expectFault(
      await call('put', `/os-aggregates/${a.id}`, { aggregate: {} }),
      400,
      'badRequest',
      'Invalid input for field/attribute aggregate. Value: {}. {} is not valid under any of the given schemas',
    );
    expectFault(
      await call('put', `/os-aggregates/${a.id}`, { aggregate: { availability_zone: null } }),
      400,
      'badRequest',
      `Cannot update aggregate ${a.id}. Reason: Aggregate upd-1b does not support empty named availability zone.`,
    );
    expectFault(await call('put', `/os-aggregates/${a.id}`, { aggregate: { name: 'BATCH' } }), 409, 'conflictingRequest', 'Aggregate BATCH already exists.');
  });

  it('add_host and remove_host use compute host names, with Nova messages', async () => {
    const a = await create('hosts-1');
    const added = await call('post', `/os-aggregates/${a.id}/action`, { add_host: { host: 'node-b2' } });
    expect(added.status).toBe(200);
    expect(added.body.aggregate.hosts).toEqual(['node-b2']);
    expect(added.body.aggregate.updated_at).toBeNull();
    expectFault(await call('post', `/os-aggregates/${a.id}/action`, { add_host: { host: 'node-b2' } }), 409, 'conflictingRequest', `Aggregate ${a.id} already has host node-b2.`);
    expectFault(await call('post', `/os-aggregates/${a.id}/action`, { add_host: { host: 'NODE-B2' } }), 404, 'itemNotFound', 'Compute host NODE-B2 could not be found.');
    expectFault(await call('post', '/os-aggregates/99999/action', { add_host: { host: 'ghost' } }), 404, 'itemNotFound', 'Compute host ghost could not be found.');
    expectFault(await call('post', '/os-aggregates/99999/action', { add_host: { host: 'node-b2' } }), 404, 'itemNotFound', 'Aggregate 99999 could not be found.');
    expectFault(
      await call('post', `/os-aggregates/${a.id}/action`, { add_host: { host: 'bad host' } }),
      400,
      'badRequest',
      "Invalid input for field/attribute host. Value: bad host. 'bad host' does not match '^[a-zA-Z0-9-._]*$'",
    );
    expectFault(await call('post', `/os-aggregates/${a.id}/action`, { remove_host: { host: 'node-b3' } }), 404, 'itemNotFound', `Cannot remove host node-b3 in aggregate ${a.id}`);
    expectFault(await call('post', `/os-aggregates/${a.id}/action`, { remove_host: { host: 'ghost' } }), 404, 'itemNotFound', `Cannot remove host ghost in aggregate ${a.id}`);
    expectFault(await call('post', '/os-aggregates/99999/action', { remove_host: { host: 'node-b2' } }), 404, 'itemNotFound', 'Cannot remove host node-b2 in aggregate 99999');
    expectFault(await call('delete', `/os-aggregates/${a.id}`), 400, 'badRequest', `Cannot remove host from aggregate ${a.id}. Reason: Host aggregate is not empty.`);
    const removed = await call('post', `/os-aggregates/${a.id}/action`, { remove_host: { host: 'node-b2' } });
    expect(removed.body.aggregate.hosts).toEqual([]);
    const deleted = await call('delete', `/os-aggregates/${a.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.text).toBe('');
    expect((await call('get', `/os-aggregates/${a.id}`)).status).toBe(404);
  });

  it('keeps a host in one zone: 409 on add_host, 400 on update and set_metadata', async () => {
    const other = await create('zone-2', 'az-two');
    expectFault(
      await call('post', `/os-aggregates/${other.id}/action`, { add_host: { host: 'node-a1' } }),
      409,
      'conflictingRequest',
      `Cannot add host to aggregate ${other.id}. Reason: One or more hosts already in availability zone(s) ['az-fast'].`,
    );
    const plain = await create('plain-1');
    const added = await call('post', `/os-aggregates/${plain.id}/action`, { add_host: { host: 'node-a1' } });
    expect(added.status).toBe(200);
    expectFault(
      await call('put', `/os-aggregates/${plain.id}`, { aggregate: { availability_zone: 'az-elsewhere' } }),
      400,
      'badRequest',
      `Cannot update aggregate ${plain.id}. Reason: One or more hosts already in availability zone(s) ['az-fast'].`,
    );
    expectFault(
      await call('post', `/os-aggregates/${plain.id}/action`, { set_metadata: { metadata: { availability_zone: 'az-elsewhere' } } }),
      400,
      'badRequest',
      `Cannot update metadata of aggregate ${plain.id}. Reason: One or more hosts already in availability zone(s) ['az-fast'].`,
    );
    // Nova compares the aggregate's own zone name: naming a zone on a zoneless aggregate whose host runs VMs is refused.
    expectFault(
      await call('post', `/os-aggregates/${plain.id}/action`, { set_metadata: { metadata: { availability_zone: 'az-fast' } } }),
      400,
      'badRequest',
      `Cannot update metadata of aggregate ${plain.id}. Reason: One or more hosts contain instances in this zone.`,
    );
    await call('post', `/os-aggregates/${plain.id}/action`, { remove_host: { host: 'node-a1' } });
  });

  it('refuses to move hosts that run VMs to another zone', async () => {
    const fast = (await call('get', '/os-aggregates')).body.aggregates.find((a: { name: string }) => a.name === 'fast-storage');
    expectFault(
      await call('put', `/os-aggregates/${fast.id}`, { aggregate: { availability_zone: 'az-moved' } }),
      400,
      'badRequest',
      `Cannot update aggregate ${fast.id}. Reason: One or more hosts contain instances in this zone.`,
    );
    const zoned = await create('zone-3', 'az-three');
    expectFault(
      await call('post', `/os-aggregates/${zoned.id}/action`, { add_host: { host: 'node-a3' } }),
      409,
      'conflictingRequest',
      `Cannot add host to aggregate ${zoned.id}. Reason: One or more hosts contain instances in this zone.`,
    );
  });

  it('set_metadata merges, null deletes, missing keys are ignored, the zone cannot be removed', async () => {
    const a = await create('meta-1', 'az-m');
    const set = await call('post', `/os-aggregates/${a.id}/action`, { set_metadata: { metadata: { a: '1', b: '2' } } });
    expect(set.body.aggregate.metadata).toEqual({ a: '1', b: '2', availability_zone: 'az-m' });
    expect(set.body.aggregate.updated_at).not.toBeNull();
    const merged = await call('post', `/os-aggregates/${a.id}/action`, { set_metadata: { metadata: { a: null, c: '3', nothere: null } } });
    expect(merged.body.aggregate.metadata).toEqual({ b: '2', c: '3', availability_zone: 'az-m' });
    expectFault(
      await call('post', `/os-aggregates/${a.id}/action`, { set_metadata: { metadata: { availability_zone: null } } }),
      400,
      'badRequest',
      `Cannot update metadata of aggregate ${a.id}. Reason: Aggregate meta-1 does not support empty named availability zone.`,
    );
    expectFault(
      await call('post', `/os-aggregates/${a.id}/action`, { set_metadata: { metadata: { 'bad/key': 'x' } } }),
      400,
      'badRequest',
      "Invalid input for field/attribute metadata. Value: {'bad/key': 'x'}. 'bad/key' does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'",
    );
    expectFault(
      await call('post', `/os-aggregates/${a.id}/action`, { set_metadata: { metadata: { k: 1 } } }),
      400,
      'badRequest',
      "Invalid input for field/attribute k. Value: 1. 1 is not of type 'string', 'null'",
    );
    expectFault(await call('post', '/os-aggregates/99999/action', { set_metadata: { metadata: { k: 'v' } } }), 404, 'itemNotFound', 'Aggregate 99999 could not be found.');
  });

  it('words broken action bodies as Nova does', async () => {
    const a = await create('act-1');
    expectFault(await call('post', `/os-aggregates/${a.id}/action`, { frobnicate: {} }), 400, 'badRequest', 'There is no such action: frobnicate');
    expectFault(await call('post', `/os-aggregates/${a.id}/action`, { add_host: {}, remove_host: {} }), 400, 'badRequest', 'Malformed request body');
    const broken = await request(h.app).post(`${V}/os-aggregates/${a.id}/action`).set('X-Auth-Token', h.adminToken).set('Content-Type', 'application/json').send('{"add_host": ');
    expectFault(broken, 400, 'badRequest', 'Malformed request body');
    const text = await request(h.app).post(`${V}/os-aggregates`).set('X-Auth-Token', h.adminToken).set('Content-Type', 'text/plain').send('name=x');
    expectFault(text, 415, 'badMediaType', 'Unsupported Content-Type');
  });

  it('caches images from 2.81 only (202), checking duplicates', async () => {
    const a = await create('img-1');
    const image = '3a1f6e3c-5b0e-4f6a-9a53-1d2c6f0e8b21';
    expectFault(await call('post', `/os-aggregates/${a.id}/images`, { cache: [{ id: image }] }, '2.80'), 404, 'itemNotFound', 'The resource could not be found.');
    const ok = await call('post', `/os-aggregates/${a.id}/images`, { cache: [{ id: image }] }, '2.81');
    expect(ok.status).toBe(202);
    expect(ok.text).toBe('');
    expectFault(await call('post', `/os-aggregates/${a.id}/images`, { cache: [{ id: image }, { id: image }] }, '2.81'), 400, 'badRequest', 'Duplicate images in request');
    expectFault(await call('post', `/os-aggregates/${a.id}/images`, { cache: [] }, '2.81'), 400, 'badRequest', 'Invalid input for field/attribute cache. Value: []. [] is too short');
  });

  it('shares memberships with the core: a host added here is an aggregate member everywhere', async () => {
    const a = await create('core-1');
    await call('post', `/os-aggregates/${a.id}/action`, { add_host: { host: 'node-b3' } });
    const core = await h.rt.services.aggregates.get(a.uuid);
    const host = (await h.rt.services.hosts.list({ filter: { field: 'name', op: 'eq', value: 'node-b3' } }))[0];
    expect(core.hostIds).toEqual([host.id]);
  });
});
