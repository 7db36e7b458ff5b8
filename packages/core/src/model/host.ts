import { Entity, Tags } from './entity';

/** Operational state as the domain sees it; each dialect names it its own way. */
export type HostState = 'up' | 'down' | 'maintenance';
export type PowerState = 'on' | 'off';
/** Lustre server life cycle (the Lustre manager's managed-host states); a host the domain already knows is managed. */
export type LustreHostState = 'unconfigured' | 'packages_installed' | 'managed' | 'monitored' | 'working' | 'removed';
/** State of the Lustre networking layer on a host. */
export type LnetState = 'unconfigured' | 'lnet_unloaded' | 'lnet_down' | 'lnet_up';

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
  /** Why the host is out of service (down or in maintenance), when someone said. */
  stateReason?: string | null;
  lustreState?: LustreHostState;
  lnetState?: LnetState;
  /** Lustre server profile name (e.g. 'default'). */
  serverProfile?: string;
  /** When the power state last changed (creation time if never): minimum uptime/downtime. */
  powerChangedAt?: Date;
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
  stateReason?: string | null;
  lustreState?: LustreHostState;
  lnetState?: LnetState;
  serverProfile?: string;
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
    | 'stateReason'
    | 'lustreState'
    | 'lnetState'
    | 'serverProfile'
  >
>;
