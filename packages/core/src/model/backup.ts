import { Entity } from './entity';

export type BackupState = 'protected' | 'saving' | 'failed' | 'deleted';

export interface Backup extends Entity {
  vmId: string | null;
  datastoreId: string | null;
  name: string;
  state: BackupState;
  sizeBytes: number;
  expiresAt: Date | null;
}

export interface NewBackup {
  id?: string;
  vmId?: string | null;
  datastoreId?: string | null;
  name: string;
  state?: BackupState;
  sizeBytes?: number;
  expiresAt?: Date | null;
}

export type BackupPatch = Partial<Pick<Backup, 'name' | 'state' | 'sizeBytes' | 'expiresAt'>>;
