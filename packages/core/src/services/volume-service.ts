import { Brick, Volume, VolumePatch } from '../model/volume';
import { eq } from '../ports/query';
import { ServiceDeps } from './deps';
import { Reads, mustLock, readsOf } from './reads';

/**
 * Reads of storage volumes and their bricks. Creating, growing and deleting volumes places and
 * frees bricks, which is the storage service's work (storage-service.ts, brick-allocator.ts):
 * one allocator, so device usage is counted one way only.
 */
export interface VolumeService extends Reads<Volume> {
  update(id: string, patch: VolumePatch): Promise<Volume>;
  bricks(volumeId: string): Promise<Brick[]>;
}

export function createVolumeService({ store }: ServiceDeps): VolumeService {
  return {
    ...readsOf(store, 'volume', (r) => r.volumes),
    async update(id, patch) {
      return store.transaction(async (tx) => {
        await mustLock(tx.volumes, 'volume', id);
        return tx.volumes.update(id, patch);
      });
    },
    bricks: (volumeId) => store.repos.bricks.list({ filter: eq('volumeId', volumeId), order: [{ field: 'seq', direction: 'asc' }] }),
  };
}
