import request from 'supertest';
import { EXAMPLE_FIXTURE, Harness, harness } from './harness';
import { sampleDate } from '../src/render';

/** Every example request of the document, sent verbatim (straight quotes), against its topology. */
let h: Harness;
let ticket: string;
const NUM = /^\d+\.\d{2}$/;

beforeAll(async () => {
  h = await harness(EXAMPLE_FIXTURE, '/eco4cloud');
  ticket = await h.login();
});
afterAll(() => h.rt.close());

const get = (path: string) => request(h.app).get(`/eco4cloud${path}`).set('ticket', ticket);
const post = (path: string, body: string) => request(h.app).post(`/eco4cloud${path}`).set('ticket', ticket).type('json').send(body);
const now = () => sampleDate(new Date(Math.floor(h.rt.clock.now().getTime() / 60_000) * 60_000));

test('SET Farm: allow workload consolidation', async () => {
  const res = await post('/api/Farm/set', '{"setList":[{"name":"consolidation_on","value":"true"}],"whereList":[{"name":"name","value":"test_farm"}]}');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toEqual({ result: 'ok', rows_affected: 1 });
});

test('GET Farm: a server farm chosen by its name', async () => {
  const res = await get('/api/Farm/get?name=test_farm');
  expect(res.status).toBe(200);
  expect(res.body).toEqual({
    Farms: [
      {
        name: 'test_farm',
        description: 'test_farm',
        ta: '80',
        th: '90',
        consolidation_on: 'true',
        power_off_min_uptime: '30',
        power_on_min_downtime: '10',
      },
    ],
  });
});

test('GET Cluster: the clusters of a farm', async () => {
  await post('/api/Cluster/set', '{"setList":[{"name":"power_off_min_uptime","value":"10"}],"whereList":[{"name":"name","value":"cluster_test"}]}');
  const res = await get('/api/Cluster/get?name=cluster_test&farm_name=test_farm');
  expect(res.body).toEqual({
    Clusters: [
      {
        name: 'cluster_test',
        uuid: expect.stringMatching(/^datacenter-\d+_domain-c\d+$/),
        servers_always_on: '1',
        consolidation_enabled: 'true',
        Farm: 'test_farm',
        power_off_min_uptime: '10',
        power_on_min_downtime: '10',
        drs_mode: 'nothing',
      },
    ],
  });
  expect((await get('/api/Cluster/get?name=cluster_test&farm_name=other_farm')).body).toEqual({ Clusters: [] });
});

test('SET Cluster: stop workload consolidation on a cluster', async () => {
  const res = await post('/api/Cluster/set', '{"setList":[{"name":"consolidation_enabled","value":"false"}],"whereList":[{"name":"name","value":"cluster_test"}]}');
  expect(res.body).toEqual({ result: 'ok', rows_affected: 1 });
  expect((await get('/api/Cluster/get?name=cluster_test')).body.Clusters[0].consolidation_enabled).toBe('false');
});

test('GET Host: the host named test_host_1, with its latest performance sample', async () => {
  await post(
    '/api/Host/set',
    '{"setList":[{"name":"power_off_min_uptime","value":"30"},{"name":"power_on_min_downtime","value":"11"}],"whereList":[{"name":"name","value":"test_host_1"}]}',
  );
  const res = await get('/api/Host/get?name=test_host_1');
  expect(res.body).toEqual({
    Hosts: [
      {
        name: 'test_host_1',
        uuid: expect.stringMatching(/^datacenter-\d+_host-\d+$/),
        powered_on: 'true',
        cpu_frequency: '2266.00',
        cpu_cores: '8',
        ram_mb: '24576',
        bandwidth: '1000',
        standby_enabled: 'true',
        Cluster: 'cluster_test',
        Farm: 'test_farm',
        power_off_min_uptime: '30',
        power_on_min_downtime: '11',
        ipmi_ip: '',
        ipmi_username: '',
        ipmi_password: '',
        Performance: [
          {
            performance_date: now(),
            cpu: expect.stringMatching(NUM),
            mem: expect.stringMatching(NUM),
            bandwidth_usage: expect.stringMatching(NUM),
            power: expect.stringMatching(NUM),
          },
        ],
      },
    ],
  });
  const perf = res.body.Hosts[0].Performance[0];
  // The host runs one VM: its load is that VM's, and it draws more than idle (100 W).
  expect(Number(perf.cpu)).toBeGreaterThan(0);
  expect(Number(perf.power)).toBeGreaterThan(100);
});

test('GET Host: a host in standby reports IPMI access, no load and no power', async () => {
  const res = await get('/api/Host/get?name=test_host_4');
  expect(res.body.Hosts[0]).toMatchObject({
    powered_on: 'false',
    ipmi_ip: '10.0.9.4',
    ipmi_username: 'ADMIN',
    ipmi_password: 'ipmi-pw-4',
    Performance: [{ performance_date: now(), cpu: '0.00', mem: '0.00', bandwidth_usage: '0.00', power: '0.00' }],
  });
});

test('SET Host: allow host switch off', async () => {
  const res = await post('/api/Host/set', '{"setList":[{"name":"standby_enabled","value":"true"}],"whereList":[{"name":"name","value":"test_host_4"}]}');
  expect(res.body).toEqual({ result: 'ok', rows_affected: 1 });
});

test('GET Vm: the virtual machine named test_vm_1 (lower-case entity in the URL)', async () => {
  const res = await get('/api/vm/get?name=test_vm_1');
  expect(res.body).toEqual({
    Vms: [
      {
        name: 'test_vm_1',
        uuid: expect.stringMatching(/^datacenter-\d+_vm-\d+$/),
        operating_system: '',
        assigned_cores: '8',
        assigned_memory_mb: '3072',
        migration_enabled: 'true',
        cluster_migration_enabled: 'false',
        Host: 'test_host_1',
        Cluster: 'cluster_test',
        Farm: 'test_farm',
        Performance: [
          {
            performance_date: now(),
            cpu: expect.stringMatching(NUM),
            mem: expect.stringMatching(NUM),
            bandwidth: expect.stringMatching(NUM),
            active_memory: expect.stringMatching(NUM),
            compressed_memory: '0.00',
            swapped_memory: '0.00',
            ballooned_memory: '0.00',
          },
        ],
      },
    ],
  });
});

test('SET Vm: flag a VM as migratable', async () => {
  const res = await post('/api/Vm/set', '{"setList":[{"name":"migration_enabled","value":"true"}],"whereList":[{"name":"name","value":"test_vm_1"}]}');
  expect(res.body).toEqual({ result: 'ok', rows_affected: 1 });
});

test('GET DataStore: the datastores attached to test_host_1 (singular envelope)', async () => {
  const res = await get('/api/DataStore/get?host_name=test_host_1');
  expect(res.body).toEqual({
    DataStore: [
      { name: 'test_datastore_1', uuid: expect.stringMatching(/^datacenter-\d+_datastore-\d+$/), Farm: 'test_farm', Performance: [{ performance_date: now(), io: expect.stringMatching(NUM) }] },
      { name: 'test_datastore_2', uuid: expect.stringMatching(/^datacenter-\d+_datastore-\d+$/), Farm: 'test_farm', Performance: [{ performance_date: now(), io: '0.00' }] },
    ],
  });
  // test_vm_1 runs on test_datastore_1: it carries the I/O.
  expect(Number(res.body.DataStore[0].Performance[0].io)).toBeGreaterThan(0);
});

test('performance follows the clock and the host power state, identically on repeat', async () => {
  const first = (await get('/api/Host/get?name=test_host_1')).body.Hosts[0].Performance[0];
  expect((await get('/api/Host/get?name=test_host_1')).body.Hosts[0].Performance[0]).toEqual(first);
  h.rt.clock.advance(10 * 60_000);
  const later = (await get('/api/Host/get?name=test_host_1')).body.Hosts[0].Performance[0];
  expect(later.performance_date).toBe(now());
  expect(later.performance_date).not.toBe(first.performance_date);
});

test("a host's load is its VMs' load: it follows a VM that moves", async () => {
  const hostCpu = async (name: string) => (await get(`/api/Host/get?name=${name}`)).body.Hosts[0].Performance[0].cpu;
  const vm = (await get('/api/Vm/get?name=test_vm_1')).body.Vms[0];
  // test_vm_1 has all 8 cores of test_host_1: the host's cpu is exactly the VM's.
  expect(await hostCpu('test_host_1')).toBe(vm.Performance[0].cpu);
  const s = h.rt.services;
  const [host4] = await s.hosts.list({ filter: { field: 'name', op: 'eq', value: 'test_host_4' } });
  const [vm1] = await s.vms.list({ filter: { field: 'name', op: 'eq', value: 'test_vm_1' } });
  await s.hosts.update(host4.id, { power: 'on', state: 'up' });
  await s.vms.update(vm1.id, { hostId: host4.id });
  expect(await hostCpu('test_host_1')).toBe('0.00');
  expect(await hostCpu('test_host_4')).toBe(vm.Performance[0].cpu);
  expect((await get('/api/Vm/get?name=test_vm_1')).body.Vms[0].Host).toBe('test_host_4');
});
