import { ListQuery, Filter, Page } from './query';
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

export interface Repository<E, N, P> {
  get(id: string): Promise<E | undefined>;
  getBySeq(seq: number): Promise<E | undefined>;
  /** Reads and row-locks (SELECT ... FOR UPDATE) until the transaction ends. */
  lock(id: string): Promise<E | undefined>;
  list(query?: ListQuery): Promise<E[]>;
  page(query?: ListQuery): Promise<Page<E>>;
  count(filter?: Filter): Promise<number>;
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
export type DeviceRepository = Repository<Device, NewDevice, DevicePatch> & CapacityRepository;
export type DatastoreRepository = Repository<Datastore, NewDatastore, DatastorePatch> & CapacityRepository;
export type VmRepository = Repository<Vm, NewVm, VmPatch>;
export type PolicyRepository = Repository<Policy, NewPolicy, PolicyPatch>;
export type BackupRepository = Repository<Backup, NewBackup, BackupPatch>;
export type VolumeRepository = Repository<Volume, NewVolume, VolumePatch>;
export type BrickRepository = Repository<Brick, NewBrick, Partial<Pick<Brick, 'deviceId' | 'hostId' | 'path'>>>;
export type FilesystemRepository = Repository<Filesystem, NewFilesystem, FilesystemPatch>;
export type TargetRepository = Repository<Target, NewTarget, TargetPatch>;

export interface HostAggregateRepository extends Repository<HostAggregate, NewHostAggregate, HostAggregatePatch> {
  addHost(aggregateId: string, hostId: string): Promise<void>;
  removeHost(aggregateId: string, hostId: string): Promise<void>;
}

export interface JobRepository extends Repository<Job, NewJob, JobPatch> {
  updateStep(jobId: string, index: number, patch: Partial<Pick<JobStep, 'state' | 'startedAt' | 'finishedAt' | 'error'>>): Promise<void>;
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
}

export interface Store {
  /** Repositories for reads outside a transaction. */
  readonly repos: Repositories;
  /** Runs fn in one database transaction; everything it wrote commits or nothing does. */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  /** Deletes every domain row (jobs included). */
  truncate(): Promise<void>;
  /** The shared virtual clock, so every gateway and worker reads the same time. */
  readClockState(): Promise<ClockState | undefined>;
  writeClockState(state: ClockState): Promise<void>;
}
