import { Entity, Tags } from './entity';

/** Operational state as the domain sees it; each dialect names it its own way. */
export type HostState = 'up' | 'down' | 'maintenance';
export type PowerState = 'on' | 'off';

export interface IpmiAccess {
  address: string | null;
  username: string | null;
  /** A secret: stored, returned where the vendor returns it, never logged. */
  password: string | null;
}

export interface Host extends Entity {
  siteId: string;
  clusterId: string | null;
  name: string;
  managementAddress: string | null;
  storageAddress: string | null;
  /** Failure zone for replica placement (Heketi zone). */
  zone: number;
  state: HostState;
  power: PowerState;
  cpuCores: number;
  cpuMhz: number;
  memoryMb: number;
  model: string | null;
  serial: string | null;
  /** Watts drawn idle and at full load: the basis of power figures. */
  powerIdleWatts: number;
  powerMaxWatts: number;
  ipmi: IpmiAccess;
  tags: Tags;
}

export interface NewHost {
  id?: string;
  siteId: string;
  clusterId?: string | null;
  name: string;
  managementAddress?: string | null;
  storageAddress?: string | null;
  zone?: number;
  state?: HostState;
  power?: PowerState;
  cpuCores?: number;
  cpuMhz?: number;
  memoryMb?: number;
  model?: string | null;
  serial?: string | null;
  powerIdleWatts?: number;
  powerMaxWatts?: number;
  ipmi?: Partial<IpmiAccess>;
  tags?: Tags;
}

export type HostPatch = Partial<
  Pick<
    Host,
    | 'clusterId'
    | 'name'
    | 'managementAddress'
    | 'storageAddress'
    | 'zone'
    | 'state'
    | 'power'
    | 'cpuCores'
    | 'cpuMhz'
    | 'memoryMb'
    | 'model'
    | 'serial'
    | 'powerIdleWatts'
    | 'powerMaxWatts'
    | 'ipmi'
    | 'tags'
  >
>;
