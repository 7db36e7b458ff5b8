import { CoreError } from '../errors';
import { Job } from '../model/job';
import { Host } from '../model/host';
import { Vm, VmBuild } from '../model/vm';
import { Repositories } from '../ports/repositories';
import { ServiceDeps } from './deps';
import { JobService } from './job-service';
import { Checks } from './validate';
import { mustGet } from './reads';

export interface VmRequest {
  name: string;
  cpuCount: number;
  memoryMb: number;
  diskBytes: number;
  /** A zone name, null for hosts outside every zone, undefined for any host. */
  zone?: string | null;
  /** Place on this host, whatever its zone and room (admins forcing a host). */
  forcedHostId?: string;
  image: string | null;
  flavor: string | null;
  owner: string | null;
  project: string | null;
  metadata?: Record<string, string>;
}

export interface HostUsage {
  vms: number;
  cpuCount: number;
  memoryMb: number;
  diskBytes: number;
}

export interface PlacementService {
  /**
   * Records a VM that still has to be placed and built, and the vm.create job that does it, in
   * one transaction. An unknown zone is VALIDATION with reason 'unknown_zone'.
   */
  requestVm(request: VmRequest, origin: string): Promise<{ vm: Vm; job: Job }>;
  /** What the VMs on each host take, by host id. */
  usage(hostIds?: string[]): Promise<Map<string, HostUsage>>;
  /** Bytes of local devices on each host, by host id. */
  localDisk(hostIds?: string[]): Promise<Map<string, number>>;
}

/** How far vCPUs may be overcommitted (Nova's long-standing default cpu_allocation_ratio). */
export const CPU_ALLOCATION_RATIO = 16;

export const NO_VALID_HOST = 'no_valid_host';

function sumUsage(vms: Vm[]): Map<string, HostUsage> {
  const usage = new Map<string, HostUsage>();
  for (const vm of vms) {
    if (!vm.hostId) continue;
    const u = usage.get(vm.hostId) ?? { vms: 0, cpuCount: 0, memoryMb: 0, diskBytes: 0 };
    u.vms += 1;
    u.cpuCount += vm.cpuCount;
    u.memoryMb += vm.memoryMb;
    u.diskBytes += vm.diskBytes;
    usage.set(vm.hostId, u);
  }
  return usage;
}

/** Hosts that may take a VM of the requested zone, ordered best first (most free memory, then name). */
export async function candidateHosts(tx: Repositories, request: Pick<VmRequest, 'zone' | 'cpuCount' | 'memoryMb'>): Promise<Host[]> {
  const zoned = await tx.aggregates.list({ filter: { field: 'availabilityZone', op: 'isnull', value: false } });
  let hosts = await tx.hosts.list({ filter: { all: [{ field: 'state', op: 'eq', value: 'up' }, { field: 'power', op: 'eq', value: 'on' }] } });
  if (typeof request.zone === 'string') {
    const members = new Set(zoned.filter((a) => a.availabilityZone === request.zone).flatMap((a) => a.hostIds));
    hosts = hosts.filter((h) => members.has(h.id));
  } else if (request.zone === null) {
    const inZones = new Set(zoned.flatMap((a) => a.hostIds));
    hosts = hosts.filter((h) => !inZones.has(h.id));
  }
  if (!hosts.length) return [];
  const usage = sumUsage(await tx.vms.list({ filter: { field: 'hostId', op: 'in', value: hosts.map((h) => h.id) } }));
  const free = (h: Host): number => h.memoryMb - (usage.get(h.id)?.memoryMb ?? 0);
  return hosts
    .filter((h) => free(h) >= request.memoryMb && (usage.get(h.id)?.cpuCount ?? 0) + request.cpuCount <= h.cpuCores * CPU_ALLOCATION_RATIO)
    .sort((a, b) => free(b) - free(a) || a.name.localeCompare(b.name));
}

export function createPlacementService({ store }: ServiceDeps, jobs: JobService): PlacementService {
  return {
    async requestVm(request, origin) {
      const checks = new Checks().name(request.name);
      checks.positiveInt(request.cpuCount, 'cpuCount').positiveInt(request.memoryMb, 'memoryMb').nonNegativeInt(request.diskBytes, 'diskBytes');
      checks.done('invalid vm request');
      const { vm, job } = await store.transaction(async (tx) => {
        if (request.forcedHostId) await mustGet(tx.hosts, 'host', request.forcedHostId);
        if (typeof request.zone === 'string') {
          const known = await tx.aggregates.count({ field: 'availabilityZone', op: 'eq', value: request.zone });
          if (!known) throw new CoreError('VALIDATION', `zone ${request.zone} does not exist`, { kind: 'zone', name: request.zone, reason: 'unknown_zone' });
        }
        const build: VmBuild = {
          state: 'building',
          image: request.image,
          flavor: request.flavor,
          owner: request.owner,
          project: request.project,
          metadata: request.metadata ?? {},
          fault: null,
          ...(request.zone !== undefined ? { zone: request.zone } : {}),
          ...(request.forcedHostId ? { forcedHostId: request.forcedHostId } : {}),
        };
        const created = await tx.vms.insert({
          name: request.name,
          state: 'stopped',
          cpuCount: request.cpuCount,
          memoryMb: request.memoryMb,
          diskBytes: request.diskBytes,
          build,
        });
        const recorded = await jobs.record(tx, {
          kind: 'vm.create',
          origin,
          input: { vmId: created.id },
          affected: [{ kind: 'vm', id: created.id }],
        });
        return { vm: created, job: recorded };
      });
      await jobs.dispatch(job);
      return { vm, job };
    },
    async usage(hostIds) {
      const totals = await store.repos.vms.totalsByHost(hostIds);
      return new Map(totals.map((t) => [t.hostId, { vms: t.count, cpuCount: t.cpuCount, memoryMb: t.memoryMb, diskBytes: t.bytes }]));
    },
    async localDisk(hostIds) {
      const totals = await store.repos.devices.totalsByHost(hostIds);
      return new Map(totals.map((t) => [t.hostId, t.bytes]));
    },
  };
}
