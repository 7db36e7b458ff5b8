import request from 'supertest';
import { TestDatabase, eventually, startTestGateway, vendorLogin } from '@rosetta/testing';
import { Gateway } from './gateway';

/**
 * Issue 3, "Shared domain": what OmniStack shows is the core's, whichever dialect wrote it. A VM
 * cloned through OmniStack is an Eco4Cloud Vm; a node added through Heketi is an OmniStack host;
 * Nova's servers and hypervisors are OmniStack's virtual machines and hosts.
 */
describe('OmniStack over the shared domain', () => {
  let db: TestDatabase;
  let gateway: Gateway;
  let omni: { Authorization: string };
  const api = () => request(gateway.url);

  beforeAll(async () => {
    ({ db, gateway } = await startTestGateway({ ROSETTA_HEKETI_AUTH: 'false' }));
    const token = await vendorLogin.omniStack(gateway.url);
    omni = { Authorization: `Bearer ${token}` };
  });
  afterAll(async () => {
    await gateway.close();
    await db.drop();
  });

  it('a VM cloned through OmniStack is listed by Eco4Cloud Vm/get', async () => {
    const [vm] = (await api().get('/omnistack/api/virtual_machines?name=web-01').set(omni).expect(200)).body.virtual_machines;
    const accepted = await api().post(`/omnistack/api/virtual_machines/${vm.id}/clone`).set(omni).send({ virtual_machine_name: 'web-01-shared' }).expect(202);
    const task = await eventually(async () => {
      const t = (await api().get(`/omnistack/api/tasks/${accepted.body.task.id}`).set(omni).expect(200)).body.task;
      return t.state === 'IN_PROGRESS' ? undefined : t;
    });
    expect(task.state).toBe('COMPLETED');
    const cloneId = task.affected_objects[0].object_id as string;
    const { ticket } = (await api().get('/eco4cloud/api/Login?username=admin&password=admin').expect(200)).body as { ticket: string };
    const eco = (await api().get('/eco4cloud/api/Vm/get?name=web-01-shared').set('ticket', ticket).expect(200)).body;
    const vms = Object.values(eco).find(Array.isArray) as { name: string; uuid: string; Host: string; Cluster: string }[];
    // Both speak vSphere: Eco4Cloud's uuid is OmniStack's datacenter and VM managed object ids.
    const clone = (await api().get(`/omnistack/api/virtual_machines/${cloneId}`).set(omni).expect(200)).body.virtual_machine;
    expect(vms).toEqual([
      expect.objectContaining({ name: 'web-01-shared', uuid: `${clone.compute_cluster_parent_hypervisor_object_id}_${clone.hypervisor_object_id}`, Host: clone.host_name, Cluster: clone.omnistack_cluster_name }),
    ]);
  });

  it('a node added through Heketi is an OmniStack host of that cluster', async () => {
    const [cluster] = (await api().get('/omnistack/api/omnistack_clusters?name=cluster-b').set(omni).expect(200)).body.omnistack_clusters;
    await api()
      .post('/heketi/nodes')
      .send({ cluster: cluster.id.replace(/-/g, ''), zone: 2, hostnames: { manage: ['10.77.0.9'], storage: ['10.78.0.9'] } })
      .expect(202);
    const host = await eventually(async () => (await api().get('/omnistack/api/hosts?management_ip=10.77.0.9').set(omni).expect(200)).body.hosts[0]);
    expect(host).toMatchObject({ omnistack_cluster_id: cluster.id, compute_cluster_name: 'cluster-b', storage_ip: '10.78.0.9', state: 'ALIVE' });
    expect((await api().get(`/omnistack/api/omnistack_clusters/${cluster.id}`).set(omni).expect(200)).body.omnistack_cluster.members).toContain(host.id);
  });

  it("Nova's servers and hypervisors are OmniStack's virtual machines and hosts", async () => {
    const nova = await vendorLogin.keystone(gateway.url);
    const servers = (await api().get('/openstack/compute/v2.1/servers/detail?all_tenants=1&limit=1000').set('X-Auth-Token', nova).expect(200)).body.servers as { id: string; name: string }[];
    const vms = (await api().get('/omnistack/api/virtual_machines?limit=5000').set(omni).expect(200)).body.virtual_machines as { id: string; name: string }[];
    expect(servers.length).toBeGreaterThan(0);
    expect(servers.map((s) => [s.id, s.name]).sort()).toEqual(vms.map((v) => [v.id, v.name]).sort());
    const hypervisors = (await api().get('/openstack/compute/v2.1/os-hypervisors').set('X-Auth-Token', nova).expect(200)).body.hypervisors as { hypervisor_hostname: string }[];
    const hostNames = ((await api().get('/omnistack/api/hosts?limit=5000').set(omni).expect(200)).body.hosts as { name: string }[]).map((h) => h.name);
    expect(hypervisors.length).toBeGreaterThan(0);
    for (const hv of hypervisors) expect(hostNames).toContain(hv.hypervisor_hostname);
  });
});
