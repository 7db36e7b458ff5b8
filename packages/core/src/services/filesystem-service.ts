import { CoreError } from '../errors';
import { Filesystem, FilesystemPatch, NewFilesystem, NewTarget, Target } from '../model/filesystem';
import { eq } from '../ports/query';
import { ServiceDeps } from './deps';
import { Reads, mustGet, mustLock, readsOf } from './reads';
import { Checks } from './validate';

export interface FilesystemService extends Reads<Filesystem> {
  create(input: NewFilesystem): Promise<Filesystem>;
  update(id: string, patch: FilesystemPatch): Promise<Filesystem>;
  remove(id: string): Promise<void>;
  targets: Reads<Target>;
  /** A target occupies a whole device; a device carries at most one target. */
  createTarget(input: NewTarget): Promise<Target>;
}

export function createFilesystemService({ store }: ServiceDeps): FilesystemService {
  return {
    ...readsOf(store, 'filesystem', (r) => r.filesystems),
    targets: readsOf(store, 'target', (r) => r.targets),
    async create(input) {
      new Checks()
        .name(input.name, 'name', 8)
        .require(/^[A-Za-z0-9_-]*$/.test(input.name), 'name', 'may hold only letters, digits, _ and -')
        .done('invalid filesystem');
      return store.transaction((tx) => tx.filesystems.insert(input));
    },
    async update(id, patch) {
      return store.transaction(async (tx) => {
        await mustLock(tx.filesystems, 'filesystem', id);
        return tx.filesystems.update(id, patch);
      });
    },
    async remove(id) {
      await store.transaction(async (tx) => {
        await mustLock(tx.filesystems, 'filesystem', id);
        for (const target of await tx.targets.list({ filter: eq('filesystemId', id) })) {
          if (target.kind !== 'MGT') {
            await tx.devices.adjustUsed(target.deviceId, -(await mustGet(tx.devices, 'device', target.deviceId)).usedBytes);
            await tx.targets.delete(target.id);
          }
        }
        await tx.filesystems.delete(id);
      });
    },
    async createTarget(input) {
      new Checks().name(input.name).done('invalid target');
      return store.transaction(async (tx) => {
        const device = await mustLock(tx.devices, 'device', input.deviceId);
        if ((await tx.targets.count(eq('deviceId', device.id))) > 0 || device.usedBytes > 0) {
          throw new CoreError('CONFLICT', `device ${device.id} is in use`, { kind: 'device', id: device.id, reason: 'in_use' });
        }
        if (input.filesystemId) await mustGet(tx.filesystems, 'filesystem', input.filesystemId);
        await tx.devices.adjustUsed(device.id, device.sizeBytes);
        return tx.targets.insert({ ...input, hostId: input.hostId ?? device.hostId });
      });
    },
  };
}
