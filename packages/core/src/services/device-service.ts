import { CoreError } from '../errors';
import { Device, DevicePatch, NewDevice } from '../model/device';
import { eq } from '../ports/query';
import { Repositories } from '../ports/repositories';
import { ServiceDeps } from './deps';
import { lustreDeviceStateChanged } from './lustre-outage';
import { Reads, mustGet, mustLock, readsOf } from './reads';
import { Checks, conflictHasChildren } from './validate';

export interface DeviceService extends Reads<Device> {
  create(input: NewDevice): Promise<Device>;
  update(id: string, patch: DevicePatch): Promise<Device>;
  remove(id: string): Promise<void>;
  /** Takes bytes from a device; CAPACITY if it has not that much free. Safe under concurrency. */
  allocate(id: string, bytes: number): Promise<void>;
  release(id: string, bytes: number): Promise<void>;
}

/** Moves used bytes on a device inside the caller's transaction. */
export async function adjustDeviceUsage(tx: Repositories, id: string, deltaBytes: number): Promise<void> {
  if (await tx.devices.adjustUsed(id, deltaBytes)) return;
  const device = await mustGet(tx.devices, 'device', id);
  throw new CoreError('CAPACITY', `device ${id} has ${device.sizeBytes - device.usedBytes} bytes free, ${deltaBytes} requested`, {
    kind: 'device',
    id,
    requested: deltaBytes,
    available: device.sizeBytes - device.usedBytes,
  });
}

export function createDeviceService({ store }: ServiceDeps): DeviceService {
  return {
    ...readsOf(store, 'device', (r) => r.devices),
    async create(input) {
      new Checks().name(input.name).positiveInt(input.sizeBytes, 'sizeBytes').done('invalid device');
      return store.transaction(async (tx) => {
        await mustGet(tx.hosts, 'host', input.hostId);
        return tx.devices.insert(input);
      });
    },
    async update(id, patch) {
      return store.transaction(async (tx) => {
        const device = await mustLock(tx.devices, 'device', id);
        if (patch.sizeBytes !== undefined && patch.sizeBytes < device.usedBytes) {
          throw new CoreError('CAPACITY', `device ${id} uses more than ${patch.sizeBytes} bytes`, { kind: 'device', id });
        }
        const updated = await tx.devices.update(id, patch);
        if (patch.state) await lustreDeviceStateChanged(tx, id, device.state, patch.state);
        return updated;
      });
    },
    async remove(id) {
      await store.transaction(async (tx) => {
        const device = await mustLock(tx.devices, 'device', id);
        const children = (await tx.bricks.count(eq('deviceId', id))) + (await tx.targets.count(eq('deviceId', id)));
        if (children > 0 || device.usedBytes > 0) throw conflictHasChildren('device', id, 'bricks or targets');
        await tx.devices.delete(id);
      });
    },
    async allocate(id, bytes) {
      new Checks().positiveInt(bytes, 'bytes').done();
      await store.transaction((tx) => adjustDeviceUsage(tx, id, bytes));
    },
    async release(id, bytes) {
      new Checks().positiveInt(bytes, 'bytes').done();
      await store.transaction((tx) => adjustDeviceUsage(tx, id, -bytes));
    },
  };
}
