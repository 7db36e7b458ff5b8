import { ServiceDeps } from './deps';
import { createSiteService, SiteService } from './site-service';
import { createClusterService, ClusterService } from './cluster-service';
import { createHostService, HostService } from './host-service';
import { createDeviceService, DeviceService } from './device-service';
import { createDatastoreService, DatastoreService } from './datastore-service';
import { createVmService, VmService } from './vm-service';
import { createAggregateService, AggregateService } from './aggregate-service';
import { createPolicyService, PolicyService } from './policy-service';
import { createBackupService, BackupService } from './backup-service';
import { createVolumeService, VolumeService } from './volume-service';
import { createFilesystemService, FilesystemService } from './filesystem-service';
import { createJobService, JobService } from './job-service';
import { createStorageService, StorageService } from './storage-service';
import { createLustreService, LustreService } from './lustre-service';
import { createLustreAdminService, LustreAdminService } from './lustre-admin-service';
import { Clock } from '../ports/clock';
import { createZoneService, ZoneService } from './zone-service';
import { createPlacementService, PlacementService } from './placement-service';
import { createOperationService, OperationService } from './operation-service';
import { createAccessTokenService, AccessTokenService } from './access-token-service';
import { createBackupScheduler, BackupScheduler } from './backup-schedule';
import { createTrustStoreService, TrustStoreService } from './trust-store-service';
import { createExternalStoreService, ExternalStoreService } from './external-store-service';
import { createConsolidationService, ConsolidationService } from './consolidation-service';
import { createChangeService, ChangeService } from './change-service';
import { createTokenRevocationService, TokenRevocationService } from './token-revocation-service';
import { createSampleService, SampleService } from './sample-service';
import { createBackupImpact, BackupImpact } from './backup-impact';

/** Everything a dialect may ask of the domain. */
export interface Services {
  clock: Clock;
  sites: SiteService;
  clusters: ClusterService;
  hosts: HostService;
  devices: DeviceService;
  datastores: DatastoreService;
  vms: VmService;
  aggregates: AggregateService;
  policies: PolicyService;
  backups: BackupService;
  volumes: VolumeService;
  filesystems: FilesystemService;
  jobs: JobService;
  zones: ZoneService;
  placement: PlacementService;
  operations: OperationService;
  accessTokens: AccessTokenService;
  backupSchedule: BackupScheduler;
  trustStore: TrustStoreService;
  externalStores: ExternalStoreService;
  storage: StorageService;
  lustre: LustreService;
  lustreAdmin: LustreAdminService;
  consolidation: ConsolidationService;
  changes: ChangeService;
  revocations: TokenRevocationService;
  /** Performance samples stored as a time series (see metrics/samples.ts). */
  samples: SampleService;
  /** What policy schedules cost the federation, now and after a proposed change (OmniStack impact reports). */
  backupImpact: BackupImpact;
}

export function createServices(deps: ServiceDeps): Services {
  return {
    clock: deps.clock,
    sites: createSiteService(deps),
    clusters: createClusterService(deps),
    hosts: createHostService(deps),
    devices: createDeviceService(deps),
    datastores: createDatastoreService(deps),
    vms: createVmService(deps),
    aggregates: createAggregateService(deps),
    policies: createPolicyService(deps),
    backups: createBackupService(deps),
    volumes: createVolumeService(deps),
    filesystems: createFilesystemService(deps),
    jobs: createJobService(deps),
    zones: createZoneService(deps),
    placement: createPlacementService(deps, createJobService(deps)),
    operations: createOperationService(deps),
    accessTokens: createAccessTokenService(deps),
    backupSchedule: createBackupScheduler(deps),
    trustStore: createTrustStoreService(deps),
    externalStores: createExternalStoreService(deps),
    storage: createStorageService(deps),
    lustre: createLustreService(deps, createJobService(deps)),
    lustreAdmin: createLustreAdminService(deps),
    consolidation: createConsolidationService(deps, createJobService(deps)),
    changes: createChangeService(deps),
    revocations: createTokenRevocationService(deps),
    samples: createSampleService(deps, deps.sampling),
    backupImpact: createBackupImpact(deps),
  };
}
