import { Entity, Tags } from './entity';

export type DeviceState = 'online' | 'offline' | 'failed';
export type DeviceKind = 'disk' | 'lun';

/** A block device (disk or LUN) on a host. usedBytes never exceeds sizeBytes nor goes negative. */
export interface Device extends Entity {
  hostId: string;
  name: string;
  kind: DeviceKind;
  sizeBytes: number;
  usedBytes: number;
  state: DeviceState;
  serial: string | null;
  tags: Tags;
}

export interface NewDevice {
  id?: string;
  hostId: string;
  name: string;
  kind?: DeviceKind;
  sizeBytes: number;
  usedBytes?: number;
  state?: DeviceState;
  serial?: string | null;
  tags?: Tags;
}

export type DevicePatch = Partial<Pick<Device, 'name' | 'state' | 'sizeBytes' | 'tags' | 'serial'>>;
