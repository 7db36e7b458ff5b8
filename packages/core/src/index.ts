export { CoreError, ERROR_CODES, isCoreError, notFound, validation, assertNever } from './errors';
export type { ErrorCode, ErrorDetails, FieldIssue } from './errors';

export type { Entity, Tags } from './model/entity';
export type { Site, NewSite } from './model/site';
export type { Cluster, NewCluster, ClusterPatch } from './model/cluster';
export type { Host, NewHost, HostPatch, HostState, PowerState, IpmiAccess } from './model/host';
export type { LustreHostState, LnetState } from './model/host';
export type { HostAggregate, NewHostAggregate, HostAggregatePatch } from './model/aggregate';
export type { Device, NewDevice, DevicePatch, DeviceState, DeviceKind } from './model/device';
export type { Datastore, NewDatastore, DatastorePatch } from './model/datastore';
export { datastoreFreeBytes } from './model/datastore';
export { onJobRecorded } from './jobs/job-hooks';
export type { JobRecordedListener } from './jobs/job-hooks';
export type { Vm, NewVm, VmPatch, VmState } from './model/vm';
export type { VmBuild, VmBuildState } from './model/vm';
export type { Policy, NewPolicy, PolicyPatch, PolicyRule } from './model/policy';
export type { Backup, NewBackup, BackupPatch, BackupState } from './model/backup';
export type { Volume, NewVolume, VolumePatch, VolumeKind, VolumePlacement, Durability, DurabilityType, Brick, NewBrick } from './model/volume';
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
  ConfParams,
} from './model/filesystem';
export type {
  DevicePath,
  NewDevicePath,
  DevicePathPatch,
  LustreAccount,
  NewLustreAccount,
  LustreAccountPatch,
  RegistrationToken,
  NewRegistrationToken,
  RegistrationTokenPatch,
  ClientMount,
  NewClientMount,
  ClientMountPatch,
  ClientMountState,
  Copytool,
  NewCopytool,
  AlertSubscription,
  NewAlertSubscription,
  CopytoolPatch,
  CopytoolState,
} from './model/lustre-objects';
export type { Job, NewJob, JobPatch, JobKind, JobState, JobStep, StepState, AffectedObject } from './model/job';
export { TERMINAL_JOB_STATES } from './model/job';
export type { Principal } from './model/principal';
export type { AccessToken, NewAccessToken, AccessTokenPatch } from './model/access-token';
export type { BackupTrigger } from './model/backup';
export type { OperationService, BackupRequest, BackupScope, NewPolicyRule, RetentionOutcome, GuestAccountRequest } from './services/operation-service';
export { jobAffected, backupName, isTimeZone } from './services/operation-service';
export type { AccessTokenService, IssueTokenInput } from './services/access-token-service';
export { TOKEN_RECHECK_MS } from './services/access-token-service';
export type { BackupScheduler } from './services/backup-schedule';
export type { TrustedCertificate, NewTrustedCertificate } from './model/trusted-certificate';
export type { TrustStoreService } from './services/trust-store-service';
export type { ChangeService } from './services/change-service';
export type { TokenRevocationService } from './services/token-revocation-service';
export { createTokenRevocationService, REVOCATION_REFRESH_MS } from './services/token-revocation-service';
export { parseCertificate } from './services/trust-store-service';
export type { ExternalStore, NewExternalStore, ExternalStorePatch } from './model/external-store';
export type { ParkedCredential, NewParkedCredential, ParkedCredentialPatch } from './model/parked-credential';
export type { GuestCredentials, NewGuestCredentials, GuestCredentialsPatch } from './model/guest-credentials';
export { backupDisks, backupPartitions, backupFiles, findBackupFile } from './services/backup-contents';
export type { BackupDisk, BackupPartition, BackupFile } from './services/backup-contents';
export { createBackupImpact } from './services/backup-impact';
export type { BackupImpact, ScheduleLoad, ScheduleChange } from './services/backup-impact';
export type { ExternalStoreService } from './services/external-store-service';
export { EXTERNAL_STORE_KINDS } from './services/external-store-service';
export { ruleSlots, ruleRunsOn } from './services/backup-schedule';

export type { Clock } from './ports/clock';
export type { IdGenerator } from './ports/ids';
export type { JobQueue } from './ports/job-queue';
export type { Condition, Filter, ListQuery, Operator, Order, Page } from './ports/query';
export { and, eq } from './ports/query';
export type {
  Repository,
  Repositories,
  Store,
  TransactionOptions,
  CapacityRepository,
  HostAggregateRepository,
  HostTotals,
  HostTotalsRepository,
  JobRepository,
  AccessTokenRepository,
  RevokedTokenRepository,
  TrustedCertificateRepository,
  ExternalStoreRepository,
} from './ports/repositories';

export { SystemClock } from './clock/system-clock';
export { ControllableClock, REAL_TIME } from './clock/controllable-clock';
export type { ClockState } from './clock/controllable-clock';
export { startClockSync } from './clock/clock-sync';
export type { ClockSync } from './clock/clock-sync';
export { RandomIds, SeededIds, nameUuid } from './ids';

export { NO_FAULTS } from './faults';
export type { FaultRule, NewFaultRule, FaultRuleEffect, FaultRulePatch } from './model/fault-rule';
export { createFaultService, draw, globMatches, matchesRequest, matchesStep } from './services/fault-service';
export type { FaultService, FaultServiceDeps } from './services/fault-service';
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
export type { VmService, GuestAccountState } from './services/vm-service';
export type { AggregateService } from './services/aggregate-service';
export type { PolicyService } from './services/policy-service';
export type { BackupService } from './services/backup-service';
export type { VolumeService } from './services/volume-service';
export type { FilesystemService } from './services/filesystem-service';
export type { JobService, JobRequest } from './services/job-service';
export type { ZoneService } from './services/zone-service';
export { ZONE_METADATA_KEY, splitZones } from './services/zone-service';
export type { PlacementService, VmRequest, HostUsage } from './services/placement-service';
export { NO_VALID_HOST, CPU_ALLOCATION_RATIO } from './services/placement-service';
export type {
  StorageService,
  ClusterRefusal,
  GlusterVolumeRequest,
  StorageNodeRequest,
  StorageDeviceRequest,
  TagChange,
  BlockVolumeRequest,
  BlockRefusal,
} from './services/storage-service';
export { brickFootprintKib, brickSpaceKib, bricksInSet, GIB_KIB, KIB } from './services/brick-allocator';
export type { PlacementRules } from './services/brick-allocator';
export { ARBITER_AVERAGE_FILE_KIB } from './services/brick-allocator';
export type { LustreService, LustreObject, LustreEntity, NewLustreFilesystem, StatePlan, CommandItem, HostAction } from './services/lustre-service';
export type { LustreAlertDismissal, NewLustreAlertDismissal, LustreAlertDismissalPatch } from './model/lustre-alert';
export { LUSTRE_MACHINES, lustreRoute, lustreReachable, onlyMonitored } from './services/lustre-service';
export type { LustreHaService, DeviceNode, NodeFlags, NewCopytoolInput } from './services/lustre-ha-service';
export { CLIENT_MOUNT_STATES } from './services/lustre-ha-service';
export type { LustreAdminService } from './services/lustre-admin-service';
export { LUSTRE_GROUPS } from './services/lustre-admin-service';
export { CONF_PARAMS, checkConfParams, confParamsView, confParamHelp } from './services/lustre-conf-params';
export type { ConfParamOwner } from './services/lustre-conf-params';
export { coalescedReads } from './services/coalesced-reads';

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
export type {
  ConsolidationSettings,
  ConsolidationPatch,
  NewConsolidationSettings,
  ConsolidationSubject,
  DrsMode,
  FarmConsolidation,
  ClusterConsolidation,
  HostConsolidation,
  VmConsolidation,
  VmLoad,
} from './model/consolidation';
export { DRS_MODES, CONSOLIDATION_DEFAULTS } from './model/consolidation';
export type { ConsolidationSettingsRepository } from './ports/repositories';
export type { ConsolidationService, ConsolidationRound, ConsolidationInventory, VmDetails, VmPager } from './services/consolidation-service';
export { SETTABLE as CONSOLIDATION_SETTABLE, ROUND_INTERVAL_MS as CONSOLIDATION_ROUND_INTERVAL_MS } from './services/consolidation-service';
export { planConsolidation } from './services/consolidation-planner';
export type { ConsolidationPlan, PlanInput, PlanHost, PlanVm, PlanCluster, PlannedMove } from './services/consolidation-planner';
export { startConsolidationScheduler } from './services/consolidation-scheduler';
export type { ConsolidationScheduler } from './services/consolidation-scheduler';
export { hostPerformance, vmPerformance, datastorePerformance, vmDemand, sampleTime, HOST_BANDWIDTH_MBPS } from './metrics/performance';
export type { HostPerformance, VmPerformance, DatastorePerformance, VmDemand } from './metrics/performance';
export { sampleDomain, sampleInstant } from './metrics/samples';
export type { SampleKind, HostSample, VmSample, DatastoreSample, SampleSet, SampleInputs, PowerPoint } from './metrics/samples';
export type { SampleRepository } from './ports/samples';
export { createSampleService, SAMPLING_DEFAULTS } from './services/sample-service';
export type { SampleService, SampleRun, SamplingSettings, LatestSamples } from './services/sample-service';
export { startSampleScheduler } from './services/sample-scheduler';
export type { SampleScheduler, SampleSchedulerOptions } from './services/sample-scheduler';
export type { ControlStore, JobExecutionMode, SnapshotInfo, SnapshotDocument } from './ports/control-store';
export { JOB_EXECUTION_MODES } from './ports/control-store';
export { createJobControl } from './jobs/job-control';
export type { JobControl, JobControlDeps } from './jobs/job-control';
