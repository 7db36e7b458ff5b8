import { Backup, BackupPatch, NewBackup } from '../model/backup';
import { ServiceDeps } from './deps';
import { Reads, mustGet, mustLock, readsOf } from './reads';
import { Checks } from './validate';

export interface BackupService extends Reads<Backup> {
  create(input: NewBackup): Promise<Backup>;
  update(id: string, patch: BackupPatch): Promise<Backup>;
  remove(id: string): Promise<void>;
}

export function createBackupService({ store }: ServiceDeps): BackupService {
  return {
    ...readsOf(store, 'backup', (r) => r.backups),
    async create(input) {
      new Checks().name(input.name).done('invalid backup');
      return store.transaction(async (tx) => {
        if (input.vmId) await mustGet(tx.vms, 'vm', input.vmId);
        return tx.backups.insert(input);
      });
    },
    async update(id, patch) {
      return store.transaction(async (tx) => {
        await mustLock(tx.backups, 'backup', id);
        return tx.backups.update(id, patch);
      });
    },
    async remove(id) {
      await store.transaction(async (tx) => {
        await mustLock(tx.backups, 'backup', id);
        await tx.backups.delete(id);
      });
    },
  };
}
