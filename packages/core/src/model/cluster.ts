import { Entity, Tags } from './entity';

export interface Cluster extends Entity {
  siteId: string;
  name: string;
  /** Whether the cluster accepts file / block volumes (Heketi cluster flags). */
  fileEnabled: boolean;
  blockEnabled: boolean;
  tags: Tags;
}

export interface NewCluster {
  id?: string;
  siteId: string;
  name: string;
  fileEnabled?: boolean;
  blockEnabled?: boolean;
  tags?: Tags;
}

export type ClusterPatch = Partial<Pick<Cluster, 'name' | 'fileEnabled' | 'blockEnabled' | 'tags'>>;
