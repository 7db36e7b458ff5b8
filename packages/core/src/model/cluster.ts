import { Entity, Tags } from './entity';

export interface Cluster extends Entity {
  siteId: string;
  name: string;
  /** Whether the cluster accepts file / block volumes (Heketi cluster flags). */
  fileEnabled: boolean;
  blockEnabled: boolean;
  tags: Tags;
  /** IANA zone the cluster's schedules run in (OmniStack set_time_zone). */
  timeZone?: string;
  /** Policy rules take no backups of the cluster's VMs while set. */
  backupsSuspended?: boolean;
  /** OmniStack's Intelligent Workload Optimizer switch (set_iwo). */
  iwoEnabled?: boolean;
}

export interface NewCluster {
  id?: string;
  siteId: string;
  name: string;
  fileEnabled?: boolean;
  blockEnabled?: boolean;
  tags?: Tags;
  timeZone?: string;
}

export type ClusterPatch = Partial<Pick<Cluster, 'name' | 'fileEnabled' | 'blockEnabled' | 'tags' | 'timeZone' | 'backupsSuspended' | 'iwoEnabled'>>;
