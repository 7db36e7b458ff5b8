import request from 'supertest';
import { Harness, harness } from './harness';

/** 25 VMs on two hosts in two clusters: enough for two pages. */
const FIXTURE = {
  seed: 'eco4cloud-get',
  sites: [
    {
      name: 'farm_a',
      clusters: [
        {
          name: 'Cluster_One',
          datastores: [{ name: 'ds_one', capacityGiB: 1024 }],
          hosts: [{ name: 'host_1', vms: Array.from({ length: 15 }, (_, i) => ({ name: `vm_${String(i + 1).padStart(2, '0')}`, diskGiB: 1, datastore: 'ds_one' })) }],
        },
        {
          name: 'cluster_two',
          datastores: [{ name: 'ds_two', capacityGiB: 1024 }],
          hosts: [{ name: 'host_2', vms: Array.from({ length: 10 }, (_, i) => ({ name: `vm_${i + 16}`, diskGiB: 1, datastore: 'ds_two' })) }],
        },
      ],
    },
    { name: 'farm_b', clusters: [{ name: 'cluster_b', hosts: [{ name: 'host_b' }] }], hosts: [{ name: 'loose_host' }] },
  ],
};

let h: Harness;
let ticket: string;
beforeAll(async () => {
  h = await harness(FIXTURE);
  ticket = await h.login();
});
afterAll(() => h.rt.close());

const get = (path: string) => request(h.app).get(path).set('ticket', ticket);
const names = (rows: { name: string }[]) => rows.map((r) => r.name);

test('without page, every match', async () => {
  expect((await get('/api/Vm/get')).body.Vms).toHaveLength(25);
  expect(names((await get('/api/Farm/get')).body.Farms)).toEqual(['farm_a', 'farm_b']);
  expect(names((await get('/api/Host/get')).body.Hosts)).toEqual(['host_1', 'host_2', 'host_b', 'loose_host']);
});

test('page=N gives at most 20, in a stable order', async () => {
  const p1 = (await get('/api/Vm/get?page=1')).body.Vms;
  const p2 = (await get('/api/Vm/get?page=2')).body.Vms;
  const p3 = (await get('/api/Vm/get?page=3')).body.Vms;
  expect(p1).toHaveLength(20);
  expect(p2).toHaveLength(5);
  expect(p3).toEqual([]);
  expect(new Set([...names(p1), ...names(p2)]).size).toBe(25);
  expect(names(p1)[0]).toBe('vm_01');
});

test('entity and filter names are case-insensitive; values match regardless of case', async () => {
  expect(names((await get('/api/vm/get?Cluster_name=cluster_one')).body.Vms)).toHaveLength(15);
  expect(names((await get('/api/VM/get?HOST_NAME=host_2')).body.Vms)).toHaveLength(10);
  expect(names((await get('/api/host/get?cluster_name=CLUSTER_TWO')).body.Hosts)).toEqual(['host_2']);
  expect(names((await get('/api/datastore/get?Cluster_Name=cluster_two')).body.DataStore)).toEqual(['ds_two']);
  expect(names((await get('/api/cluster/get?FARM_NAME=farm_b')).body.Clusters)).toEqual(['cluster_b']);
});

test('filters combine, and an unmatched filter gives an empty list', async () => {
  expect(names((await get('/api/Vm/get?cluster_name=Cluster_One&host_name=host_2')).body.Vms)).toEqual([]);
  expect(names((await get('/api/Vm/get?name=vm_16&host_name=host_2')).body.Vms)).toEqual(['vm_16']);
  expect((await get('/api/Host/get?cluster_name=nope')).body).toEqual({ Hosts: [] });
  expect((await get('/api/DataStore/get?host_name=loose_host')).body).toEqual({ DataStore: [] });
});

test('a host outside any cluster renders an empty Cluster', async () => {
  expect((await get('/api/Host/get?name=loose_host')).body.Hosts[0]).toMatchObject({ Cluster: '', Farm: 'farm_b' });
});

test('hostile values and unknown parameters never reach SQL and never fail', async () => {
  expect((await get(`/api/Host/get?name=${encodeURIComponent("x' OR '1'='1")}`)).body).toEqual({ Hosts: [] });
  expect((await get('/api/Host/get?name=%25')).body).toEqual({ Hosts: [] });
  expect((await get('/api/Farm/get?_=12345&seq;drop=1')).body.Farms).toHaveLength(2);
});

test('bad page and repeated filters get an error result', async () => {
  for (const page of ['0', '-1', 'abc', '1.5']) {
    expect((await get(`/api/Vm/get?page=${page}`)).body).toEqual({ result: 'error', error: 'page must be a positive integer' });
  }
  expect((await get('/api/Vm/get?name=a&name=b')).body).toEqual({ result: 'error', error: 'parameter name must be given once, as a plain value' });
  // Brackets are not special in the appliance's query strings: `name[x]` is just another unknown parameter.
  expect((await get('/api/Vm/get?name[x]=a')).body.Vms).toHaveLength(25);
});

test('an unknown entity gets an error result', async () => {
  expect((await get('/api/Switch/get')).body).toEqual({ result: 'error', error: 'unknown entity Switch' });
});

test('get accepts only GET', async () => {
  const res = await request(h.app).delete('/api/Farm/get').set('ticket', ticket);
  expect(res.body).toEqual({ result: 'error', error: 'DELETE is not allowed here: use GET' });
});

test('a change made through the core (another dialect) shows at once', async () => {
  const host = (await h.rt.services.hosts.list({ filter: { field: 'name', op: 'eq', value: 'host_b' } }))[0];
  await h.rt.services.hosts.update(host.id, { power: 'off', state: 'down' });
  expect((await get('/api/Host/get?name=host_b')).body.Hosts[0]).toMatchObject({ powered_on: 'false', Performance: [{ power: '0.00', cpu: '0.00' }] });
});

test('cached lists follow renames, setting changes and deletions made anywhere at once', async () => {
  // Warm every cache first: the inventory, the rendered host rows and the VM page index.
  const before = (await get('/api/Host/get?name=host_2')).body.Hosts[0];
  expect(before).toMatchObject({ Cluster: 'cluster_two', standby_enabled: 'true' });
  expect(names((await get('/api/Vm/get?page=1')).body.Vms)[0]).toBe('vm_01');

  const [cluster] = await h.rt.services.clusters.list({ filter: { field: 'name', op: 'eq', value: 'cluster_two' } });
  await h.rt.services.clusters.update(cluster.id, { name: 'cluster_2b' });
  expect((await get('/api/Host/get?name=host_2')).body.Hosts[0].Cluster).toBe('cluster_2b');
  expect(names((await get('/api/Vm/get?cluster_name=CLUSTER_2B')).body.Vms)).toHaveLength(10);

  await h.rt.services.consolidation.configure('host', 'host_2', { standbyEnabled: false });
  expect((await get('/api/Host/get?name=host_2')).body.Hosts[0].standby_enabled).toBe('false');

  const [first] = await h.rt.services.vms.list({ filter: { field: 'name', op: 'eq', value: 'vm_01' } });
  await h.rt.services.vms.remove(first.id);
  const page = names((await get('/api/Vm/get?page=1')).body.Vms);
  expect(page[0]).toBe('vm_02');
  expect(page).toHaveLength(20);
  expect(names((await get('/api/Vm/get?page=2')).body.Vms)).toHaveLength(4);

  await h.rt.services.clusters.update(cluster.id, { name: 'cluster_two' });
  await h.rt.services.consolidation.configure('host', 'host_2', { standbyEnabled: true });
});
