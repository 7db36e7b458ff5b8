import request from 'supertest';
import { TestDatabase, startTestGateway, vendorLogin } from '@rosetta/testing';
import { Gateway } from './gateway';

/**
 * The embedded gateway is its own worker: it runs the consolidation scheduler on the domain
 * clock. Hand-checked topology: four 16-core / 64 GiB hosts each run one 1-core / 1 GiB VM, so
 * even at full load all four VMs fit on one host far below ta (80 %). With consolidation on for
 * the farm, advancing the clock runs rounds that move the VMs together and switch the emptied
 * hosts off, leaving servers_always_on (1) host on, and the farm's power draw falls.
 */
const FARM = {
  seed: 'e2e-consolidation',
  sites: [
    {
      name: 'e2e_farm',
      clusters: [
        {
          name: 'e2e_cluster',
          hosts: ['a', 'b', 'c', 'd'].map((x) => ({
            name: `e2e_host_${x}`,
            cpuCores: 16,
            memoryGiB: 64,
            powerIdleWatts: 100,
            powerMaxWatts: 300,
            vms: [{ name: `e2e_vm_${x}`, state: 'running', cpuCount: 1, memoryMiB: 1024 }],
          })),
        },
      ],
    },
  ],
};

interface HostRow {
  name: string;
  powered_on: string;
  Performance: { power: string }[];
}

describe('eco4cloud consolidation in the embedded gateway', () => {
  let db: TestDatabase;
  let gateway: Gateway;
  let api: string;
  let ticket: string;

  beforeAll(async () => {
    // Tickets live a day here: the test advances the clock by hours, past the default 60 minutes.
    const env = { ROSETTA_ECO4CLOUD_USERS: 'admin:e2e-pass', ROSETTA_ECO4CLOUD_TICKET_MINUTES: '1440' };
    ({ db, gateway } = await startTestGateway({ ROSETTA_FIXTURE: 'empty', ...env }));
    await request(gateway.url).post('/_rosetta/fixture').send(FARM).expect(201);
    await request(gateway.url).post('/_rosetta/clock/freeze').expect(200);
    api = `${gateway.url}/eco4cloud/api`;
    const login = await request(api).post('/Login').send({ username: 'admin', password: 'e2e-pass' }).expect(200);
    expect(login.body.result).toBe('ok');
    ticket = login.body.ticket;
  });
  afterAll(async () => {
    await gateway.close();
    await db.drop();
  });

  const hosts = async (): Promise<HostRow[]> => {
    const res = await request(api).get('/Host/get').set('ticket', ticket).expect(200);
    expect(res.body).toHaveProperty('Hosts');
    return res.body.Hosts;
  };
  const poweredOn = (rows: HostRow[]): string[] => rows.filter((r) => r.powered_on === 'true').map((r) => r.name);
  const watts = (rows: HostRow[]): number => rows.reduce((sum, r) => sum + Number(r.Performance[0].power), 0);

  async function openJobs(): Promise<number> {
    return (await request(gateway.url).get('/_rosetta/jobs?state=queued&state=running').expect(200)).body.total;
  }

  async function until(check: () => Promise<boolean>, what: string): Promise<void> {
    const end = Date.now() + 15_000;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('switches emptied hosts off as the clock advances, and the power draw falls', async () => {
    const before = await hosts();
    expect(poweredOn(before)).toEqual(['e2e_host_a', 'e2e_host_b', 'e2e_host_c', 'e2e_host_d']);

    // Nothing happens while consolidation is off (the appliance's default), however long we wait.
    await request(gateway.url).post('/_rosetta/clock/advance').send({ duration: '1h' }).expect(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(await openJobs()).toBe(0);
    expect(poweredOn(await hosts())).toHaveLength(4);

    await request(api)
      .post('/Farm/set')
      .set('ticket', ticket)
      .send({ setList: [{ name: 'consolidation_on', value: 'true' }], whereList: [{ name: 'name', value: 'e2e_farm' }] })
      .expect(200, { result: 'ok', rows_affected: 1 });

    // Round 1 moves the VMs together; round 2 switches the emptied hosts off. Each advance lets
    // the scheduler's clock sleep end once; wait for the round's jobs before the next advance (an
    // advance that lands while a busy machine is still running the previous tick is retried).
    for (let i = 0; i < 10 && poweredOn(await hosts()).length > 1; i++) {
      await request(gateway.url).post('/_rosetta/clock/advance').send({ duration: '1h' }).expect(200);
      await new Promise((r) => setTimeout(r, 300));
      await until(async () => (await openJobs()) === 0, 'consolidation jobs');
    }

    expect(poweredOn(await hosts())).toHaveLength(1);
    // Performance is the latest stored sample, taken every 5 minutes of clock time by the sampler
    // (the embedded gateway runs it): the next one shows the hosts off, here and in the control plane.
    const [farm] = (await request(gateway.url).get('/_rosetta/objects/sites').expect(200)).body.items as { id: string }[];
    await request(gateway.url).post('/_rosetta/clock/advance').send({ duration: '5m' }).expect(200);
    await until(async () => {
      const { points } = (await request(gateway.url).get(`/_rosetta/samples/power?site=${farm.id}`).expect(200)).body as { points: { hostsOn: number; hostsOff: number }[] };
      return points.length > 0 && points[points.length - 1].hostsOn === 1 && points[points.length - 1].hostsOff === 3;
    }, 'a sample with one host on');
    const after = await hosts();
    expect(poweredOn(after)).toHaveLength(1);
    expect(watts(after)).toBeLessThan(watts(before));
    // Every VM now runs on the one host left on.
    const vms = (await request(api).get('/Vm/get').set('ticket', ticket).expect(200)).body.Vms as { Host: string }[];
    expect(new Set(vms.map((v) => v.Host))).toEqual(new Set(poweredOn(after)));
    // The moves and power changes were ordinary jobs, visible in the control plane.
    const jobs = (await request(gateway.url).get('/_rosetta/jobs?state=succeeded').expect(200)).body.jobs as { kind: string; origin: string }[];
    const kinds = jobs.filter((j) => j.origin === 'eco4cloud').map((j) => j.kind);
    expect(kinds.filter((k) => k === 'vm.move')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'host.standby')).toHaveLength(3);
  });

  it("shows the engine's effects in Nova and OmniStack, and a deletion made through Nova here", async () => {
    const survivor = poweredOn(await hosts());
    expect(survivor).toHaveLength(1);

    // Nova (admin, every project): three hypervisors down, every server on the one left up.
    const nova = `${gateway.url}/openstack`;
    const auth = { auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: 'secret' } } }, scope: { project: { name: 'admin', domain: { id: 'default' } } } } };
    const novaToken = (await request(nova).post('/identity/v3/auth/tokens').send(auth).expect(201)).headers['x-subject-token'] as string;
    const hypervisors = (await request(nova).get('/compute/v2.1/os-hypervisors').set('X-Auth-Token', novaToken).expect(200)).body.hypervisors as { hypervisor_hostname: string; state: string }[];
    expect(hypervisors.filter((x) => x.state === 'up').map((x) => x.hypervisor_hostname)).toEqual(survivor);
    expect(hypervisors.filter((x) => x.state === 'down')).toHaveLength(3);
    const servers = (await request(nova).get('/compute/v2.1/servers/detail?all_tenants=1').set('X-Auth-Token', novaToken).expect(200)).body.servers as Record<string, unknown>[];
    expect(servers).toHaveLength(4);
    expect(new Set(servers.map((x) => x['OS-EXT-SRV-ATTR:host']))).toEqual(new Set(survivor));

    // OmniStack: every VM's host_id is the surviving host's.
    const omni = await vendorLogin.omniStack(gateway.url);
    const omniHosts = (await request(gateway.url).get('/omnistack/api/hosts').set('Authorization', `Bearer ${omni}`).expect(200)).body.hosts as { id: string; name: string }[];
    const survivorId = omniHosts.find((x) => x.name === survivor[0])!.id;
    const omniVms = (await request(gateway.url).get('/omnistack/api/virtual_machines').set('Authorization', `Bearer ${omni}`).expect(200)).body.virtual_machines as { host_id: string }[];
    expect(omniVms).toHaveLength(4);
    expect(new Set(omniVms.map((v) => v.host_id))).toEqual(new Set([survivorId]));

    // The reverse: a server deleted through Nova is gone from Vm/get at once.
    const server = servers.find((x) => x.name === 'e2e_vm_a')!;
    await request(nova).delete(`/compute/v2.1/servers/${server.id}`).set('X-Auth-Token', novaToken).expect(204);
    expect((await request(api).get('/Vm/get?name=e2e_vm_a').set('ticket', ticket).expect(200)).body).toEqual({ Vms: [] });
    const left = (await request(api).get('/Vm/get').set('ticket', ticket).expect(200)).body.Vms as { name: string }[];
    expect(left.map((v) => v.name).sort()).toEqual(['e2e_vm_b', 'e2e_vm_c', 'e2e_vm_d']);
  });
});
