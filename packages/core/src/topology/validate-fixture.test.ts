import { validateFixture } from './validate-fixture';
import { generateTopology } from './generate-topology';

describe('validateFixture', () => {
  it('accepts a well-formed fixture', () => {
    expect(
      validateFixture({
        seed: 's',
        policies: [{ name: 'p', rules: [{ frequencyMinutes: 60, retentionMinutes: 120 }] }],
        sites: [{ name: 'dc', clusters: [{ name: 'c', datastores: [{ name: 'd', capacityGiB: 10, policy: 'p' }], hosts: [{ name: 'h', vms: [{ name: 'v', datastore: 'd', policy: 'p' }] }] }] }],
        aggregates: [{ name: 'a', hosts: ['h'] }],
      }),
    ).toEqual([]);
  });

  it('reports every problem with its JSON path', () => {
    expect(
      validateFixture({
        sites: [
          { name: 'dc', clusters: [{ name: 'c', hosts: [{ name: 'h', zone: 1.5, devices: [{ name: 'sdb' }, { name: 'sdb', sizeGiB: 1 }], vms: [{ name: 'v', datastore: 'nope', state: 'melting' }] }] }] },
          { name: 'dc', hosts: [{ name: 'h' }] },
        ],
        aggregates: [{ name: 'a', hosts: ['ghost'] }],
        extra: true,
      }),
    ).toEqual([
      { path: '$.extra', problem: 'is not a fixture field' },
      { path: '$.sites[0].clusters[0].hosts[0].zone', problem: 'must be an integer' },
      { path: '$.sites[0].clusters[0].hosts[0].devices[0].sizeGiB', problem: 'is required' },
      { path: '$.sites[0].clusters[0].hosts[0].devices', problem: 'duplicate device name "sdb"' },
      { path: '$.sites[0].clusters[0].hosts[0].vms[0].state', problem: 'must be one of running, stopped, suspended' },
      { path: '$.sites[0].clusters[0].hosts[0].vms[0].datastore', problem: 'names no datastore of this cluster' },
      { path: '$.sites', problem: 'duplicate site name "dc"' },
      { path: '$.sites', problem: 'duplicate host name "h"' },
      { path: '$.aggregates[0].hosts[0]', problem: 'names no host of the fixture' },
    ]);
  });

  it('rejects non-objects', () => {
    expect(validateFixture([])).toEqual([{ path: '$', problem: 'must be a JSON object' }]);
    expect(validateFixture({ sites: 'x' })).toEqual([{ path: '$.sites', problem: 'must be an array' }]);
  });
});

describe('generateTopology', () => {
  it('multiplies out and repeats exactly for the same seed', () => {
    const spec = { sites: 2, clustersPerSite: 2, hostsPerCluster: 3, devicesPerHost: 2, vmsPerHost: 4, datastoresPerCluster: 1 };
    const a = generateTopology(spec, 'x');
    expect(a.flatMap((s) => s.clusters!.flatMap((c) => c.hosts!))).toHaveLength(12);
    expect(a.flatMap((s) => s.clusters!.flatMap((c) => c.hosts!.flatMap((h) => h.vms!)))).toHaveLength(48);
    expect(generateTopology(spec, 'x')).toEqual(a);
    expect(generateTopology(spec, 'y')).not.toEqual(a);
    expect(validateFixture({ sites: a })).toEqual([]);
  });
});
