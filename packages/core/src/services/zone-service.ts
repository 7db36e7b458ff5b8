import { CoreError } from '../errors';
import { HostAggregate } from '../model/aggregate';
import { Host } from '../model/host';
import { Repositories } from '../ports/repositories';
import { ServiceDeps } from './deps';
import { mustGet, mustLock } from './reads';

/**
 * Availability zones are aggregates that carry a zone name. The invariants a real cloud keeps:
 * a host is in at most one zone, and a host that runs VMs never changes zone under them.
 * Violations are CONFLICT errors with reason 'zone_conflict' (details.name lists the zones
 * already held, in aggregate order) or 'zone_has_vms'; an empty zone name is VALIDATION with
 * reason 'empty_zone'. details.kind names the operation ('aggregate_update', 'aggregate_metadata',
 * 'aggregate_add_host') so a dialect can word each its own way.
 */
export interface ZoneService {
  /** Creates an aggregate, optionally in a zone; names are unique ignoring case. */
  createAggregate(input: { name: string; availabilityZone?: string | null }): Promise<HostAggregate>;
  /** Renames and/or moves an aggregate to another zone (a zone may be changed, never removed). */
  updateAggregate(id: string, patch: { name?: string; availabilityZone?: string | null }): Promise<HostAggregate>;
  /** Merges metadata (null deletes); the 'availability_zone' key moves the aggregate's zone. */
  setMetadata(id: string, metadata: Record<string, string | null>): Promise<HostAggregate>;
  addHost(id: string, hostId: string): Promise<HostAggregate>;
  removeHost(id: string, hostId: string): Promise<HostAggregate>;
  /** The zone of every host that is in one. */
  hostZones(): Promise<Map<string, string>>;
  /** Zones with their member host ids, in name order. */
  zones(): Promise<{ name: string; hostIds: string[] }[]>;
}

/** The metadata key that carries the zone when an aggregate's metadata is shown whole. */
export const ZONE_METADATA_KEY = 'availability_zone';

const zoneError = (code: 'CONFLICT' | 'VALIDATION', op: string, id: string, reason: string, message: string, name?: string): CoreError =>
  new CoreError(code, message, { kind: op, id, reason, name });

/** Python-list rendering is the dialect's business; core hands over the zone names joined by NUL. */
export const joinZones = (zones: string[]): string => zones.join('\u0000');
export const splitZones = (joined: string): string[] => joined.split('\u0000');

async function checkZoneChange(
  tx: Repositories,
  op: string,
  aggregate: HostAggregate,
  zone: string | null | undefined,
  hostIds: string[],
  checkVms: boolean,
): Promise<void> {
  if (!zone) {
    throw zoneError('VALIDATION', op, aggregate.id, 'empty_zone', `aggregate ${aggregate.name} cannot have an empty zone name`, aggregate.name);
  }
  if (hostIds.length === 0) return;
  const others = await tx.aggregates.list({ filter: { field: 'availabilityZone', op: 'isnull', value: false }, order: [{ field: 'seq', direction: 'asc' }] });
  const conflicting = others
    .filter((a) => a.id !== aggregate.id && a.availabilityZone !== zone && a.hostIds.some((h) => hostIds.includes(h)))
    .map((a) => a.availabilityZone as string);
  if (conflicting.length) {
    throw zoneError('CONFLICT', op, aggregate.id, 'zone_conflict', `hosts already in zone(s) ${conflicting.join(', ')}`, joinZones(conflicting));
  }
  if (checkVms && aggregate.availabilityZone !== zone) {
    const vms = await tx.vms.count({ field: 'hostId', op: 'in', value: hostIds });
    if (vms > 0) throw zoneError('CONFLICT', op, aggregate.id, 'zone_has_vms', 'hosts run VMs in this zone');
  }
}

async function checkUniqueName(tx: Repositories, name: string, exceptId?: string): Promise<void> {
  const clash = await tx.aggregates.list({ filter: { field: 'name', op: 'eq', value: name, ci: true }, limit: 2 });
  if (clash.some((a) => a.id !== exceptId)) {
    throw new CoreError('ALREADY_EXISTS', `aggregate ${name} already exists`, { kind: 'aggregate', name });
  }
}

function validName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.trim() === '' || name.length > 255) {
    throw new CoreError('VALIDATION', 'aggregate name must be 1 to 255 characters', { fields: [{ field: 'name', problem: 'invalid' }] });
  }
}

export function createZoneService({ store }: ServiceDeps): ZoneService {
  const zoneOfHost = async (tx: Repositories, hostId: string): Promise<string | null> => {
    const zoned = await tx.aggregates.list({ filter: { field: 'availabilityZone', op: 'isnull', value: false }, order: [{ field: 'seq', direction: 'asc' }] });
    return zoned.find((a) => a.hostIds.includes(hostId))?.availabilityZone ?? null;
  };
  return {
    async createAggregate({ name, availabilityZone }) {
      validName(name);
      return store.transaction(async (tx) => {
        await checkUniqueName(tx, name);
        return tx.aggregates.insert({ name, availabilityZone: availabilityZone || null, metadata: {} });
      });
    },
    async updateAggregate(id, patch) {
      if (patch.name !== undefined) validName(patch.name);
      return store.transaction(async (tx) => {
        const aggregate = await mustLock(tx.aggregates, 'aggregate', id);
        if (patch.name !== undefined) await checkUniqueName(tx, patch.name, id);
        if ('availabilityZone' in patch) {
          await checkZoneChange(tx, 'aggregate_update', aggregate, patch.availabilityZone, aggregate.hostIds, true);
        }
        return tx.aggregates.update(id, { name: patch.name, availabilityZone: patch.availabilityZone ?? undefined });
      });
    },
    async setMetadata(id, metadata) {
      return store.transaction(async (tx) => {
        const aggregate = await mustLock(tx.aggregates, 'aggregate', id);
        const rest = { ...metadata };
        let zone: string | undefined;
        if (ZONE_METADATA_KEY in rest) {
          await checkZoneChange(tx, 'aggregate_metadata', aggregate, rest[ZONE_METADATA_KEY], aggregate.hostIds, true);
          zone = rest[ZONE_METADATA_KEY] as string;
          delete rest[ZONE_METADATA_KEY];
        }
        const merged: Record<string, string> = { ...aggregate.metadata };
        for (const [key, value] of Object.entries(rest)) {
          if (value === null) delete merged[key];
          else merged[key] = value;
        }
        return tx.aggregates.update(id, { metadata: merged, availabilityZone: zone });
      });
    },
    async addHost(id, hostId) {
      return store.transaction(async (tx) => {
        // Locking the host serialises concurrent adds of one host to aggregates of different zones.
        const host: Host = await mustLock(tx.hosts, 'host', hostId);
        const aggregate = await mustLock(tx.aggregates, 'aggregate', id);
        if (aggregate.availabilityZone) {
          await checkZoneChange(tx, 'aggregate_add_host', aggregate, aggregate.availabilityZone, [host.id], false);
          const current = await zoneOfHost(tx, host.id);
          if (current !== aggregate.availabilityZone && (await tx.vms.count({ field: 'hostId', op: 'eq', value: host.id })) > 0) {
            throw zoneError('CONFLICT', 'aggregate_add_host', id, 'zone_has_vms', 'host runs VMs in another zone');
          }
        }
        if (aggregate.hostIds.includes(host.id)) {
          throw new CoreError('ALREADY_EXISTS', `host ${host.name} is already in aggregate ${id}`, { kind: 'aggregate_host', id, name: host.name });
        }
        await tx.aggregates.addHost(id, host.id);
        return mustGet(tx.aggregates, 'aggregate', id);
      });
    },
    async removeHost(id, hostId) {
      return store.transaction(async (tx) => {
        const host = await mustGet(tx.hosts, 'host', hostId);
        const aggregate = await mustLock(tx.aggregates, 'aggregate', id);
        if (!aggregate.hostIds.includes(host.id)) {
          throw new CoreError('NOT_FOUND', `host ${host.name} is not in aggregate ${id}`, { kind: 'aggregate_host', id, name: host.name });
        }
        if (aggregate.availabilityZone && (await tx.vms.count({ field: 'hostId', op: 'eq', value: host.id })) > 0) {
          // Leaving the zone moves the host to the next zone it is in (or none): forbidden under VMs.
          const zoned = await tx.aggregates.list({ filter: { field: 'availabilityZone', op: 'isnull', value: false } });
          const stays = zoned.some((a) => a.id !== id && a.availabilityZone === aggregate.availabilityZone && a.hostIds.includes(host.id));
          if (!stays) throw zoneError('CONFLICT', 'aggregate_remove_host', id, 'zone_has_vms', 'host runs VMs in this zone');
        }
        await tx.aggregates.removeHost(id, host.id);
        return mustGet(tx.aggregates, 'aggregate', id);
      });
    },
    async hostZones() {
      const zoned = await store.repos.aggregates.list({ filter: { field: 'availabilityZone', op: 'isnull', value: false }, order: [{ field: 'seq', direction: 'desc' }] });
      const zones = new Map<string, string>();
      // Oldest aggregate wins, as zone lookups take the first match.
      for (const a of zoned) for (const h of a.hostIds) zones.set(h, a.availabilityZone as string);
      return zones;
    },
    async zones() {
      const zoned = await store.repos.aggregates.list({ filter: { field: 'availabilityZone', op: 'isnull', value: false } });
      const byName = new Map<string, Set<string>>();
      for (const a of zoned) {
        const set = byName.get(a.availabilityZone as string) ?? new Set<string>();
        for (const h of a.hostIds) set.add(h);
        byName.set(a.availabilityZone as string, set);
      }
      return [...byName.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, ids]) => ({ name, hostIds: [...ids] }));
    },
  };
}
