import { Entity } from './entity';

export interface Datastore extends Entity {
  clusterId: string;
  name: string;
  capacityBytes: number;
  usedBytes: number;
  policyId: string | null;
  /** Hosts outside the cluster that mount the datastore over NFS. */
  sharedHostIds?: string[];
  /** Domain fault: the storage reports no free space; growth into it fails with CAPACITY. */
  full?: boolean;
}

/** Free space as the storage reports it: none while the "datastore full" fault holds. */
export function datastoreFreeBytes(ds: Pick<Datastore, 'capacityBytes' | 'usedBytes' | 'full'>): number {
  return ds.full ? 0 : Math.max(0, ds.capacityBytes - ds.usedBytes);
}

export interface NewDatastore {
  id?: string;
  clusterId: string;
  name: string;
  capacityBytes: number;
  usedBytes?: number;
  policyId?: string | null;
}

export type DatastorePatch = Partial<Pick<Datastore, 'name' | 'capacityBytes' | 'policyId' | 'sharedHostIds' | 'full'>>;
