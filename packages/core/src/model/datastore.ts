import { Entity } from './entity';

export interface Datastore extends Entity {
  clusterId: string;
  name: string;
  capacityBytes: number;
  usedBytes: number;
  policyId: string | null;
  /** Hosts outside the cluster that mount the datastore over NFS. */
  sharedHostIds?: string[];
}

export interface NewDatastore {
  id?: string;
  clusterId: string;
  name: string;
  capacityBytes: number;
  usedBytes?: number;
  policyId?: string | null;
}

export type DatastorePatch = Partial<Pick<Datastore, 'name' | 'capacityBytes' | 'policyId' | 'sharedHostIds'>>;
