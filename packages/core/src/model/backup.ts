import { Entity } from './entity';

/** 'canceling' / 'canceled': a backup stopped while still being taken (OmniStack's cancel). */
export type BackupState = 'protected' | 'saving' | 'failed' | 'deleted' | 'canceling' | 'canceled';

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
  /** Bytes only this backup holds (not shared with the VM's earlier backups), once calculated, and when. */
  uniqueSizeBytes?: number | null;
  uniqueSizeAt?: Date | null;
  /** The VM's name when the backup was taken (names its virtual disks after the VM is renamed or gone). */
  vmName?: string | null;
  /** Kept on this external store (StoreOnce), not in the cluster; null for a cluster backup. */
  externalStoreName?: string | null;
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
  vmName?: string | null;
  externalStoreName?: string | null;
}

export type BackupPatch = Partial<Pick<Backup, 'name' | 'state' | 'sizeBytes' | 'expiresAt' | 'locked' | 'uniqueSizeBytes' | 'uniqueSizeAt'>>;
