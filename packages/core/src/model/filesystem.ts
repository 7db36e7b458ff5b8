import { Entity } from './entity';

export type FilesystemState = 'unavailable' | 'stopped' | 'available' | 'removed';
export type TargetKind = 'MGT' | 'MDT' | 'OST';
export type TargetState = 'unformatted' | 'formatted' | 'registered' | 'unmounted' | 'mounted' | 'removed';

/** A Lustre filesystem: one MGT (possibly shared), one or more MDTs, many OSTs. */
export interface Filesystem extends Entity {
  name: string;
  state: FilesystemState;
  mgtId: string | null;
}

export interface NewFilesystem {
  id?: string;
  name: string;
  state?: FilesystemState;
  mgtId?: string | null;
}

export type FilesystemPatch = Partial<Pick<Filesystem, 'state' | 'mgtId'>>;

export interface Target extends Entity {
  filesystemId: string | null;
  kind: TargetKind;
  index: number;
  name: string;
  deviceId: string;
  hostId: string;
  failoverHostId: string | null;
  state: TargetState;
}

export interface NewTarget {
  id?: string;
  filesystemId?: string | null;
  kind: TargetKind;
  index?: number;
  name: string;
  deviceId: string;
  hostId: string;
  failoverHostId?: string | null;
  state?: TargetState;
}

export type TargetPatch = Partial<Pick<Target, 'state' | 'hostId' | 'filesystemId' | 'name'>>;
