import { Entity } from './entity';

/** `forgotten`: taken out of management without touching the servers (monitored filesystems). */
export type FilesystemState = 'unavailable' | 'stopped' | 'available' | 'removed' | 'forgotten';
export type TargetKind = 'MGT' | 'MDT' | 'OST';
export type TargetState = 'unformatted' | 'formatted' | 'registered' | 'unmounted' | 'mounted' | 'removed' | 'forgotten';

/** A Lustre filesystem: one MGT (possibly shared), one or more MDTs, many OSTs. */
export interface Filesystem extends Entity {
  name: string;
  state: FilesystemState;
  mgtId: string | null;
  /** Lustre tunables set on the filesystem (key -> value as Lustre takes it). */
  confParams?: ConfParams;
}

export interface NewFilesystem {
  id?: string;
  name: string;
  state?: FilesystemState;
  mgtId?: string | null;
  confParams?: ConfParams;
}

export type FilesystemPatch = Partial<Pick<Filesystem, 'state' | 'mgtId' | 'confParams'>>;

/** Lustre tunables (`lov.stripesize` -> `4M`): values are strings, as lctl conf_param takes them. */
export type ConfParams = Record<string, string>;

export interface Target extends Entity {
  filesystemId: string | null;
  kind: TargetKind;
  index: number;
  name: string;
  deviceId: string;
  hostId: string;
  failoverHostId: string | null;
  state: TargetState;
  /** Where the target is mounted now: its primary host, or its failover host after a failover. */
  activeHostId?: string | null;
  confParams?: ConfParams;
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
  activeHostId?: string | null;
  confParams?: ConfParams;
}

export type TargetPatch = Partial<Pick<Target, 'state' | 'hostId' | 'filesystemId' | 'name' | 'activeHostId' | 'confParams'>>;
