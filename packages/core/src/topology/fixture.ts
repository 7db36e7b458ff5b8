/**
 * The topology fixture format (JSON). Sizes are in GiB/MiB as people write them; the loader
 * converts to bytes. See examples/README.md for the documented format.
 */
export interface FixtureVm {
  name: string;
  state?: 'running' | 'stopped' | 'suspended';
  cpuCount?: number;
  memoryMiB?: number;
  diskGiB?: number;
  datastore?: string;
  policy?: string;
}

export interface FixtureDevice {
  name: string;
  sizeGiB: number;
  kind?: 'disk' | 'lun';
  serial?: string;
  /** Further hosts a shared LUN is zoned to (an HA pair), with the device path each sees (default: the same name). */
  alsoOn?: { host: string; path?: string }[];
}

export interface FixtureHost {
  name: string;
  address?: string;
  storageAddress?: string;
  zone?: number;
  state?: 'up' | 'down' | 'maintenance';
  power?: 'on' | 'off';
  cpuCores?: number;
  cpuMhz?: number;
  memoryGiB?: number;
  model?: string;
  serial?: string;
  powerIdleWatts?: number;
  powerMaxWatts?: number;
  ipmi?: { address?: string; username?: string; password?: string };
  tags?: Record<string, string>;
  devices?: FixtureDevice[];
  vms?: FixtureVm[];
}

export interface FixtureDatastore {
  name: string;
  capacityGiB: number;
  policy?: string;
}

export interface FixtureCluster {
  name: string;
  hosts?: FixtureHost[];
  datastores?: FixtureDatastore[];
  tags?: Record<string, string>;
}

export interface FixtureSite {
  name: string;
  clusters?: FixtureCluster[];
  /** Hosts not in any cluster. */
  hosts?: FixtureHost[];
}

export interface FixtureAggregate {
  name: string;
  availabilityZone?: string;
  metadata?: Record<string, string>;
  hosts?: string[];
}

export interface FixturePolicy {
  name: string;
  rules?: { frequencyMinutes: number; retentionMinutes: number; destination?: string; consistency?: string }[];
}

/** Multipliers for a generated topology: sites x clusters x hosts x devices, VMs per host ... */
export interface GenerateSpec {
  sites: number;
  clustersPerSite: number;
  hostsPerCluster: number;
  devicesPerHost: number;
  deviceSizeGiB?: number;
  vmsPerHost: number;
  datastoresPerCluster: number;
  zonesPerCluster?: number;
}

export interface Fixture {
  /** Ids derive from the seed and each object's name path: same file + seed, same ids. */
  seed?: string;
  sites?: FixtureSite[];
  policies?: FixturePolicy[];
  aggregates?: FixtureAggregate[];
  generate?: GenerateSpec;
}
