import { Entity } from './entity';

/** What a consolidation setting is attached to: a site (Eco4Cloud farm), cluster, host or VM. */
export type ConsolidationSubject = 'site' | 'cluster' | 'host' | 'vm';

/**
 * How the hypervisor's own balancer (VMware DRS) behaves on a cluster when consolidation is
 * switched off there: left alone ('nothing') or set to one of vSphere's DRS behaviours.
 */
export const DRS_MODES = ['nothing', 'manual', 'partiallyAutomated', 'fullyAutomated'] as const;
export type DrsMode = (typeof DRS_MODES)[number];

/**
 * Consolidation settings stored for one subject. Null means "not set here": the effective
 * value is inherited (host -> cluster -> site) or the product default.
 */
export interface ConsolidationSettings extends Entity {
  subjectKind: ConsolidationSubject;
  subjectId: string;
  description: string | null;
  /** Target utilisation, percent. */
  ta: number | null;
  /** Highest acceptable utilisation, percent; ta <= th. */
  th: number | null;
  consolidationOn: boolean | null;
  serversAlwaysOn: number | null;
  powerOffMinUptime: number | null;
  powerOnMinDowntime: number | null;
  drsMode: DrsMode | null;
  standbyEnabled: boolean | null;
  migrationEnabled: boolean | null;
  clusterMigrationEnabled: boolean | null;
  /** When the engine last planned this site (sites only). */
  lastRoundAt: Date | null;
}

export type ConsolidationPatch = Partial<
  Pick<
    ConsolidationSettings,
    | 'description'
    | 'ta'
    | 'th'
    | 'consolidationOn'
    | 'serversAlwaysOn'
    | 'powerOffMinUptime'
    | 'powerOnMinDowntime'
    | 'drsMode'
    | 'standbyEnabled'
    | 'migrationEnabled'
    | 'clusterMigrationEnabled'
    | 'lastRoundAt'
  >
>;

export type NewConsolidationSettings = ConsolidationPatch & { id?: string; subjectKind: ConsolidationSubject; subjectId: string };

/** Effective settings, defaults and inheritance applied. Minutes are whole minutes. */
export interface FarmConsolidation {
  description: string;
  ta: number;
  th: number;
  consolidationOn: boolean;
  powerOffMinUptime: number;
  powerOnMinDowntime: number;
}

export interface ClusterConsolidation {
  serversAlwaysOn: number;
  consolidationEnabled: boolean;
  powerOffMinUptime: number;
  powerOnMinDowntime: number;
  drsMode: DrsMode;
}

export interface HostConsolidation {
  standbyEnabled: boolean;
  powerOffMinUptime: number;
  powerOnMinDowntime: number;
}

export interface VmConsolidation {
  migrationEnabled: boolean;
  clusterMigrationEnabled: boolean;
}

/** The few VM columns performance and planning need, read without hydrating whole VMs. */
export interface VmLoad {
  id: string;
  seq: number;
  hostId: string | null;
  datastoreId: string | null;
  state: 'running' | 'stopped' | 'suspended';
  cpuCount: number;
  memoryMb: number;
  cpuUsagePct: number;
  memoryUsagePct: number;
}

/** Defaults of a freshly installed appliance: consolidation is opt-in per farm. */
export const CONSOLIDATION_DEFAULTS = {
  ta: 80,
  th: 90,
  consolidationOn: false,
  powerOffMinUptime: 30,
  powerOnMinDowntime: 10,
  serversAlwaysOn: 1,
  consolidationEnabled: true,
  drsMode: 'nothing' as DrsMode,
  standbyEnabled: true,
  migrationEnabled: true,
  clusterMigrationEnabled: false,
};
