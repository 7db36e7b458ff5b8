import { Entity } from './entity';
import { ErrorCode, ErrorDetails } from '../errors';

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type StepState = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export const TERMINAL_JOB_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

/**
 * Every kind of long-running mutation, `<entity>.<verb>`. The worker's definitions are a
 * Record<JobKind, JobDefinition>, so adding a kind here without its steps fails to compile.
 */
export type JobKind =
  | 'host.power_on'
  | 'host.power_off'
  | 'host.enter_maintenance'
  | 'host.exit_maintenance'
  | 'host.standby'
  | 'vm.power_on'
  | 'vm.power_off'
  | 'vm.move'
  | 'vm.clone'
  | 'vm.create'
  | 'vm.reboot'
  | 'vm.set_policy'
  | 'backup.create'
  | 'backup.delete'
  | 'backup.restore'
  | 'backup.copy'
  | 'backup.rename'
  | 'backup.lock'
  | 'backup.set_retention'
  | 'backup.cancel'
  | 'backup.calculate_unique_size'
  | 'backup.restore_files'
  | 'vm.set_guest_credentials'
  | 'datastore.create'
  | 'datastore.resize'
  | 'datastore.delete'
  | 'datastore.set_policy'
  | 'policy.create'
  | 'policy.rename'
  | 'policy.delete'
  | 'policy.add_rules'
  | 'policy.edit_rule'
  | 'policy.delete_rule'
  | 'cluster.set_time_zone'
  | 'cluster.set_iwo'
  | 'host.leave_cluster'
  | 'cluster.suspend_backups'
  | 'cluster.resume_backups'
  | 'external_store.register'
  | 'external_store.unregister'
  | 'external_store.update_credentials'
  | 'datastore.share'
  | 'datastore.unshare'
  | 'site.rename'
  | 'volume.create'
  | 'volume.delete'
  | 'volume.expand'
  | 'filesystem.start'
  | 'filesystem.stop'
  | 'filesystem.create'
  | 'filesystem.remove'
  | 'target.create'
  | 'target.start'
  | 'target.stop'
  | 'target.remove'
  | 'target.failover'
  | 'target.failback'
  | 'target.forget'
  | 'filesystem.forget'
  | 'lustre.apply_conf_params'
  | 'client_mount.set_state'
  | 'copytool.set_state'
  | 'host.reboot'
  | 'host.update_nids'
  | 'host.detect_devices'
  | 'host.detect_targets'
  | 'host.deploy'
  | 'host.probe'
  | 'host.retire'
  | 'host.set_lnet_state'
  | 'host.add'
  | 'host.remove'
  | 'host.set_state'
  | 'device.add'
  | 'device.remove'
  | 'device.set_state'
  | 'device.resync'
  | 'block_volume.create'
  | 'block_volume.delete'
  | 'block_volume.expand'
  | 'volume.set_block_restriction'
  | 'brick.evict'
  | 'job.cleanup'
  | 'volume.clone';

export interface AffectedObject {
  kind: string;
  id: string;
}

export interface JobStep {
  index: number;
  name: string;
  state: StepState;
  /** Planned duration on the clock, already scaled by the configured step speed. */
  seconds: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
}

export interface Job extends Entity {
  kind: JobKind;
  state: JobState;
  /** Which dialect (or control plane) asked for it, for display only. */
  origin: string;
  input: Record<string, unknown>;
  result: Record<string, unknown>;
  affected: AffectedObject[];
  steps: JobStep[];
  errorCode: ErrorCode | null;
  errorMessage: string | null;
  attempts: number;
  cancelRequested: boolean;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** When a client collected the outcome of the ended job (APIs that hand it out once). */
  collectedAt?: Date | null;
  /** The failing CoreError's details, so each dialect can word the failure its own way. */
  errorDetails?: ErrorDetails | null;
  /** Set on the other jobs of a command of several jobs: the id of the command's first job. */
  commandJobId?: string | null;
}

export interface NewJob {
  id?: string;
  kind: JobKind;
  origin: string;
  input: Record<string, unknown>;
  affected?: AffectedObject[];
  steps: { name: string; seconds: number }[];
  commandJobId?: string | null;
}

export type JobPatch = Partial<
  Pick<
    Job,
    'state' | 'result' | 'affected' | 'errorCode' | 'errorMessage' | 'attempts' | 'cancelRequested' | 'startedAt' | 'finishedAt' | 'collectedAt' | 'errorDetails'
  >
>;
