import { Entity } from './entity';

export type VolumeKind = 'file' | 'block';
export type DurabilityType = 'none' | 'replicate' | 'disperse';

export interface Durability {
  type: DurabilityType;
  replica: number;
  disperseData: number;
  disperseRedundancy: number;
  /** The values the client spelled out, where a dialect echoes them rather than the effective ones. */
  requested?: { replica?: number; disperseData?: number; disperseRedundancy?: number };
}

/** Where a volume's bricks may go beyond "one per host per set" (Heketi's placement options). */
export interface VolumePlacement {
  /** Bricks of one set in distinct zones. */
  strictZones: boolean;
  /** Only devices whose tags (host tags overlaid by device tags) have (equal) or lack (!equal) key=value. */
  deviceTag?: { key: string; value: string; equal: boolean };
  /**
   * Heketi's arbiter volumes (`user.heketi.arbiter true`, replica 3 only): the last brick of each
   * set holds metadata only, sized from the average file size in KiB.
   */
  arbiter?: { averageFileKib: number };
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
  /** Gluster volume options as given at creation (Heketi glustervolumeoptions). */
  options?: string[];
  /** Group id owning the volume root; 0 when none was asked for. */
  gid?: number;
  /** Whether snapshot space was requested (snapshotFactor is 1 otherwise). */
  snapshotEnabled?: boolean;
  /** A block-hosting volume closed to new block volumes ('locked'), or null. */
  blockRestriction?: string | null;
  /** For block volumes: how many hosts export the target. */
  haCount?: number;
  /** For block volumes: whether CHAP authentication guards the target. */
  authEnabled?: boolean;
  /** The placement rules the volume's bricks were placed under; replacements honour them too. */
  placement?: VolumePlacement | null;
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
  options?: string[];
  gid?: number;
  snapshotEnabled?: boolean;
  blockRestriction?: string | null;
  haCount?: number;
  authEnabled?: boolean;
  placement?: VolumePlacement | null;
}

export type VolumePatch = Partial<Pick<Volume, 'name' | 'sizeBytes' | 'blockFreeBytes' | 'blockHosting' | 'tags' | 'blockRestriction'>>;

export interface Brick extends Entity {
  volumeId: string;
  deviceId: string;
  hostId: string;
  path: string;
  sizeBytes: number;
  /** A clone's brick shares this brick's thin pool and takes no device space itself. */
  poolBrickId?: string | null;
  /**
   * Its place in the volume's brick order (gluster's): bricks [k*n, k*n+n) form set k of a
   * volume with n bricks per set. A replacement brick takes the place of the brick it replaces.
   */
  position?: number;
}

export interface NewBrick {
  id?: string;
  volumeId: string;
  deviceId: string;
  hostId: string;
  path: string;
  sizeBytes: number;
  poolBrickId?: string | null;
  position?: number;
}
