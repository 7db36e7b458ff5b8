import { Entity } from './entity';

export type VmState = 'running' | 'stopped' | 'suspended';

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
}

export type VmPatch = Partial<
  Pick<Vm, 'hostId' | 'datastoreId' | 'policyId' | 'name' | 'state' | 'cpuCount' | 'memoryMb' | 'cpuUsagePct' | 'memoryUsagePct'>
>;
