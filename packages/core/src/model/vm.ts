import { Entity } from './entity';

export type VmState = 'running' | 'stopped' | 'suspended';

/** How a requested VM came to be: what was asked for, and how far its build got. */
export type VmBuildState = 'building' | 'built' | 'failed';

export interface VmBuild {
  state: VmBuildState;
  /** Requested availability zone; null asks for hosts outside every zone, undefined for any host. */
  zone?: string | null;
  /** A host the requester forced (bypasses the zone and capacity checks, as an admin's zone:host does). */
  forcedHostId?: string | null;
  image: string | null;
  flavor: string | null;
  /** Who asked for it (user and project ids of the caller's identity service). */
  owner: string | null;
  project: string | null;
  metadata: Record<string, string>;
  /** Why the build failed. */
  fault: string | null;
}

export interface Vm extends Entity {
  hostId: string | null;
  datastoreId: string | null;
  policyId: string | null;
  name: string;
  state: VmState;
  cpuCount: number;
  memoryMb: number;
  diskBytes: number;
  /** Latest observed load, 0..100: feeds metrics and consolidation. */
  cpuUsagePct: number;
  memoryUsagePct: number;
  /** Set for VMs built on request (Nova servers); null for VMs that simply exist. */
  build?: VmBuild | null;
}

export interface NewVm {
  id?: string;
  hostId?: string | null;
  datastoreId?: string | null;
  policyId?: string | null;
  name: string;
  state?: VmState;
  cpuCount?: number;
  memoryMb?: number;
  diskBytes?: number;
  cpuUsagePct?: number;
  memoryUsagePct?: number;
  build?: VmBuild | null;
}

export type VmPatch = Partial<
  Pick<Vm, 'hostId' | 'datastoreId' | 'policyId' | 'name' | 'state' | 'cpuCount' | 'memoryMb' | 'cpuUsagePct' | 'memoryUsagePct' | 'build'>
>;
