import { Backup, Cluster, Datastore, Host, Job, Site, Vm } from '@rosetta/core';
import { Refs } from './refs';
import { renderScheduleReport } from './reports';
import { renderHostHardware } from './hardware';
import { OVC_ID, jobIdOfTask, renderBackup, renderDatastore, renderHost, renderTask, renderVm, taskKindOf } from './render';

const t0 = new Date('2026-03-13T21:03:46.123Z');
const base = (id: string, seq: number) => ({ id, seq, createdAt: t0, updatedAt: t0 });
const site: Site = { ...base('00000000-0000-4000-8000-00000000000a', 1), name: 'dc1' };
const cluster: Cluster = { ...base('00000000-0000-4000-8000-00000000000c', 3), siteId: site.id, name: 'cluster-a', fileEnabled: true, blockEnabled: true, tags: {}, timeZone: 'UTC' };
const host = (id: string, seq: number, name: string, state: Host['state'] = 'up'): Host => ({
  ...base(id, seq),
  siteId: site.id,
  clusterId: cluster.id,
  name,
  managementAddress: '10.0.1.11',
  storageAddress: '192.168.1.11',
  zone: 1,
  state,
  power: 'on',
  cpuCores: 32,
  cpuMhz: 2600,
  memoryMb: 1024,
  model: 'HPE SimpliVity 380 Gen10',
  serial: null,
  powerIdleWatts: 100,
  powerMaxWatts: 400,
  ipmi: { address: null, username: null, password: null },
  tags: {},
});
const h1 = host('00000000-0000-4000-8000-000000000001', 1, 'node-a1');
const h2 = host('00000000-0000-4000-8000-000000000002', 2, 'node-a2');
const ds: Datastore = { ...base('00000000-0000-4000-8000-0000000000d1', 7), clusterId: cluster.id, name: 'ds-a1', capacityBytes: 1000, usedBytes: 400, policyId: null };
const vm: Vm = {
  ...base('00000000-0000-4000-8000-0000000000f1', 42),
  hostId: h1.id,
  datastoreId: ds.id,
  policyId: null,
  name: 'web-01',
  state: 'running',
  cpuCount: 2,
  memoryMb: 4096,
  diskBytes: 300,
  cpuUsagePct: 50,
  memoryUsagePct: 25,
};

const refs = (extra: Partial<Refs> = {}): Refs => ({
  sites: new Map([[site.id, site]]),
  clusters: new Map([[cluster.id, cluster]]),
  hosts: new Map([
    [h1.id, h1],
    [h2.id, h2],
  ]),
  datastores: new Map([[ds.id, ds]]),
  policies: new Map(),
  vms: new Map([[vm.id, vm]]),
  clusterHosts: new Map([[cluster.id, [h1, h2]]]),
  hostDevices: new Map(),
  vmBytesByHost: new Map(),
  guestAccounts: new Map(),
  externalStoreKinds: new Map(),
  ...extra,
});

describe('render', () => {
  it('renders a VM with vSphere names, replica set and optional fields', () => {
    const out = renderVm(vm, refs(), true);
    expect(out).toMatchObject({
      id: vm.id,
      created_at: '2026-03-13T21:03:46Z',
      deleted_at: 'NA',
      state: 'ALIVE',
      omnistack_cluster_id: cluster.id,
      omnistack_cluster_name: 'cluster-a',
      compute_cluster_parent_name: 'dc1',
      compute_cluster_parent_hypervisor_object_id: 'datacenter-1',
      hypervisor_object_id: 'vm-42',
      hypervisor_management_system_name: 'vcenter-dc1',
      replica_set: [
        { id: h1.id, role: 'PRIMARY' },
        { id: h2.id, role: 'SECONDARY' },
      ],
      hypervisor_consumed_cpu: 2600,
      hypervisor_virtual_machine_power_state: 'ON',
      ha_status: 'SAFE',
      hypervisor_free_space: 600,
      policy_id: null,
    });
    expect(renderVm(vm, refs(), false)).not.toHaveProperty('ha_status');
  });

  it.each([
    ['running', 'ON'],
    ['stopped', 'OFF'],
    ['suspended', 'SUSPENDED'],
  ] as const)('maps VM state %s to power state %s', (state, power) => {
    expect(renderVm({ ...vm, state }, refs(), true).hypervisor_virtual_machine_power_state).toBe(power);
  });

  it('degrades HA when the cluster has no second running host', () => {
    const r = refs({ clusterHosts: new Map([[cluster.id, [h1, { ...h2, state: 'down' }]]]) });
    expect(renderVm(vm, r, true)).toMatchObject({ ha_status: 'DEGRADED', replica_set: [{ id: h1.id, role: 'PRIMARY' }] });
  });

  it.each([
    ['up', 'ALIVE'],
    ['down', 'FAULTY'],
    ['maintenance', 'SUSPECTED'],
  ] as const)('maps host state %s to %s', (state, wire) => {
    expect(renderHost({ ...h1, state }, refs(), { svtfsVersion: '5.3.1.132', now: t0 }, false).state).toBe(wire);
  });

  it('renders host capacity from devices and VMs', () => {
    const device = { ...base('00000000-0000-4000-8000-0000000000e1', 1), hostId: h1.id, name: 'sdb', kind: 'disk' as const, sizeBytes: 1000, usedBytes: 200, state: 'online' as const, serial: null, tags: {} };
    const out = renderHost(h1, refs({ hostDevices: new Map([[h1.id, [device]]]), vmBytesByHost: new Map([[h1.id, vm.diskBytes]]) }), { svtfsVersion: '5.3.1.132', now: t0 }, true);
    expect(out).toMatchObject({ allocated_capacity: 1000, used_capacity: 200, free_space: 800, stored_virtual_machine_data: 300, deduplication_ratio: '1.5 : 1', current_feature_level: 531, date: '2026-03-13T21:03:46Z' });
  });

  it('stores VM data at 1 : 1 when the devices record no usage, never claiming savings it cannot show', () => {
    const device = { ...base('00000000-0000-4000-8000-0000000000e1', 1), hostId: h1.id, name: 'sdb', kind: 'disk' as const, sizeBytes: 1000, usedBytes: 0, state: 'online' as const, serial: null, tags: {} };
    const out = renderHost(h1, refs({ hostDevices: new Map([[h1.id, [device]]]), vmBytesByHost: new Map([[h1.id, vm.diskBytes]]) }), { svtfsVersion: '5.3.1.132', now: t0 }, true);
    expect(out).toMatchObject({ used_capacity: 300, free_space: 700, stored_virtual_machine_data: 300, used_logical_capacity: 300, capacity_savings: 0, deduplication_ratio: '1.0 : 1', efficiency_ratio: '1.0 : 1' });
    const overfull = renderHost(h1, refs({ hostDevices: new Map([[h1.id, [device]]]), vmBytesByHost: new Map([[h1.id, 5000]]) }), { svtfsVersion: '5.3.1.132', now: t0 }, true);
    expect(overfull).toMatchObject({ used_capacity: 5000, free_space: 0 });
  });

  it('renders a datastore', () => {
    expect(renderDatastore(ds, refs(), true)).toMatchObject({ size: 1000, hypervisor_free_space: 600, hypervisor_object_id: 'datastore-7', mount_directory: '/mnt/svtfs/0/ds-a1' });
  });

  it.each([
    [{ expiresAt: null }, 'NA'],
    [{ expiresAt: new Date('2026-03-14T00:00:00Z') }, '2026-03-14T00:00:00Z'],
    [{ expiresAt: new Date('2026-03-14T00:00:00Z'), locked: true }, 'NA'],
  ])('renders backup expiry %o as %s', (patch, expiration) => {
    const b: Backup = { ...base('00000000-0000-4000-8000-0000000000b1', 1), vmId: vm.id, datastoreId: ds.id, name: 'b1', state: 'protected', sizeBytes: 300, trigger: 'manual', ...patch } as Backup;
    expect(renderBackup(b, refs())).toMatchObject({ expiration_time: expiration, state: 'PROTECTED', type: 'MANUAL', virtual_machine_name: 'web-01', virtual_machine_state: 'ALIVE', consistency_type: 'NONE' });
  });

  const job = (patch: Partial<Job>): Job => ({
    ...base('00000000-0000-4000-8000-0000000000aa', 1),
    kind: 'backup.create',
    state: 'running',
    origin: 'omnistack',
    input: {},
    result: {},
    affected: [{ kind: 'backup', id: 'b' }],
    steps: [
      { index: 0, name: 'a', state: 'succeeded', seconds: 0, startedAt: t0, finishedAt: t0, error: null },
      { index: 1, name: 'b', state: 'running', seconds: 0, startedAt: t0, finishedAt: null, error: null },
    ],
    errorCode: null,
    errorMessage: null,
    attempts: 1,
    cancelRequested: false,
    startedAt: t0,
    finishedAt: null,
    ...patch,
  });

  it.each([
    [{ state: 'queued' }, { state: 'IN_PROGRESS', affected_objects: [], end_time: '1970-01-01T00:00:00Z', percent_complete: 50 }],
    [{ state: 'succeeded', finishedAt: t0 }, { state: 'COMPLETED', affected_objects: [{ object_type: 'backup', object_id: 'b' }], percent_complete: 100, error_code: 0 }],
    [{ state: 'failed', finishedAt: t0, errorCode: 'INVALID_STATE', errorMessage: 'The VM power state is not acceptable.' }, { state: 'FAILED', error_code: 130, message: 'The VM power state is not acceptable.', error_message: 'The VM power state is not acceptable.' }],
    [{ state: 'cancelled', finishedAt: t0 }, { state: 'FAILED', message: 'The task was canceled.' }],
  ] as [Partial<Job>, Record<string, unknown>][])('renders job %o as a task', (patch, expected) => {
    const task = renderTask(job(patch));
    expect(task).toMatchObject(expected);
    expect(task.id).toBe(`${OVC_ID}:${OVC_ID}:00000000-0000-4000-8000-0000000000aa`);
    expect(jobIdOfTask(task.id as string)).toBe('00000000-0000-4000-8000-0000000000aa');
  });

  it.each([
    [undefined, 'UNKNOWN'],
    [{ overrideValidation: false }, 'VALID_CREDS'],
    [{ overrideValidation: true }, 'CAPABLE'],
  ])('renders guest account %o as app_aware_vm_status %s', (account, status) => {
    const r = refs(account ? { guestAccounts: new Map([[vm.id, account]]) } : {});
    expect(renderVm(vm, r, false).app_aware_vm_status).toBe(status);
  });

  it.each([
    [{ state: 'canceling' }, { state: 'CANCELING', unique_size_bytes: 0, unique_size_timestamp: 'NA' }],
    [{ state: 'canceled' }, { state: 'CANCELED' }],
    [{ uniqueSizeBytes: 123, uniqueSizeAt: t0 }, { state: 'PROTECTED', unique_size_bytes: 123, unique_size_timestamp: '2026-03-13T21:03:46Z' }],
  ] as [Partial<Backup>, Record<string, unknown>][])('renders backup %o', (patch, expected) => {
    const b = { ...base('00000000-0000-4000-8000-0000000000b2', 2), vmId: vm.id, datastoreId: ds.id, name: 'b2', state: 'protected', sizeBytes: 300, expiresAt: null, ...patch } as Backup;
    expect(renderBackup(b, refs())).toMatchObject(expected);
  });

  it('renders schedule reports with levels in percent of the limits', () => {
    const limits = { dailyBackupRateLimit: 200, retainedBackupsLimit: 3 };
    expect(renderScheduleReport({ dailyBackupRate: 50, projectedRetainedBackups: 2 }, limits)).toEqual({
      backup_rate_level: 25,
      daily_backup_rate: 50,
      daily_backup_rate_limit: 200,
      projected_retained_backups: 2,
      projected_retained_backups_level: 67,
      retained_backups_limit: 3,
    });
    expect(renderScheduleReport({ dailyBackupRate: 1, projectedRetainedBackups: 1 }, { dailyBackupRateLimit: 0, retainedBackupsLimit: 0 })).toMatchObject({ backup_rate_level: 0, projected_retained_backups_level: 0 });
  });

  it.each([
    [['online', 'online', 'online'], 'HEALTHY', 'GREEN', 2000],
    [['online', 'failed', 'online'], 'DEGRADED', 'YELLOW', 2000],
    [['failed', 'offline', 'online'], 'FAILED', 'RED', 2000],
    [['online', 'online'], 'HEALTHY', 'GREEN', 1000],
    [['online'], 'HEALTHY', 'GREEN', 1000],
  ] as const)('renders drives %o as a %s logical drive', (states, health, status, capacity) => {
    const devices = states.map((state, i) => ({ ...base(`00000000-0000-4000-8000-0000000000d${i}`, i), hostId: h1.id, name: `sd${i}`, kind: 'disk' as const, sizeBytes: 1000, usedBytes: 0, state, serial: null, tags: {} }));
    const hw = renderHostHardware(h1, devices);
    expect(hw.logical_drives).toEqual([expect.objectContaining({ health, status, capacity })]);
    expect(hw.host_id).toBe(h1.id);
    expect(renderHostHardware(h1, devices)).toEqual(hw);
  });

  it('names task types in vendor words', () => {
    expect(taskKindOf('vm.power_on')).toBe('POWER_ON_VIRTUAL_MACHINE');
    expect(taskKindOf('backup.create')).toBe('CREATE_BACKUP');
  });
});
