import { Host, Site } from '@rosetta/core';
import { bool, dec2, int, num, renderFarm, renderHost, sampleDate, uuidOf } from './render';

describe('value rendering: everything is a string, as the appliance writes it', () => {
  test.each([
    [int(80), '80'],
    [int(24567), '24567'],
    [int(2.6), '3'],
    [dec2(2266), '2266.00'],
    [dec2(2.284), '2.28'],
    [dec2(0), '0.00'],
    [num(80), '80'],
    [num(82.5), '82.5'],
    [bool(true), 'true'],
    [bool(false), 'false'],
  ])('%s', (actual, expected) => expect(actual).toBe(expected));

  test.each([
    ['2014-07-07T16:59:54.000Z', '2014-07-07 16:59:54'],
    ['2026-01-02T03:04:05.999Z', '2026-01-02 03:04:05'],
  ])('date %s', (iso, expected) => expect(sampleDate(new Date(iso))).toBe(expected));

  test('vCenter-style uuids from sequence numbers', () => {
    const site = { seq: 2 } as Site;
    expect(uuidOf(site, 'host-', 547)).toBe('datacenter-2_host-547');
    expect(uuidOf(site, 'domain-c', 7)).toBe('datacenter-2_domain-c7');
    expect(uuidOf(undefined, 'vm-', 1)).toBe('datacenter-0_vm-1');
  });
});

const site = { id: 's', seq: 2, name: 'test_farm', createdAt: new Date(0), updatedAt: new Date(0) } satisfies Site;

test('farm: description falls back to the name', () => {
  const farm = { description: '', ta: 80, th: 90, consolidationOn: true, powerOffMinUptime: 30, powerOnMinDowntime: 10 };
  expect(renderFarm(site, farm)).toEqual({
    name: 'test_farm',
    description: 'test_farm',
    ta: '80',
    th: '90',
    consolidation_on: 'true',
    power_off_min_uptime: '30',
    power_on_min_downtime: '10',
  });
  expect(renderFarm(site, { ...farm, description: 'prod' }).description).toBe('prod');
});

test('host: null IPMI fields render empty, performance as two-decimal strings', () => {
  const host = {
    id: 'h',
    seq: 547,
    siteId: 's',
    clusterId: null,
    name: 'test_host_1',
    power: 'on',
    cpuMhz: 2266,
    cpuCores: 8,
    memoryMb: 24567,
    ipmi: { address: null, username: null, password: null },
  } as unknown as Host;
  const perf = { at: new Date('2014-07-07T16:59:54Z'), cpuPct: 2.28, memoryPct: 51.74, bandwidthPct: 0.11, powerWatts: 0 };
  expect(renderHost(host, undefined, site, { standbyEnabled: true, powerOffMinUptime: 30, powerOnMinDowntime: 11 }, perf)).toEqual({
    name: 'test_host_1',
    uuid: 'datacenter-2_host-547',
    powered_on: 'true',
    cpu_frequency: '2266.00',
    cpu_cores: '8',
    ram_mb: '24567',
    bandwidth: '1000',
    standby_enabled: 'true',
    Cluster: '',
    Farm: 'test_farm',
    power_off_min_uptime: '30',
    power_on_min_downtime: '11',
    ipmi_ip: '',
    ipmi_username: '',
    ipmi_password: '',
    Performance: [{ performance_date: '2014-07-07 16:59:54', cpu: '2.28', mem: '51.74', bandwidth_usage: '0.11', power: '0.00' }],
  });
});
