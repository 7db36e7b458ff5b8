import { Entity } from './entity';

export type BackupState = 'protected' | 'saving' | 'failed' | 'deleted';

export interface Backup extends Entity {
  vmId: string | null;
  datastoreId: string | null;
  name: string;
  state: BackupState;
  sizeBytes: number;
  expiresAt: Date | null;
  /** Taken on request or by a policy rule's schedule. */
  trigger?: BackupTrigger;
  /** Whether the guest was quiesced, and how ('none', 'default', 'vss'). */
  appConsistent?: boolean;
  consistency?: string;
  /** A locked backup never expires. */
  locked?: boolean;
}

export type BackupTrigger = 'manual' | 'policy';

export interface NewBackup {
  id?: string;
  vmId?: string | null;
  datastoreId?: string | null;
  name: string;
  state?: BackupState;
  sizeBytes?: number;
  expiresAt?: Date | null;
  trigger?: BackupTrigger;
  appConsistent?: boolean;
  consistency?: string;
  locked?: boolean;
  /** When the backup was taken, if not now (a policy slot caught up after the fact). */
  createdAt?: Date;
}

export type BackupPatch = Partial<Pick<Backup, 'name' | 'state' | 'sizeBytes' | 'expiresAt' | 'locked'>>;
