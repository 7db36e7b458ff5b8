/** The topology the Nova tests run on: six hosts, VMs on four, one zone of two hosts, one plain aggregate. */
const host = (name: string, cores: number, memoryGiB: number, devices: number, vms: [string, number, number][]) => ({
  name,
  address: `10.0.1.${name.charCodeAt(5) * 10 + Number(name.slice(6))}`,
  cpuCores: cores,
  memoryGiB,
  devices: Array.from({ length: devices }, (_, i) => ({ name: `/dev/sd${String.fromCharCode(98 + i)}`, sizeGiB: 1024 })),
  vms: vms.map(([vm, cpuCount, memoryMiB]) => ({ name: vm, cpuCount, memoryMiB })),
});

export const NOVA_FIXTURE = {
  seed: 'nova-test',
  sites: [
    {
      name: 'dc1',
      clusters: [
        {
          name: 'cluster-a',
          hosts: [
            host('node-a1', 32, 384, 2, [['web-01', 2, 4096], ['db-01', 8, 32768]]),
            host('node-a2', 32, 384, 2, [['web-02', 2, 4096], ['batch-01', 4, 8192]]),
            host('node-a3', 32, 384, 2, [['cache-01', 4, 16384]]),
          ],
        },
        {
          name: 'cluster-b',
          hosts: [host('node-b1', 48, 512, 3, [['analytics-01', 16, 65536]]), host('node-b2', 48, 512, 3, []), host('node-b3', 48, 512, 3, [])],
        },
      ],
    },
  ],
  aggregates: [
    { name: 'fast-storage', availabilityZone: 'az-fast', metadata: { ssd: 'true' }, hosts: ['node-a1', 'node-a2'] },
    { name: 'batch', hosts: ['node-b1'] },
  ],
};
