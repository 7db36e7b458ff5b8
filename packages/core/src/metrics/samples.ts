import { Host } from '../model/host';
import { VmLoad } from '../model/consolidation';
import {
  DatastorePerformance,
  HostPerformance,
  VmDemand,
  VmPerformance,
  datastorePerformance,
  hostPerformance,
  vmDemand,
  vmPerformance,
} from './performance';

/**
 * Stored performance samples: what the simulator in performance.ts says about every host, VM and
 * datastore at one sampling instant, kept as a time series so every reader (Eco4Cloud's
 * Performance arrays, the control plane's power series, any dialect's metrics) shows the same
 * numbers for the same instant, whatever has changed in the domain since.
 */
export type SampleKind = 'host' | 'vm' | 'datastore';

export interface HostSample extends HostPerformance {
  hostId: string;
  poweredOn: boolean;
}

export interface VmSample extends VmPerformance {
  vmId: string;
  /** The load model's I/O operations (0 when not running): with cpuPct they give its throughput and latency. */
  readIops: number;
  writeIops: number;
}

export interface DatastoreSample extends DatastorePerformance {
  datastoreId: string;
}

/** Everything sampled at one instant. */
export interface SampleSet {
  at: Date;
  hosts: HostSample[];
  vms: VmSample[];
  datastores: DatastoreSample[];
}

/** One point of a site's power series: its hosts' draw and power states at one sampling instant. */
export interface PowerPoint {
  at: Date;
  watts: number;
  hostsOn: number;
  hostsOff: number;
}

/** What one instant is computed from: every host, every VM's load columns, every datastore. */
export interface SampleInputs {
  hosts: Host[];
  vms: VmLoad[];
  datastoreIds: string[];
}

/**
 * The sample of the whole domain at `at`, with exactly the figures the per-entity functions give
 * (a host's load is its VMs' load, a VM's reclaimed memory depends on its host's overcommit, a
 * datastore's io is the IOPS of the running VMs stored on it whose host is on).
 */
export function sampleDomain({ hosts, vms, datastoreIds }: SampleInputs, at: Date): SampleSet {
  const hostsById = new Map(hosts.map((h) => [h.id, h]));
  const onHost = new Map<string, VmDemand[]>(hosts.map((h) => [h.id, []]));
  const demands = vms.map((vm) => vmDemand(vm, at));
  for (const d of demands) if (d.vm.hostId) onHost.get(d.vm.hostId)?.push(d);
  const onDatastore = new Map<string, VmDemand[]>(datastoreIds.map((id) => [id, []]));
  for (const d of demands) {
    const host = d.vm.hostId ? hostsById.get(d.vm.hostId) : undefined;
    if (d.vm.datastoreId && host?.power === 'on') onDatastore.get(d.vm.datastoreId)?.push(d);
  }
  return {
    at,
    hosts: hosts.map((h) => ({ hostId: h.id, poweredOn: h.power === 'on', ...hostPerformance(h, onHost.get(h.id)!, at) })),
    vms: demands.map((d) => {
      const host = d.vm.hostId ? hostsById.get(d.vm.hostId) : undefined;
      const running = d.running && host?.power === 'on';
      return {
        vmId: d.vm.id,
        ...vmPerformance(d, host, host ? onHost.get(host.id)! : [], at),
        readIops: running ? d.sample.readIops : 0,
        writeIops: running ? d.sample.writeIops : 0,
      };
    }),
    datastores: datastoreIds.map((id) => ({ datastoreId: id, ...datastorePerformance(onDatastore.get(id)!, at) })),
  };
}

/** The sampling instant at or before `now` on a grid of `intervalMs` (aligned to the epoch). */
export const sampleInstant = (now: Date, intervalMs: number): Date => new Date(Math.floor(now.getTime() / intervalMs) * intervalMs);
