import { ListQuery, Filter, Page } from './query';
import { ControlStore } from './control-store';
import { Site, NewSite } from '../model/site';
import { Cluster, NewCluster, ClusterPatch } from '../model/cluster';
import { Host, NewHost, HostPatch } from '../model/host';
import { HostAggregate, NewHostAggregate, HostAggregatePatch } from '../model/aggregate';
import { Device, NewDevice, DevicePatch } from '../model/device';
import { Datastore, NewDatastore, DatastorePatch } from '../model/datastore';
import { Vm, NewVm, VmPatch } from '../model/vm';
import { Policy, NewPolicy, PolicyPatch } from '../model/policy';
import { Backup, NewBackup, BackupPatch } from '../model/backup';
import { Volume, NewVolume, VolumePatch, Brick, NewBrick } from '../model/volume';
import { Filesystem, NewFilesystem, FilesystemPatch, Target, NewTarget, TargetPatch } from '../model/filesystem';
import { Job, NewJob, JobPatch, JobStep } from '../model/job';
import { ClockState } from '../clock/controllable-clock';
import { FaultRule, NewFaultRule, FaultRulePatch } from '../model/fault-rule';
import { LustreAlertDismissal, NewLustreAlertDismissal, LustreAlertDismissalPatch } from '../model/lustre-alert';
import { ConsolidationSettings, NewConsolidationSettings, ConsolidationPatch, ConsolidationSubject, VmLoad } from '../model/consolidation';
import { AccessToken, NewAccessToken, AccessTokenPatch } from '../model/access-token';
import { TrustedCertificate, NewTrustedCertificate } from '../model/trusted-certificate';
import { ExternalStore, NewExternalStore, ExternalStorePatch } from '../model/external-store';
import { ParkedCredential, NewParkedCredential, ParkedCredentialPatch } from '../model/parked-credential';
import { SampleRepository } from './samples';
import { GuestCredentials, NewGuestCredentials, GuestCredentialsPatch } from '../model/guest-credentials';
import {
  ClientMount,
  ClientMountPatch,
  AlertSubscription,
  NewAlertSubscription,
  Copytool,
  CopytoolPatch,
  NewCopytool,
  DevicePath,
  DevicePathPatch,
  LustreAccount,
  LustreAccountPatch,
  NewClientMount,
  NewDevicePath,
  NewLustreAccount,
  NewRegistrationToken,
  RegistrationToken,
  RegistrationTokenPatch,
} from '../model/lustre-objects';

export interface Repository<E, N, P> {
  get(id: string): Promise<E | undefined>;
  getBySeq(seq: number): Promise<E | undefined>;
  /** Reads and row-locks (SELECT ... FOR UPDATE) until the transaction ends. */
  lock(id: string): Promise<E | undefined>;
  list(query?: ListQuery): Promise<E[]>;
  page(query?: ListQuery): Promise<Page<E>>;
  count(filter?: Filter): Promise<number>;
  /** Totals of a numeric field per value of another over the matching rows, in one query (capacity rollups). */
  sumBy(sumField: string, groupField: string, filter?: Filter): Promise<Record<string, number>>;
  /** Row counts grouped by a field, in SQL. */
  countBy(groupField: string, filter?: Filter): Promise<Record<string, number>>;
  insert(input: N): Promise<E>;
  /** Multi-row insert for bulk loads; returns nothing to keep it fast. */
  insertMany(inputs: N[]): Promise<void>;
  update(id: string, patch: P): Promise<E>;
  delete(id: string): Promise<void>;
}

/** Capacity changes are single guarded UPDATEs, so concurrent writers can never drive them out of range. */
export interface CapacityRepository {
  /** Adds delta (may be negative) to used bytes; returns false, changing nothing, if the result would leave [0, size]. */
  adjustUsed(id: string, deltaBytes: number): Promise<boolean>;
}

export type SiteRepository = Repository<Site, NewSite, Partial<Pick<Site, 'name'>>>;
export type ClusterRepository = Repository<Cluster, NewCluster, ClusterPatch>;
export type HostRepository = Repository<Host, NewHost, HostPatch>;
/** What a host's VMs or devices add up to, summed in the database (hypervisor capacity views). */
export interface HostTotals {
  hostId: string;
  count: number;
  /** VMs: vCPUs; devices: 0. */
  cpuCount: number;
  /** VMs: memory; devices: 0. */
  memoryMb: number;
  /** VMs: disk; devices: size. */
  bytes: number;
}

export interface HostTotalsRepository {
  /** One row per host that has any; all hosts when hostIds is omitted. */
  totalsByHost(hostIds?: string[]): Promise<HostTotals[]>;
}

export type DeviceRepository = Repository<Device, NewDevice, DevicePatch> & CapacityRepository & HostTotalsRepository;
export type DatastoreRepository = Repository<Datastore, NewDatastore, DatastorePatch> & CapacityRepository;
export type VmRepository = Repository<Vm, NewVm, VmPatch> & HostTotalsRepository;
export type PolicyRepository = Repository<Policy, NewPolicy, PolicyPatch>;
export type BackupRepository = Repository<Backup, NewBackup, BackupPatch>;
export type VolumeRepository = Repository<Volume, NewVolume, VolumePatch>;
export type BrickRepository = Repository<Brick, NewBrick, Partial<Pick<Brick, 'deviceId' | 'hostId' | 'path'>>>;
export type FilesystemRepository = Repository<Filesystem, NewFilesystem, FilesystemPatch>;
export type TargetRepository = Repository<Target, NewTarget, TargetPatch>;
export type AccessTokenRepository = Repository<AccessToken, NewAccessToken, AccessTokenPatch>;

/** Revoked self-validating tokens by realm and key, kept until the token would have expired anyway. */
export interface RevokedTokenRepository {
  /** Revoking twice is not an error. */
  add(realm: string, key: string, expiresAt: Date): Promise<void>;
  /** Keys of the realm whose tokens are still unexpired at `now`. */
  live(realm: string, now: Date): Promise<string[]>;
  /** Forgets revocations of tokens expired by `now`. */
  prune(now: Date): Promise<void>;
}
export type TrustedCertificateRepository = Repository<TrustedCertificate, NewTrustedCertificate, Record<string, never>>;
export type ExternalStoreRepository = Repository<ExternalStore, NewExternalStore, ExternalStorePatch>;

export interface HostAggregateRepository extends Repository<HostAggregate, NewHostAggregate, HostAggregatePatch> {
  addHost(aggregateId: string, hostId: string): Promise<void>;
  removeHost(aggregateId: string, hostId: string): Promise<void>;
}

export interface ConsolidationSettingsRepository extends Repository<ConsolidationSettings, NewConsolidationSettings, ConsolidationPatch> {
  /** Creates or updates the settings of every subject in one statement (INSERT ... ON CONFLICT). */
  upsert(kind: ConsolidationSubject, subjectIds: string[], patch: ConsolidationPatch): Promise<void>;
  /** Load-relevant columns of the VMs whose hostId / datastoreId is one of ids. */
  vmLoads(by: 'hostId' | 'datastoreId', ids: string[]): Promise<VmLoad[]>;
  /** The seq of every VM in ascending order: where each page of the creation-order list starts. */
  vmSeqs(): Promise<number[]>;
  /** The VMs with these sequence numbers, ascending: a page cut from vmSeqs, in one indexed statement. */
  vmsBySeq(seqs: number[]): Promise<Vm[]>;
}

export interface JobRepository extends Repository<Job, NewJob, JobPatch> {
  /** Updates one step, and the job's own fields too when jobPatch is given, in one statement. */
  updateStep(jobId: string, index: number, patch: Partial<Pick<JobStep, 'state' | 'startedAt' | 'finishedAt' | 'error'>>, jobPatch?: JobPatch): Promise<void>;
  /**
   * Marks several steps succeeded at `at` (keeping a start time already recorded) and applies
   * jobPatch to the job, in one statement: how an all-instant job ends.
   */
  succeedSteps(jobId: string, indexes: number[], at: Date, jobPatch: JobPatch): Promise<void>;
  /**
   * In one guarded statement: sets collectedAt on the job if it has ended and was not collected
   * before (first: true; at most one caller ever gets that), else returns it as it is (first:
   * false); undefined when there is no such job (or it is of another origin, when one is given).
   */
  collectOnce(id: string, at: Date, origin?: string): Promise<{ job: Job; first: boolean } | undefined>;
}

export interface Repositories {
  sites: SiteRepository;
  clusters: ClusterRepository;
  hosts: HostRepository;
  aggregates: HostAggregateRepository;
  devices: DeviceRepository;
  datastores: DatastoreRepository;
  vms: VmRepository;
  policies: PolicyRepository;
  backups: BackupRepository;
  volumes: VolumeRepository;
  bricks: BrickRepository;
  filesystems: FilesystemRepository;
  targets: TargetRepository;
  jobs: JobRepository;
  consolidation: ConsolidationSettingsRepository;
  accessTokens: AccessTokenRepository;
  revokedTokens: RevokedTokenRepository;
  trustedCertificates: TrustedCertificateRepository;
  externalStores: ExternalStoreRepository;
  parkedCredentials: Repository<ParkedCredential, NewParkedCredential, ParkedCredentialPatch>;
  guestCredentials: Repository<GuestCredentials, NewGuestCredentials, GuestCredentialsPatch>;
  faultRules: Repository<FaultRule, NewFaultRule, FaultRulePatch>;
  lustreAlertDismissals: Repository<LustreAlertDismissal, NewLustreAlertDismissal, LustreAlertDismissalPatch>;
  devicePaths: Repository<DevicePath, NewDevicePath, DevicePathPatch>;
  lustreUsers: Repository<LustreAccount, NewLustreAccount, LustreAccountPatch>;
  alertSubscriptions: Repository<AlertSubscription, NewAlertSubscription, Record<string, never>>;
  registrationTokens: Repository<RegistrationToken, NewRegistrationToken, RegistrationTokenPatch>;
  clientMounts: Repository<ClientMount, NewClientMount, ClientMountPatch>;
  copytools: Repository<Copytool, NewCopytool, CopytoolPatch>;
  /** Performance samples stored as a time series (not a domain table: reset empties it, snapshots skip it). */
  samples: SampleRepository;
}

/** Tables whose writes bump a change stamp (a trigger per table in migrations). */
export type StampedTable = 'hosts' | 'vms' | 'targets' | 'filesystems' | 'jobs' | 'devices' | 'host_aggregates' | 'host_aggregate_hosts' | 'sites' | 'clusters' | 'datastores' | 'consolidation_settings' | 'volumes' | 'bricks' | 'policies' | 'device_paths' | 'lustre_client_mounts' | 'lustre_copytools' | 'vm_guest_credentials' | 'sample_runs';

export interface TransactionOptions {
  /**
   * A bulk load: many rows per statement, parents before children. The store may then plan its
   * per-row checks once for the whole transaction, as it may not for everyday writes.
   */
  bulkLoad?: boolean;
}

export interface Store {
  /** Repositories for reads outside a transaction. */
  readonly repos: Repositories;
  /** Runs fn in one database transaction; everything it wrote commits or nothing does. */
  transaction<T>(fn: (tx: Repositories) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Runs fn, which must write with exactly one repository call that is one SQL statement (atomic on
   * its own, triggers included), without the BEGIN and COMMIT round trips of a transaction. Retried
   * like a transaction when PostgreSQL picks it as a deadlock victim.
   */
  statement<T>(fn: (repos: Repositories) => Promise<T>): Promise<T>;
  /** Deletes every domain row (jobs included). */
  truncate(): Promise<void>;
  /** Refreshes planner statistics after bulk changes (fixture loads, snapshot restores). */
  analyze(): Promise<void>;
  /** A value that changes whenever any of these tables is written, by any process: the key of derived caches. */
  changeStamp(tables: StampedTable[]): Promise<string>;
  /** The shared virtual clock, so every gateway and worker reads the same time. */
  readClockState(): Promise<ClockState | undefined>;
  writeClockState(state: ClockState): Promise<void>;
  /** Snapshots and job execution control; absent in stores without control-plane support. */
  readonly control?: ControlStore;
}
