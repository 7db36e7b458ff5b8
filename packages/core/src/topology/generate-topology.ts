import { Fixture, FixtureHost, FixtureSite, GenerateSpec } from './fixture';

/** Small, fast, seedable PRNG (mulberry32) so generated inventories repeat exactly. */
function prng(seed: string): () => number {
  let state = 0;
  for (const ch of seed) state = (Math.imul(state, 31) + ch.charCodeAt(0)) | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Expands multipliers into explicit sites, clusters, hosts, devices, datastores and VMs. */
export function generateTopology(spec: GenerateSpec, seed = 'rosetta'): FixtureSite[] {
  const random = prng(seed);
  const pick = <T>(values: T[]): T => values[Math.floor(random() * values.length)];
  const sites: FixtureSite[] = [];
  let hostNo = 0;
  let vmNo = 0;
  for (let s = 1; s <= spec.sites; s++) {
    const site: FixtureSite = { name: `site-${pad(s, 2)}`, clusters: [] };
    for (let c = 1; c <= spec.clustersPerSite; c++) {
      const clusterName = `cluster-${pad(s, 2)}-${pad(c, 2)}`;
      const datastores = Array.from({ length: spec.datastoresPerCluster }, (_, d) => ({
        name: `ds-${pad(s, 2)}-${pad(c, 2)}-${pad(d + 1, 2)}`,
        capacityGiB: 256 * 1024,
      }));
      const hosts: FixtureHost[] = [];
      for (let h = 1; h <= spec.hostsPerCluster; h++) {
        hostNo++;
        const octets = `${10 + s}.${c}.${Math.floor(h / 250)}.${(h % 250) + 1}`;
        hosts.push({
          name: `host-${pad(hostNo, 4)}`,
          address: `10.${octets.split('.').slice(1).join('.')}`,
          storageAddress: `172.16.${c}.${(h % 250) + 1}`,
          zone: ((h - 1) % (spec.zonesPerCluster ?? 3)) + 1,
          cpuCores: pick([16, 24, 32, 48]),
          cpuMhz: pick([2100, 2400, 2600]),
          memoryGiB: pick([256, 384, 512]),
          model: pick(['HPE SimpliVity 380 Gen10', 'HPE ProLiant DL380 Gen10']),
          serial: `SN${pad(hostNo, 8)}`,
          powerIdleWatts: 120,
          powerMaxWatts: 450,
          ipmi: { address: `10.250.${c}.${(h % 250) + 1}`, username: 'ADMIN', password: 'ADMIN' },
          devices: Array.from({ length: spec.devicesPerHost }, (_, d) => ({
            name: `/dev/sd${String.fromCharCode(98 + d)}`,
            sizeGiB: spec.deviceSizeGiB ?? 1024,
          })),
          vms: Array.from({ length: spec.vmsPerHost }, () => {
            vmNo++;
            return {
              name: `vm-${pad(vmNo, 6)}`,
              state: random() < 0.85 ? ('running' as const) : ('stopped' as const),
              cpuCount: pick([1, 2, 4, 8]),
              memoryMiB: pick([2048, 4096, 8192, 16384]),
              diskGiB: pick([20, 40, 80]),
              datastore: datastores.length ? datastores[vmNo % datastores.length].name : undefined,
            };
          }),
        });
      }
      site.clusters!.push({ name: clusterName, datastores, hosts });
    }
    sites.push(site);
  }
  return sites;
}

export function expandFixture(fixture: Fixture): Fixture {
  if (!fixture.generate) return fixture;
  return { ...fixture, sites: [...(fixture.sites ?? []), ...generateTopology(fixture.generate, fixture.seed)], generate: undefined };
}
