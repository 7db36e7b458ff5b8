import { Entity } from './entity';

export type VolumeKind = 'file' | 'block';
export type DurabilityType = 'none' | 'replicate' | 'disperse';

export interface Durability {
  type: DurabilityType;
  replica: number;
  disperseData: number;
  disperseRedundancy: number;
}

/** A storage volume made of bricks on devices (Heketi volume / blockvolume). */
export interface Volume extends Entity {
  clusterId: string;
  name: string;
  kind: VolumeKind;
  sizeBytes: number;
  durability: Durability;
  /** For file volumes that host block volumes. */
  blockHosting: boolean;
  /** Space left for block volumes on a block-hosting volume. */
  blockFreeBytes: number;
  /** For block volumes: the file volume that hosts them. */
  hostingVolumeId: string | null;
  snapshotFactor: number;
  tags: Record<string, string>;
}

export interface NewVolume {
  id?: string;
  clusterId: string;
  name: string;
  kind?: VolumeKind;
  sizeBytes: number;
  durability?: Durability;
  blockHosting?: boolean;
  blockFreeBytes?: number;
  hostingVolumeId?: string | null;
  snapshotFactor?: number;
  tags?: Record<string, string>;
}

export type VolumePatch = Partial<Pick<Volume, 'name' | 'sizeBytes' | 'blockFreeBytes' | 'blockHosting' | 'tags'>>;

export interface Brick extends Entity {
  volumeId: string;
  deviceId: string;
  hostId: string;
  path: string;
  sizeBytes: number;
}

export interface NewBrick {
  id?: string;
  volumeId: string;
  deviceId: string;
  hostId: string;
  path: string;
  sizeBytes: number;
}
