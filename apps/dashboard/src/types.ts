/** Wire shapes of the control API (/_rosetta), as JSON delivers them (dates are ISO strings). */

export interface Page<T> {
  total: number;
  items: T[];
}

export interface Entity {
  id: string;
  seq: number;
  createdAt: string;
  updatedAt: string;
}

export interface Site extends Entity {
  name: string;
}

export interface Cluster extends Entity {
  siteId: string;
  name: string;
}

export type HostState = 'up' | 'down' | 'maintenance';

export interface Host extends Entity {
  siteId: string;
  clusterId: string | null;
  name: string;
  managementAddress: string | null;
  storageAddress: string | null;
  zone: number;
  state: HostState;
  power: 'on' | 'off';
  cpuCores: number;
  cpuMhz: number;
  memoryMb: number;
  model: string | null;
  powerIdleWatts: number;
  powerMaxWatts: number;
  stateReason?: string | null;
}

export interface Vm extends Entity {
  hostId: string | null;
  datastoreId: string | null;
  name: string;
  state: string;
  cpuCount: number;
  memoryMb: number;
  diskBytes: number;
  cpuUsagePct: number;
  memoryUsagePct: number;
}

export interface Device extends Entity {
  hostId: string;
  name: string;
  kind: 'disk' | 'lun';
  sizeBytes: number;
  usedBytes: number;
  state: 'online' | 'offline' | 'failed';
}

export interface Brick extends Entity {
  volumeId: string;
  deviceId: string;
  hostId: string;
  path: string;
  sizeBytes: number;
}

export interface Target extends Entity {
  filesystemId: string | null;
  kind: string;
  index: number;
  name: string;
  deviceId: string;
  hostId: string;
  state: string;
}

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobStep {
  index: number;
  name: string;
  state: 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  seconds: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export interface Job extends Entity {
  kind: string;
  state: JobState;
  origin: string;
  input: Record<string, unknown>;
  result: Record<string, unknown>;
  affected: { kind: string; id: string }[];
  steps: JobStep[];
  errorCode: string | null;
  errorMessage: string | null;
  attempts: number;
  cancelRequested: boolean;
  startedAt: string | null;
  finishedAt: string | null;
}

export type ExecutionMode = 'normal' | 'paused' | 'manual';

export interface ClockView {
  now: string;
  frozen: boolean;
  offsetMs: number;
}

export type FaultEffect =
  | { type: 'delay'; ms: number; jitterMs?: number }
  | { type: 'error'; code: string; message: string }
  | { type: 'drop' }
  | { type: 'fail_step'; message: string };

export interface FaultRule extends Entity {
  target: 'request' | 'step';
  dialect: string | null;
  method: string | null;
  route: string | null;
  jobKind: string | null;
  step: string | null;
  effect: FaultEffect;
  remaining: number | null;
  probability: number | null;
  expiresAt: string | null;
  hits: number;
  evaluations: number;
}

export interface FaultHits {
  id: string;
  hits: number;
  evaluations: number;
  remaining: number | null;
}

export interface JournalEntry {
  seq: number;
  at: string;
  dialect: string;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  principal: string | null;
  requestId: string | null;
  jobIds: string[];
  objectIds: string[];
}

export interface Snapshot {
  name: string;
  createdAt: string;
  rows: number;
  rowCounts: Record<string, number>;
}

export interface PowerPoint {
  at: string;
  watts: number;
  hostsOn: number;
  hostsOff: number;
}
