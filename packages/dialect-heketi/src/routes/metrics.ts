import { Request, Response } from 'express';
import { Host } from '@rosetta/core';
import { HeketiContext, activeJobs } from '../context';
import { hexId } from '../ids';

type Labels = Record<string, string>;
interface Family {
  name: string;
  help: string;
  samples: { labels: Labels; value: number }[];
}

const escapeLabel = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/** Prometheus text exposition 0.0.4 as client_golang writes it: families and labels sorted. */
export function exposition(families: Family[]): string {
  return [...families]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((f) => {
      const lines = f.samples
        .map(({ labels, value }) => {
          const keys = Object.keys(labels).sort();
          const set = keys.length ? `{${keys.map((k) => `${k}="${escapeLabel(labels[k])}"`).join(',')}}` : '';
          return `${f.name}${set} ${value}`;
        })
        .sort();
      return `# HELP ${f.name} ${f.help}\n# TYPE ${f.name} gauge\n${lines.join('\n')}${lines.length ? '\n' : ''}`;
    })
    .join('');
}

/** pkg/metrics: the topology's counts and device space, straight from core. */
export async function metricsHandler(ctx: HeketiContext, _req: Request, res: Response): Promise<void> {
  const { services } = ctx;
  const [clusters, hosts, volumes, devices, bricks, jobs] = await Promise.all([
    services.clusters.list(),
    services.hosts.list({ filter: { field: 'clusterId', op: 'isnull', value: false } }),
    services.volumes.list(),
    services.devices.list(),
    services.storage.bricks(),
    activeJobs(ctx),
  ]);
  const hostById = new Map<string, Host>(hosts.map((h) => [h.id, h]));
  const per = (name: string, help: string, samples: Family['samples']): Family => ({ name, help, samples });
  const byCluster = (count: (clusterId: string) => number) => clusters.map((c) => ({ labels: { cluster: hexId(c.id) }, value: count(c.id) }));
  const clustered = devices.filter((d) => hostById.has(d.hostId));
  const deviceLabels = (hostId: string, name: string, id: string): Labels => {
    const host = hostById.get(hostId)!;
    return {
      cluster: hexId(host.clusterId!),
      device: name,
      hostname: host.managementAddress ?? host.name,
      id: hexId(id),
      pv_uuid: '',
      storage_hostname: host.storageAddress ?? host.name,
    };
  };
  const deviceFamily = (name: string, help: string, value: (d: (typeof devices)[number]) => number) =>
    per(name, help, clustered.map((d) => ({ labels: deviceLabels(d.hostId, d.name, d.id), value: value(d) })));
  const kib = (bytes: number) => Math.floor(bytes / 1024);
  const families: Family[] = [
    per('heketi_up', 'Is heketi running?', [{ labels: {}, value: 1 }]),
    per('heketi_cluster_count', 'Number of clusters', [{ labels: {}, value: clusters.length }]),
    per('heketi_nodes_count', 'Number of nodes on cluster', byCluster((id) => hosts.filter((h) => h.clusterId === id).length)),
    per('heketi_volumes_count', 'Number of volumes on cluster', byCluster((id) => volumes.filter((v) => v.clusterId === id && v.kind === 'file').length)),
    per('heketi_block_volumes_count', 'Number of block volumes on cluster', byCluster((id) => volumes.filter((v) => v.clusterId === id && v.kind === 'block').length)),
    per(
      'heketi_device_count',
      'Number of devices on host',
      hosts.map((h) => ({
        labels: { cluster: hexId(h.clusterId!), hostname: h.managementAddress ?? h.name, storage_hostname: h.storageAddress ?? h.name },
        value: clustered.filter((d) => d.hostId === h.id).length,
      })),
    ),
    deviceFamily('heketi_device_size', 'Total size of the device', (d) => kib(d.sizeBytes)),
    deviceFamily('heketi_device_free', 'Amount of Free space available on the device', (d) => kib(d.sizeBytes) - kib(d.usedBytes)),
    deviceFamily('heketi_device_used', 'Amount of space used on the device', (d) => kib(d.usedBytes)),
    deviceFamily('heketi_device_size_bytes', 'Total size of the device in bytes', (d) => kib(d.sizeBytes) * 1024),
    deviceFamily('heketi_device_free_bytes', 'Amount of Free space available on the device in bytes', (d) => (kib(d.sizeBytes) - kib(d.usedBytes)) * 1024),
    deviceFamily('heketi_device_used_bytes', 'Amount of space used on the device in bytes', (d) => kib(d.usedBytes) * 1024),
    deviceFamily('heketi_device_brick_count', 'Number of bricks on device', (d) => bricks.filter((b) => b.deviceId === d.id).length),
    per('heketi_operations_total_count', 'Total number of pending operations', [{ labels: {}, value: jobs.length }]),
    per('heketi_operations_inFlight_count', 'Number of operations in flight', [{ labels: {}, value: jobs.filter((j) => j.state === 'running').length }]),
    per('heketi_operations_new_count', 'Number of new pending operations', [{ labels: {}, value: jobs.length }]),
    per('heketi_operations_stale_count', 'Number of stale pending operations', [{ labels: {}, value: 0 }]),
    per('heketi_operations_failed_count', 'Number of failed pending operations', [{ labels: {}, value: 0 }]),
  ];
  const body = exposition(families);
  res.status(200);
  res.setHeader('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
  res.setHeader('Content-Length', String(Buffer.byteLength(body)));
  res.end(body);
}
