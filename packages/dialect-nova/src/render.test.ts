import { Host, HostAggregate, Vm } from '@rosetta/core';
import { naiveTime, keystoneTime, renderAggregate, renderHypervisorDetail, renderService, serverStatus, zTime } from './render';

const at = new Date('2026-03-04T05:06:07.089Z');

const aggregate = (over: Partial<HostAggregate> = {}): HostAggregate => ({
  id: '7d7b4f6e-0000-4000-8000-000000000001',
  seq: 3,
  createdAt: at,
  updatedAt: at,
  name: 'agg',
  availabilityZone: null,
  metadata: {},
  hostIds: [],
  ...over,
});

const host = (over: Partial<Host> = {}): Host =>
  ({
    id: '7d7b4f6e-0000-4000-8000-000000000002',
    seq: 9,
    createdAt: at,
    updatedAt: at,
    siteId: 's',
    clusterId: null,
    name: 'node-1',
    managementAddress: '10.0.0.1',
    storageAddress: null,
    zone: 1,
    state: 'up',
    power: 'on',
    cpuCores: 16,
    cpuMhz: 2400,
    memoryMb: 65536,
    model: null,
    serial: null,
    powerIdleWatts: 100,
    powerMaxWatts: 300,
    ipmi: { address: null, username: null, password: null },
    tags: {},
    ...over,
  }) as Host;

describe('time formats', () => {
  it.each([
    [naiveTime, '2026-03-04T05:06:07.089000'],
    [keystoneTime, '2026-03-04T05:06:07.089000Z'],
    [zTime, '2026-03-04T05:06:07Z'],
  ])('%p', (fn, text) => expect(fn(at)).toBe(text));
});

describe('renderAggregate', () => {
  const v = (minor: number) => ({ major: 2, minor });
  it.each([
    ['2.1 without uuid', aggregate(), v(1), false, { hosts: [], metadata: {}, updated_at: null }, ['uuid']],
    ['2.41 with uuid', aggregate(), v(41), false, { uuid: '7d7b4f6e-0000-4000-8000-000000000001' }, []],
    ['create omits hosts and metadata', aggregate(), v(81), true, { id: 3 }, ['hosts', 'metadata']],
    ['zone shown in metadata', aggregate({ availabilityZone: 'az1', metadata: { k: 'v' } }), v(1), false, { availability_zone: 'az1', metadata: { k: 'v', availability_zone: 'az1' } }, []],
    ['updated_at once changed', aggregate({ updatedAt: new Date(at.getTime() + 1000) }), v(1), false, { updated_at: '2026-03-04T05:06:08.089000' }, []],
  ])('%s', (_label, a, version, created, expected, absent) => {
    const body = renderAggregate(a, { version, hostNames: new Map(), created });
    expect(body).toMatchObject(expected);
    for (const key of absent) expect(body).not.toHaveProperty(key);
  });
});

describe('renderService and hypervisors', () => {
  it.each([
    [host(), 'enabled', 'up', false],
    [host({ state: 'maintenance', stateReason: 'fan' }), 'disabled', 'up', false],
    [host({ state: 'down' }), 'enabled', 'down', true],
    [host({ power: 'off' }), 'enabled', 'down', false],
  ])('%#', (h, status, state, forced) => {
    expect(renderService(h, 'nova', { major: 2, minor: 11 })).toMatchObject({ status, state, forced_down: forced, host: 'node-1', binary: 'nova-compute' });
  });

  it('has no forced_down at 2.1 and uuid ids from 2.53', () => {
    expect(renderService(host(), 'nova', { major: 2, minor: 1 })).not.toHaveProperty('forced_down');
    expect(renderService(host(), 'nova', { major: 2, minor: 53 }).id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('counts capacity from usage and switches cpu_info at 2.28', () => {
    const facts = { usage: { vms: 2, cpuCount: 6, memoryMb: 8192, diskBytes: 10 * 1024 ** 3 }, localGb: 100 };
    const d = renderHypervisorDetail(host(), facts, { major: 2, minor: 1 });
    expect(d).toMatchObject({ vcpus: 16, vcpus_used: 6, memory_mb_used: 8192, free_ram_mb: 65536 - 8192, local_gb_used: 10, free_disk_gb: 90, running_vms: 2 });
    expect(typeof d.cpu_info).toBe('string');
    expect(typeof renderHypervisorDetail(host(), facts, { major: 2, minor: 28 }).cpu_info).toBe('object');
  });
});

describe('serverStatus', () => {
  const vm = (over: Partial<Vm>): Vm => ({ state: 'running', hostId: null, build: null, ...over }) as Vm;
  const build = (state: 'building' | 'built' | 'failed') => ({ state, image: null, flavor: null, owner: null, project: null, metadata: {}, fault: null });
  it.each([
    [vm({ build: build('building') }), 'BUILD', 'scheduling'],
    [vm({ build: build('building'), hostId: 'h' }), 'BUILD', 'spawning'],
    [vm({ build: build('failed') }), 'ERROR', null],
    [vm({ build: build('built') }), 'ACTIVE', null],
    [vm({ state: 'stopped' }), 'SHUTOFF', null],
    [vm({ state: 'suspended' }), 'SUSPENDED', null],
  ])('%#', (v, status, task) => {
    expect(serverStatus(v)).toMatchObject({ status, taskState: task });
  });
});
