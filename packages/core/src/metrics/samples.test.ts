import { Host } from '../model/host';
import { VmLoad } from '../model/consolidation';
import { datastorePerformance, hostPerformance, vmDemand, vmPerformance } from './performance';
import { sampleDomain, sampleInstant } from './samples';

const AT = new Date('2026-12-01T10:05:00Z');

function host(id: string, power: 'on' | 'off', memoryMb = 16_384): Host {
  return {
    id,
    power,
    cpuCores: 8,
    memoryMb,
    powerIdleWatts: 100,
    powerMaxWatts: 300,
  } as Host;
}

const vm = (id: string, hostId: string | null, datastoreId: string | null, extra: Partial<VmLoad> = {}): VmLoad => ({
  id,
  seq: 1,
  hostId,
  datastoreId,
  state: 'running',
  cpuCount: 4,
  memoryMb: 8192,
  cpuUsagePct: 40,
  memoryUsagePct: 50,
  ...extra,
});

const HOSTS = [host('h-on', 'on', 12_288), host('h-off', 'off')];
const VMS = [
  vm('v1', 'h-on', 'ds-1'),
  vm('v2', 'h-on', 'ds-1', { cpuUsagePct: 80 }),
  vm('v3', 'h-on', 'ds-2', { state: 'stopped' }),
  vm('v4', 'h-off', 'ds-2'),
  vm('v5', null, null),
];

describe('sampleDomain', () => {
  const set = sampleDomain({ hosts: HOSTS, vms: VMS, datastoreIds: ['ds-1', 'ds-2', 'ds-empty'] }, AT);

  it('gives each host the figures of its VMs, as hostPerformance does', () => {
    const onHost = VMS.filter((v) => v.hostId === 'h-on').map((v) => vmDemand(v, AT));
    const on = set.hosts.find((h) => h.hostId === 'h-on')!;
    expect(on).toEqual({ hostId: 'h-on', poweredOn: true, ...hostPerformance(HOSTS[0], onHost, AT) });
    // Two running VMs using 4 cores each at 40-80 %: a real load and a draw between idle and max.
    expect(on.cpuPct).toBeGreaterThan(20);
    expect(on.powerWatts).toBeGreaterThan(100);
    expect(on.powerWatts).toBeLessThan(300);
  });

  it('reports a powered-off host at 0 W and no load, and its VMs idle', () => {
    expect(set.hosts.find((h) => h.hostId === 'h-off')).toEqual({ hostId: 'h-off', poweredOn: false, at: AT, cpuPct: 0, memoryPct: 0, bandwidthPct: 0, powerWatts: 0 });
    expect(set.vms.find((v) => v.vmId === 'v4')).toMatchObject({ cpuPct: 0, memoryPct: 0, activeMemoryMb: 0, readIops: 0, writeIops: 0 });
    expect(set.vms.find((v) => v.vmId === 'v5')).toMatchObject({ cpuPct: 0, activeMemoryMb: 0 });
  });

  it('gives each VM what vmPerformance gives, reclaimed memory included', () => {
    const onHost = VMS.filter((v) => v.hostId === 'h-on').map((v) => vmDemand(v, AT));
    const v1 = set.vms.find((v) => v.vmId === 'v1')!;
    expect(v1).toEqual({
      vmId: 'v1',
      ...vmPerformance(onHost[0], HOSTS[0], onHost, AT),
      readIops: onHost[0].sample.readIops,
      writeIops: onHost[0].sample.writeIops,
    });
    expect(v1.readIops).toBeGreaterThan(0);
    // 2 x 8 GiB granted on a 12 GiB host: a 4 GiB shortfall, half of it v1's, mostly ballooned.
    expect(v1.balloonedMemoryMb).toBe(Math.round(2048 * 0.6));
    expect(set.vms.find((v) => v.vmId === 'v3')).toMatchObject({ cpuPct: 0, balloonedMemoryMb: 0 });
  });

  it("counts a datastore's io from the running VMs on it whose host is on", () => {
    const ds1 = [vmDemand(VMS[0], AT), vmDemand(VMS[1], AT)];
    expect(set.datastores.find((d) => d.datastoreId === 'ds-1')).toEqual({ datastoreId: 'ds-1', ...datastorePerformance(ds1, AT) });
    expect(set.datastores.find((d) => d.datastoreId === 'ds-1')!.iops).toBeGreaterThan(0);
    // v3 is stopped, v4's host is off: nothing.
    expect(set.datastores.find((d) => d.datastoreId === 'ds-2')!.iops).toBe(0);
    expect(set.datastores.find((d) => d.datastoreId === 'ds-empty')!.iops).toBe(0);
  });

  it('is deterministic for the same rows and instant, and moves with the clock', () => {
    expect(sampleDomain({ hosts: HOSTS, vms: VMS, datastoreIds: ['ds-1'] }, AT)).toEqual(sampleDomain({ hosts: HOSTS, vms: VMS, datastoreIds: ['ds-1'] }, AT));
    const later = sampleDomain({ hosts: HOSTS, vms: VMS, datastoreIds: [] }, new Date(AT.getTime() + 3 * 3_600_000));
    expect(later.at).toEqual(new Date(AT.getTime() + 3 * 3_600_000));
    expect(later.vms[0].cpuPct).not.toBe(set.vms[0].cpuPct);
  });
});

test('sampleInstant floors the time onto the interval grid', () => {
  expect(sampleInstant(new Date('2026-12-01T10:09:59.999Z'), 300_000)).toEqual(new Date('2026-12-01T10:05:00Z'));
  expect(sampleInstant(new Date('2026-12-01T10:10:00Z'), 300_000)).toEqual(new Date('2026-12-01T10:10:00Z'));
  expect(sampleInstant(new Date('2026-12-01T10:10:42Z'), 60_000)).toEqual(new Date('2026-12-01T10:10:00Z'));
});
