import request from 'supertest';
import { dialectApp } from '@rosetta/testing';
import { createLustreRouter } from '../src';
import { SETTINGS, lustreApp } from './helpers';

describe('Tastypie conventions', () => {
  let env: Awaited<ReturnType<typeof lustreApp>>;
  beforeAll(async () => {
    env = await lustreApp();
  });
  afterAll(async () => env.rt.close());

  it('lists every resource, sorted, at /api/', async () => {
    const res = await request(env.app).get('/lustre/api/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    const names = Object.keys(res.body);
    expect(names).toEqual([...names].sort());
    expect(names).toHaveLength(37);
    expect(res.body.host).toEqual({ list_endpoint: '/lustre/api/host/', schema: '/lustre/api/host/schema/' });
    expect(res.text.startsWith('{"action": {"list_endpoint": ')).toBe(true);
  });

  it('redirects to the trailing slash, query kept', async () => {
    const res = await request(env.app).get('/lustre/api/host?limit=0&fqdn=x');
    expect(res.status).toBe(301);
    expect(res.headers.location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/lustre\/api\/host\/\?limit=0&fqdn=x$/);
  });

  it('answers the schema with fields, filtering and ordering', async () => {
    const res = await request(env.app).get('/lustre/api/host/schema/');
    expect(res.status).toBe(200);
    expect(res.body.allowed_list_http_methods).toEqual(['get', 'post', 'put']);
    expect(res.body.allowed_detail_http_methods).toEqual(['get', 'put', 'delete']);
    expect(res.body.default_limit).toBe(20);
    expect(res.body.filtering).toEqual({ fqdn: ['exact', 'startswith'], id: ['exact'], role: ['exact'] });
    expect(res.body.ordering).toEqual(['fqdn']);
    expect(res.body.fields.fqdn).toEqual({
      blank: false,
      default: 'No default provided.',
      help_text: 'Unicode string, fully qualified domain name',
      nullable: false,
      readonly: true,
      type: 'string',
      unique: false,
    });
    expect(res.body.fields.server_profile.related_type).toBe('to_one');
    const fs = await request(env.app).get('/lustre/api/filesystem/schema/');
    expect(fs.body.fields.mgt.readonly).toBe(false);
    expect(fs.body.fields.osts.type).toBe('related');
  });

  it('serves a schema for every resource listed', async () => {
    const top = await request(env.app).get('/lustre/api/');
    for (const [name, links] of Object.entries(top.body as Record<string, { schema: string; list_endpoint: string }>)) {
      const schema = await request(env.app).get(links.schema);
      expect([name, schema.status]).toEqual([name, 200]);
      expect(schema.body.fields).toBeDefined();
    }
  });

  it('lists every list endpoint anonymously, as test_anonymous_access_control expects', async () => {
    const top = await request(env.app).get('/lustre/api/');
    const skipped = new Set(['help', 'test_host', 'system_status', 'session', 'action']);
    for (const [name, links] of Object.entries(top.body as Record<string, { list_endpoint: string }>)) {
      if (skipped.has(name)) continue;
      const res = await request(env.app).get(`${links.list_endpoint}?limit=0`);
      expect([name, res.status]).toEqual([name, 200]);
      expect(res.body.meta.limit).toBe(1000);
    }
  });

  it('pages with meta and next/previous keeping other parameters', async () => {
    const res = await request(env.app).get('/lustre/api/host/?order_by=fqdn&fqdn__startswith=node&limit=2&offset=2');
    expect(res.status).toBe(200);
    expect(res.body.meta.limit).toBe(2);
    expect(res.body.meta.offset).toBe(2);
    expect(res.body.meta.total_count).toBeGreaterThan(4);
    expect(res.body.meta.next).toBe('/lustre/api/host/?order_by=fqdn&fqdn__startswith=node&limit=2&offset=4');
    expect(res.body.meta.previous).toBe('/lustre/api/host/?order_by=fqdn&fqdn__startswith=node&limit=2&offset=0');
    const fqdns = res.body.objects.map((h: { fqdn: string }) => h.fqdn);
    expect(fqdns).toEqual([...fqdns].sort());
    const first = await request(env.app).get('/lustre/api/host/');
    expect(first.body.meta.previous).toBeNull();
  });

  it('caps limit=0 at 1000', async () => {
    const res = await request(env.app).get('/lustre/api/host/?limit=0');
    expect(res.body.meta.limit).toBe(1000);
    expect(res.body.meta.next).toBeNull();
    expect(res.body.objects.length).toBe(res.body.meta.total_count);
  });

  it.each([
    ['nodename=x', "The 'nodename' field does not allow filtering."],
    ['fqdn__icontains=x', "'icontains' is not an allowed filter on the 'fqdn' field."],
    ['fqdn__bogus=x', "The 'fqdn' field does not support relations."],
    ['id=abc', 'Invalid resource lookup data provided (mismatched type).'],
    ['order_by=-bogus', "No matching 'bogus' field for ordering on."],
    ['order_by=nodename', "The 'nodename' field does not allow ordering."],
    ['order_by=%3Cscript%3E', "No matching '&lt;script&gt;' field for ordering on."],
    ['limit=x', "Invalid limit 'x' provided. Please provide a positive integer."],
    ['limit=-1', "Invalid limit '-1' provided. Please provide a positive integer &gt;= 0."],
    ['offset=y', "Invalid offset 'y' provided. Please provide an integer."],
  ])('refuses %s with the exact Tastypie message', async (query, message) => {
    const res = await request(env.app).get(`/lustre/api/host/?${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: message });
  });

  it('ignores parameters that name no field, including hostile ones', async () => {
    const all = await request(env.app).get('/lustre/api/host/?limit=0');
    const res = await request(env.app).get(`/lustre/api/host/?limit=0&foo=1&${encodeURIComponent("x'; DROP TABLE hosts;--")}=1&role__exact=mgs`);
    expect(res.status).toBe(200);
    expect(res.body.meta.total_count).toBe(all.body.meta.total_count);
  });

  it('filters with exact, startswith, repeated and comma __in and order_by -', async () => {
    const all = (await request(env.app).get('/lustre/api/host/?limit=0&order_by=-fqdn')).body.objects as { id: number; fqdn: string }[];
    expect(all.map((h) => h.fqdn)).toEqual(all.map((h) => h.fqdn).sort().reverse());
    const one = await request(env.app).get(`/lustre/api/host/?fqdn=${all[0].fqdn}`);
    expect(one.body.objects.map((h: { id: number }) => h.id)).toEqual([all[0].id]);
    const targets = await request(env.app).get('/lustre/api/filesystem/?id__in=1&id__in=2,3');
    expect(targets.status).toBe(200);
    const bad = await request(env.app).get('/lustre/api/filesystem/?id__in=1,x');
    expect(bad.body).toEqual({ error: 'Invalid resource lookup data provided (mismatched type).' });
  });

  it('answers 404 with an empty body, and the canned 404 for a non-integer pk', async () => {
    const missing = await request(env.app).get('/lustre/api/host/99999/');
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('');
    const bad = await request(env.app).get('/lustre/api/host/abc/');
    expect(bad.status).toBe(404);
    expect(bad.body).toEqual({ error_message: 'Sorry, this request could not be processed. Please try again later.' });
    const unknown = await request(env.app).get('/lustre/api/nothing/');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/text\/html/);
  });

  it('answers 405 with Allow for methods a resource lacks, honouring X-HTTP-Method-Override', async () => {
    const res = await request(env.app).delete('/lustre/api/volume/');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
    expect(res.text).toBe('GET');
    const override = await request(env.app).post('/lustre/api/group/').set('X-HTTP-Method-Override', 'DELETE');
    expect(override.status).toBe(405);
  });

  it('serves set/<pk>;<pk>/', async () => {
    const res = await request(env.app).get('/lustre/api/host/set/1;2;9999/');
    expect(res.status).toBe(200);
    expect(res.body.objects.map((h: { id: number }) => h.id)).toEqual([1, 2]);
    expect(res.body.not_found).toEqual(['9999']);
  });

  it('renders a host with the stateful fields', async () => {
    const res = await request(env.app).get('/lustre/api/host/1/');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: 1,
      resource_uri: '/lustre/api/host/1/',
      state: 'managed',
      content_type_id: 13,
      locks: { read: [], write: [] },
      lnet_configuration: '/lustre/api/lnet_configuration/1/',
      server_profile: { name: 'default', resource_uri: '/lustre/api/server_profile/default/' },
      root_pw: null,
    });
    expect(res.body.available_transitions).toEqual([expect.objectContaining({ state: 'removed', verb: 'Remove' })]);
    expect(res.body.nids[0]).toMatch(/@tcp$/);
  });

  it('lists volumes and volume nodes from the devices, usable filter included', async () => {
    const res = await request(env.app).get('/lustre/api/volume/?category=usable&limit=0');
    expect(res.status).toBe(200);
    expect(res.body.objects.length).toBeGreaterThan(3);
    const v = res.body.objects[0];
    expect(v.volume_nodes[0]).toMatchObject({ volume_id: v.id, primary: true, use: true });
    const node = await request(env.app).get(`/lustre/api/volume_node/?host=${v.volume_nodes[0].host_id}&path=${encodeURIComponent(v.volume_nodes[0].path)}`);
    expect(node.body.objects).toHaveLength(1);
    const bad = await request(env.app).get('/lustre/api/volume/?category=weird');
    expect(bad.status).toBe(400);
    expect(bad.text).toBe('');
  });
});

describe('derived network and cluster resources', () => {
  let env: Awaited<ReturnType<typeof lustreApp>>;
  beforeAll(async () => {
    env = await lustreApp();
  });
  afterAll(async () => env.rt.close());

  it('derives interfaces and nids from host addresses', async () => {
    const host = (await request(env.app).get('/lustre/api/host/1/')).body;
    const iface = (await request(env.app).get('/lustre/api/network_interface/?host__id=1')).body.objects;
    expect(iface).toEqual([expect.objectContaining({ id: 1, host: '/lustre/api/host/1/', name: 'eth0', nid: '/lustre/api/nid/1/' })]);
    expect(`${iface[0].inet4_address}@tcp`).toBe(host.nids[0]);
    const nid = (await request(env.app).get('/lustre/api/nid/1/')).body;
    expect(nid).toEqual({ lnd_network: 0, lnd_type: 'tcp', lnet_configuration: '/lustre/api/lnet_configuration/1/', network_interface: '/lustre/api/network_interface/1/', resource_uri: '/lustre/api/nid/1/' });
    expect((await request(env.app).get(`/lustre/api/network_interface/?host__fqdn=${host.fqdn}`)).body.meta.total_count).toBe(1);
  });

  it('reports host profiles, the list wrapped as IML wraps it', async () => {
    const detail = (await request(env.app).get('/lustre/api/host_profile/1/')).body;
    expect(detail).toMatchObject({ host: 1, profiles_valid: true, resource_uri: '/lustre/api/host_profile/1/' });
    expect(Object.keys(detail.profiles)).toEqual(['base_monitored', 'default', 'posix_copytool_worker']);
    expect(detail.profiles.default[0]).toEqual({ description: 'The profile is designed for version 7 of EL', error: '', pass: true, test: 'distro_version < 8 and distro_version >= 7' });
    const list = (await request(env.app).get('/lustre/api/host_profile/?id__in=1,2')).body;
    expect(list.objects).toHaveLength(2);
    expect(list.objects[0]).toEqual({ error: null, host_profiles: detail, traceback: null });
  });

  it('backs every volume with a linux storage resource', async () => {
    const volume = (await request(env.app).get('/lustre/api/volume/1/')).body;
    const resource = (await request(env.app).get(volume.storage_resource)).body;
    expect(resource).toMatchObject({ id: 1, plugin_name: 'linux', class_name: 'UnsharedDevice', deletable: false });
    const classes = (await request(env.app).get('/lustre/api/storage_resource_class/?plugin_name=linux')).body.objects.map((c: { class_name: string }) => c.class_name);
    expect(classes).toEqual(['ScsiDevice', 'UnsharedDevice']);
    const all = (await request(env.app).get('/lustre/api/storage_resource/?limit=0')).body.meta.total_count;
    const unshared = (await request(env.app).get('/lustre/api/storage_resource/?class_name=UnsharedDevice&limit=0')).body.meta.total_count;
    const scsi = (await request(env.app).get('/lustre/api/storage_resource/?class_name=ScsiDevice&limit=0')).body.meta.total_count;
    expect(unshared + scsi).toBe(all);
    expect(scsi).toBeGreaterThan(0);
    expect((await request(env.app).get('/lustre/api/storage_resource/?plugin_name=other')).body.meta.total_count).toBe(0);
  });

  it('shows Corosync and Pacemaker on managed servers, started while the host is up', async () => {
    const host = (await request(env.app).get('/lustre/api/host/1/')).body;
    expect(host.corosync_configuration).toBe('/lustre/api/corosync_configuration/1/');
    const corosync = (await request(env.app).get(host.corosync_configuration)).body;
    expect(corosync).toMatchObject({ id: 1, host: '/lustre/api/host/1/', state: 'started', corosync_reported_up: true, record_type: 'CorosyncConfiguration', available_transitions: [] });
    const pacemaker = (await request(env.app).get('/lustre/api/pacemaker_configuration/?host__fqdn=' + host.fqdn)).body.objects;
    expect(pacemaker).toEqual([expect.objectContaining({ id: 1, state: 'started' })]);
    expect((await request(env.app).put(host.corosync_configuration).send({ state: 'stopped' })).status).toBe(401);
  });

  it('groups servers by cluster in ha_cluster', async () => {
    const res = (await request(env.app).get('/lustre/api/ha_cluster/?limit=0')).body;
    const peers = res.objects.flatMap((c: { peers: { id: number }[] }) => c.peers.map((p) => p.id));
    expect(new Set(peers).size).toBe((await request(env.app).get('/lustre/api/host/?limit=0')).body.meta.total_count);
    expect(res.objects[0]).not.toHaveProperty('resource_uri');
  });
});

describe('on its own port, at the root as the manager serves it', () => {
  it('answers at /api/ with every URI built from the root', async () => {
    const env = await lustreApp();
    try {
      const own = dialectApp(createLustreRouter({ ...env.rt.deps, lustre: SETTINGS }), '/');
      const root = await request(own).get('/api/');
      expect(root.status).toBe(200);
      expect(root.body.host).toEqual({ list_endpoint: '/api/host/', schema: '/api/host/schema/' });
      const hosts = (await request(own).get('/api/host/?limit=1&fqdn__startswith=node')).body;
      expect(hosts.objects[0].resource_uri).toBe(`/api/host/${hosts.objects[0].id}/`);
      expect(hosts.meta.next).toBe('/api/host/?fqdn__startswith=node&limit=1&offset=1');
      const redirect = await request(own).get('/api/host');
      expect(redirect.status).toBe(301);
      expect(redirect.headers.location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/host\/$/);
      // Without a certificate configured there is none to hand out.
      expect((await request(own).get('/certificate/')).status).toBe(404);
    } finally {
      await env.rt.close();
    }
  });
});
