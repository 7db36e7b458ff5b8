export { CoreError, ERROR_CODES, isCoreError, notFound, validation, assertNever } from './errors';
export type { ErrorCode, ErrorDetails, FieldIssue } from './errors';

export type { Entity, Tags } from './model/entity';
export type { Site, NewSite } from './model/site';
export type { Cluster, NewCluster, ClusterPatch } from './model/cluster';
export type { Host, NewHost, HostPatch, HostState, PowerState, IpmiAccess } from './model/host';
export type { HostAggregate, NewHostAggregate, HostAggregatePatch } from './model/aggregate';
export type { Device, NewDevice, DevicePatch, DeviceState, DeviceKind } from './model/device';
export type { Datastore, NewDatastore, DatastorePatch } from './model/datastore';
export type { Vm, NewVm, VmPatch, VmState } from './model/vm';
export type { Policy, NewPolicy, PolicyPatch, PolicyRule } from './model/policy';
export type { Backup, NewBackup, BackupPatch, BackupState } from './model/backup';
export type { Volume, NewVolume, VolumePatch, VolumeKind, Durability, DurabilityType, Brick, NewBrick } from './model/volume';
export type {
  Filesystem,
  NewFilesystem,
  FilesystemPatch,
  FilesystemState,
  Target,
  NewTarget,
  TargetPatch,
  TargetKind,
  TargetState,
} from './model/filesystem';
export type { Job, NewJob, JobPatch, JobKind, JobState, JobStep, StepState, AffectedObject } from './model/job';
export { TERMINAL_JOB_STATES } from './model/job';
export type { Principal } from './model/principal';

export type { Clock } from './ports/clock';
export type { IdGenerator } from './ports/ids';
export type { JobQueue } from './ports/job-queue';
export type { Condition, Filter, ListQuery, Operator, Order, Page } from './ports/query';
export { and, eq } from './ports/query';
export type {
  Repository,
  Repositories,
  Store,
  CapacityRepository,
  HostAggregateRepository,
  JobRepository,
} from './ports/repositories';

export { SystemClock } from './clock/system-clock';
export { ControllableClock, REAL_TIME } from './clock/controllable-clock';
export type { ClockState } from './clock/controllable-clock';
export { startClockSync } from './clock/clock-sync';
export type { ClockSync } from './clock/clock-sync';
export { RandomIds, SeededIds, nameUuid } from './ids';

export { NO_FAULTS } from './faults';
export type { FaultPolicy, FaultEffect, RequestContext, StepFaultContext } from './faults';

export type { ServiceDeps } from './services/deps';
export { createServices } from './services/services';
export type { Services } from './services/services';
export type { Reads } from './services/reads';
export type { SiteService } from './services/site-service';
export type { ClusterService } from './services/cluster-service';
export type { HostService } from './services/host-service';
export type { DeviceService } from './services/device-service';
export type { DatastoreService } from './services/datastore-service';
export type { VmService } from './services/vm-service';
export type { AggregateService } from './services/aggregate-service';
export type { PolicyService } from './services/policy-service';
export type { BackupService } from './services/backup-service';
export type { VolumeService } from './services/volume-service';
export { brickPlan, DEFAULT_DURABILITY } from './services/volume-service';
export type { FilesystemService } from './services/filesystem-service';
export type { JobService, JobRequest } from './services/job-service';

export { jobDefinitions } from './jobs/definitions';
export type { JobDefinition, StepDefinition, StepContext } from './jobs/job-definition';
export { createJobRunner } from './jobs/job-runner';
export type { JobRunner, JobRunnerDeps, RunOutcome } from './jobs/job-runner';

export type { Fixture, GenerateSpec } from './topology/fixture';
export { validateFixture, assertValidFixture } from './topology/validate-fixture';
export type { FixtureIssue } from './topology/validate-fixture';
export { generateTopology, expandFixture } from './topology/generate-topology';
export { loadTopology } from './topology/load-topology';
export type { LoadProgress, LoadSummary } from './topology/load-topology';

export { sampleLoad, sampleSeries, hostPowerWatts } from './metrics/load-model';
export type { LoadSample, LoadBasis } from './metrics/load-model';
