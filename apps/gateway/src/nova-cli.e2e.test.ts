import { execFile } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import pino from 'pino';
import { loadConfig } from '@rosetta/config';
import { TestDatabase, createTestDatabase } from '@rosetta/testing';
import { Gateway, startGateway } from './gateway';

/**
 * Six hosts, VMs on three, the zone az-fast of two hosts and one plain aggregate: what the
 * command outputs below are checked against.
 */
const host = (name: string, cores: number, memoryGiB: number, vms: [string, number, number][]) => ({
  name,
  cpuCores: cores,
  memoryGiB,
  devices: [{ name: '/dev/sdb', sizeGiB: 1024 }],
  vms: vms.map(([vm, cpuCount, memoryMiB]) => ({ name: vm, cpuCount, memoryMiB })),
});
const FIXTURE = {
  seed: 'nova-cli-e2e',
  sites: [
    {
      name: 'dc1',
      clusters: [
        { name: 'cluster-a', hosts: [host('node-a1', 32, 384, [['web-01', 2, 4096]]), host('node-a2', 32, 384, [['web-02', 2, 4096]]), host('node-a3', 32, 384, [])] },
        { name: 'cluster-b', hosts: [host('node-b1', 48, 512, [['analytics-01', 16, 65536]]), host('node-b2', 48, 512, []), host('node-b3', 48, 512, [])] },
      ],
    },
  ],
  aggregates: [
    { name: 'fast-storage', availabilityZone: 'az-fast', metadata: { ssd: 'true' }, hosts: ['node-a1', 'node-a2'] },
    { name: 'batch', hosts: ['node-b1'] },
  ],
};

const run = promisify(execFile);
const CLIENTS = ['/usr/bin/openstack', '/usr/bin/nova'];
const hasClients = CLIENTS.every((p) => fs.existsSync(p));

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

if (!hasClients) {
  describe('real OpenStack clients (Nova dialect)', () => {
    it.skip(`skipped: ${CLIENTS.filter((p) => !fs.existsSync(p)).join(' and ')} missing (apt-get install python3-openstackclient python3-novaclient)`, () => undefined);
  });
}

/** The real python-openstackclient and python-novaclient from Debian, against a gateway with Nova on its own ports. */
(hasClients ? describe : describe.skip)('real OpenStack clients (Nova dialect)', () => {
  jest.setTimeout(180_000);
  let db: TestDatabase;
  let gateway: Gateway;
  let env: NodeJS.ProcessEnv;
  const fixtureFile = path.join(os.tmpdir(), `nova-e2e-${process.pid}.json`);

  beforeAll(async () => {
    db = await createTestDatabase();
    fs.writeFileSync(fixtureFile, JSON.stringify(FIXTURE));
    const [identity, compute] = [await freePort(), await freePort()];
    gateway = await startGateway(
      loadConfig({
        DATABASE_URL: db.url,
        PORT: '0',
        ROSETTA_FIXTURE: fixtureFile,
        ROSETTA_STEP_SECONDS: '0',
        ROSETTA_NOVA_IDENTITY_PORT: String(identity),
        ROSETTA_NOVA_COMPUTE_PORT: String(compute),
      }),
      pino({ level: 'silent' }),
    );
    env = {
      PATH: process.env.PATH,
      HOME: os.tmpdir(),
      OS_AUTH_URL: `http://127.0.0.1:${identity}/v3`,
      OS_USERNAME: 'admin',
      OS_PASSWORD: 'secret',
      OS_PROJECT_NAME: 'admin',
      OS_USER_DOMAIN_NAME: 'Default',
      OS_PROJECT_DOMAIN_NAME: 'Default',
      OS_IDENTITY_API_VERSION: '3',
      OS_REGION_NAME: 'RegionOne',
    };
  });
  afterAll(async () => {
    await gateway?.close();
    await db?.drop();
    fs.rmSync(fixtureFile, { force: true });
  });

  const openstack = async (...args: string[]): Promise<unknown> => {
    const { stdout } = await run('openstack', [...args, '-f', 'json'], { env });
    return stdout.trim() ? JSON.parse(stdout) : undefined;
  };
  const openstackQuiet = async (...args: string[]): Promise<void> => {
    await run('openstack', args, { env });
  };
  const nova = async (...args: string[]): Promise<string> => (await run('nova', args, { env })).stdout;

  it('drives every openstack aggregate command', async () => {
    const created = (await openstack('aggregate', 'create', '--zone', 'az-cli', '--property', 'k=v', 'agg-cli')) as Record<string, unknown>;
    expect(created).toMatchObject({ name: 'agg-cli', availability_zone: 'az-cli' });
    const listed = (await openstack('aggregate', 'list')) as { Name: string; 'Availability Zone': string }[];
    expect(listed.map((a) => a.Name)).toEqual(expect.arrayContaining(['fast-storage', 'batch', 'agg-cli']));
    await openstackQuiet('aggregate', 'set', '--name', 'agg-cli2', '--property', 'x=y', 'agg-cli');
    await openstackQuiet('aggregate', 'unset', '--property', 'k', 'agg-cli2');
    const withHost = (await openstack('aggregate', 'add', 'host', 'agg-cli2', 'node-b2')) as { hosts: string[] };
    expect(withHost.hosts).toEqual(['node-b2']);
    const shown = (await openstack('aggregate', 'show', 'agg-cli2')) as { properties: Record<string, string> | string; hosts: string[]; availability_zone: string };
    expect(shown.hosts).toEqual(['node-b2']);
    expect(shown.availability_zone).toBe('az-cli');
    expect(JSON.stringify(shown.properties)).toContain('x');
    expect(JSON.stringify(shown.properties)).not.toContain('"k"');
    const without = (await openstack('aggregate', 'remove', 'host', 'agg-cli2', 'node-b2')) as { hosts: string[] };
    expect(without.hosts).toEqual([]);
    await openstackQuiet('aggregate', 'delete', 'agg-cli2');
    const after = (await openstack('aggregate', 'list')) as { Name: string }[];
    expect(after.map((a) => a.Name)).not.toContain('agg-cli2');
  });

  it('lists zones, hypervisors and compute services from the core hosts', async () => {
    const zones = (await openstack('availability', 'zone', 'list', '--compute')) as { 'Zone Name': string; 'Zone Status': string }[];
    expect(zones.map((z) => z['Zone Name']).sort()).toEqual(['az-fast', 'nova']);
    const allZones = (await openstack('availability', 'zone', 'list')) as { 'Zone Name': string }[];
    expect(allZones.length).toBeGreaterThanOrEqual(2);
    const hypervisors = (await openstack('hypervisor', 'list')) as { 'Hypervisor Hostname': string; State: string }[];
    expect(hypervisors.map((hv) => hv['Hypervisor Hostname'])).toEqual(['node-a1', 'node-a2', 'node-a3', 'node-b1', 'node-b2', 'node-b3']);
    const one = (await openstack('hypervisor', 'show', 'node-b1')) as Record<string, unknown>;
    expect(one).toMatchObject({ hypervisor_hostname: 'node-b1', running_vms: 1, vcpus: 48, service_host: 'node-b1' });
    const services = (await openstack('compute', 'service', 'list')) as { Host: string; Zone: string; Binary: string; State: string }[];
    expect(services.find((s) => s.Host === 'node-a1')).toMatchObject({ Binary: 'nova-compute', Zone: 'az-fast', State: 'up' });
  });

  it('drives the nova aggregate commands', async () => {
    expect(await nova('aggregate-create', 'nagg', 'az-n')).toMatch(/\| nagg +\| az-n +\|/);
    expect(await nova('aggregate-list')).toMatch(/\| nagg +\| az-n +\|/);
    expect(await nova('aggregate-update', 'nagg', '--name', 'nagg2')).toContain('has been successfully updated');
    expect(await nova('aggregate-set-metadata', 'nagg2', 'foo=bar')).toContain("'foo=bar'");
    expect(await nova('aggregate-add-host', 'nagg2', 'node-b3')).toContain("'node-b3'");
    expect(await nova('aggregate-show', 'nagg2')).toMatch(/'node-b3'.*'availability_zone=az-n', 'foo=bar'/);
    expect(await nova('aggregate-remove-host', 'nagg2', 'node-b3')).toContain('successfully removed');
    expect(await nova('aggregate-delete', 'nagg2')).toContain('successfully deleted');
    await expect(nova('aggregate-add-host', 'batch', 'no-such-host')).rejects.toMatchObject({ stderr: expect.stringContaining('Compute host no-such-host could not be found. (HTTP 404)') });
  });

  it('creates a server in a zone that lands on a host of that zone', async () => {
    await openstackQuiet('aggregate', 'create', '--zone', 'az-solo', 'solo');
    await openstackQuiet('aggregate', 'add', 'host', 'solo', 'node-b2');
    const server = (await openstack(
      'server', 'create', '--flavor', 'm1.tiny', '--image', 'cirros-0.6.2-x86_64-disk', '--availability-zone', 'az-solo', '--wait', 'vm-e2e',
    )) as Record<string, unknown>;
    expect(server).toMatchObject({ name: 'vm-e2e', status: 'ACTIVE', 'OS-EXT-AZ:availability_zone': 'az-solo', 'OS-EXT-SRV-ATTR:host': 'node-b2' });
    const vm = await gateway.runtime.services.vms.get(server.id as string);
    const host = await gateway.runtime.services.hosts.get(vm.hostId!);
    expect(host.name).toBe('node-b2');

    const status = async () => ((await openstack('server', 'show', 'vm-e2e')) as { status: string }).status;
    const eventually = async (want: string) => {
      for (let i = 0; i < 10 && (await status()) !== want; i++) await new Promise((r) => setTimeout(r, 200));
      expect(await status()).toBe(want);
    };
    await openstackQuiet('server', 'stop', 'vm-e2e');
    await eventually('SHUTOFF');
    await expect(run('openstack', ['server', 'stop', 'vm-e2e'], { env })).rejects.toMatchObject({
      stderr: expect.stringContaining(`Cannot 'stop' instance ${server.id} while it is in vm_state stopped (HTTP 409)`),
    });
    await openstackQuiet('server', 'start', 'vm-e2e');
    await eventually('ACTIVE');
    await openstackQuiet('server', 'reboot', '--hard', '--wait', 'vm-e2e');
    await eventually('ACTIVE');
    expect((await gateway.runtime.services.jobs.list({ filter: { field: 'origin', op: 'eq', value: 'nova' } })).map((j) => j.kind)).toEqual(
      expect.arrayContaining(['vm.power_off', 'vm.power_on', 'vm.reboot']),
    );

    await openstackQuiet('server', 'delete', '--wait', 'vm-e2e');
    expect(await gateway.runtime.services.vms.find(server.id as string)).toBeUndefined();
  });

  it('revokes a token with openstack token revoke', async () => {
    const [doomed, kept] = [(await openstack('token', 'issue')) as { id: string }, (await openstack('token', 'issue')) as { id: string }];
    await openstackQuiet('token', 'revoke', doomed.id);
    const validate = (subject: string) => fetch(`${env.OS_AUTH_URL}/auth/tokens`, { headers: { 'X-Auth-Token': kept.id, 'X-Subject-Token': subject } });
    expect((await validate(doomed.id)).status).toBe(404);
    expect((await validate(kept.id)).status).toBe(200);
  });
});
