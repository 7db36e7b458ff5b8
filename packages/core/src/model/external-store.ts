import { Entity } from './entity';

/** A backup appliance outside the cluster (HPE StoreOnce) that a cluster sends backups to. */
export interface ExternalStore extends Entity {
  clusterId: string;
  name: string;
  /** 'StoreOnceOnPrem' or 'StoreOnceCloud'. */
  kind: string;
  managementAddress: string;
  managementPort: number;
  storagePort: number;
  username: string;
  /** A secret: stored, never rendered or logged. */
  password: string;
}

export interface NewExternalStore {
  id?: string;
  clusterId: string;
  name: string;
  kind: string;
  managementAddress: string;
  managementPort: number;
  storagePort: number;
  username: string;
  password: string;
}

export type ExternalStorePatch = Partial<Pick<ExternalStore, 'username' | 'password' | 'managementAddress'>>;
