import { FilesystemState, Target, TargetState } from '../model/filesystem';
import { DeviceState } from '../model/device';
import { HostState } from '../model/host';
import { eq } from '../ports/query';
import { Repositories } from '../ports/repositories';

/** A filesystem is available when all its targets are mounted, stopped when none is, unavailable in between. */
export async function settleFilesystemState(tx: Repositories, filesystemId: string): Promise<void> {
  const fs = await tx.filesystems.lock(filesystemId);
  if (!fs) return;
  const targets = await tx.targets.list({ filter: eq('filesystemId', filesystemId) });
  const mounted = targets.filter((t) => t.state === 'mounted').length;
  const state: FilesystemState = targets.length > 0 && mounted === targets.length ? 'available' : mounted === 0 ? 'stopped' : 'unavailable';
  if (fs.state !== state) await tx.filesystems.update(fs.id, { state });
}

/**
 * Where a target runs after a job takes it to `state`: a start mounts it on its primary server (a
 * mounted one stays where it runs); a stop leaves it running nowhere, which also clears the server
 * an outage stranded it on, so it is not restarted when that server returns.
 */
export const activeOn = (state: TargetState, target: Target): { activeHostId?: string | null } =>
  state === 'mounted' ? { activeHostId: target.state === 'mounted' ? (target.activeHostId ?? target.hostId) : target.hostId } : state === 'unmounted' ? { activeHostId: null } : {};

const filesystemsOf = (targets: Target[]): string[] => [...new Set(targets.map((t) => t.filesystemId).filter((id): id is string => id !== null))].sort();

/** Filesystems before their targets, as the filesystem jobs lock them, so a job running meanwhile waits rather than deadlocks. */
async function lockFilesystems(tx: Repositories, targets: Target[]): Promise<void> {
  for (const fs of filesystemsOf(targets)) await tx.filesystems.lock(fs);
}

async function settleAll(tx: Repositories, targets: Target[]): Promise<void> {
  for (const fs of filesystemsOf(targets)) await settleFilesystemState(tx, fs);
}

/** The other server of a target's HA pair, seen from the one it runs on. */
const peerOf = (t: Target, from: string): string | null => (from === t.hostId ? t.failoverHostId : t.hostId);

/**
 * What Pacemaker does for the targets of a server that went down: each target mounted there moves
 * to the other server of its pair when that one is up (IML then shows it on its secondary server,
 * TargetFailoverAlert); a target with nowhere to go stops (TargetOfflineAlert) and its filesystem
 * settles to unavailable or stopped. A stranded target keeps the server it ran on in
 * `activeHostId` (shown nowhere while unmounted) so that Pacemaker can start it again when a server
 * of its pair returns.
 */
async function failOver(tx: Repositories, hostId: string): Promise<void> {
  const running = await tx.targets.list({
    filter: { all: [eq('state', 'mounted'), { any: [eq('activeHostId', hostId), { all: [{ field: 'activeHostId', op: 'isnull', value: true }, eq('hostId', hostId)] }] }] },
  });
  if (running.length === 0) return;
  await lockFilesystems(tx, running);
  const peers = [...new Set(running.map((t) => peerOf(t, hostId)).filter((id): id is string => id !== null))];
  const up = new Set(peers.length ? (await tx.hosts.list({ filter: { field: 'id', op: 'in', value: peers } })).filter((h) => h.state === 'up').map((h) => h.id) : []);
  for (const t of running) {
    // Read again under the lock: a job may have stopped or moved it since the list.
    const target = await tx.targets.lock(t.id);
    if (target?.state !== 'mounted' || (target.activeHostId ?? target.hostId) !== hostId) continue;
    const peer = peerOf(target, hostId);
    if (peer && up.has(peer)) await tx.targets.update(t.id, { activeHostId: peer });
    else await tx.targets.update(t.id, { state: 'unmounted', activeHostId: hostId });
  }
  await settleAll(tx, running);
}

/**
 * A server back up: Pacemaker starts there the targets of its pairs that had nowhere to run. Targets
 * that failed over stay where they are (IML sets a resource stickiness, so failing back is the
 * operator's FailbackTargetJob).
 */
async function restartStranded(tx: Repositories, hostId: string): Promise<void> {
  const stranded = await tx.targets.list({
    filter: { all: [eq('state', 'unmounted'), { field: 'activeHostId', op: 'isnull', value: false }, { any: [eq('hostId', hostId), eq('failoverHostId', hostId)] }] },
  });
  if (stranded.length === 0) return;
  await lockFilesystems(tx, stranded);
  // A target whose LUN is still failed has nothing to mount: it waits for its device instead.
  const usable = await onlineDevices(tx, stranded);
  for (const t of stranded) {
    const target = await tx.targets.lock(t.id);
    if (target?.state === 'unmounted' && target.activeHostId && usable.has(target.deviceId)) await tx.targets.update(t.id, { state: 'mounted', activeHostId: hostId });
  }
  await settleAll(tx, stranded);
}

async function onlineDevices(tx: Repositories, targets: Target[]): Promise<Set<string>> {
  const devices = await tx.devices.list({ filter: { field: 'id', op: 'in', value: [...new Set(targets.map((t) => t.deviceId))] } });
  return new Set(devices.filter((d) => d.state === 'online').map((d) => d.id));
}

/**
 * A LUN gone (offline or failed): its targets stop wherever they run, since a shared LUN is the same
 * storage on both servers and failing over cannot help (TargetOfflineAlert, filesystem settles). As
 * for a server outage, each keeps the server it ran on in `activeHostId` so it starts again when the
 * LUN returns.
 */
async function stopOnDevice(tx: Repositories, deviceId: string): Promise<void> {
  const running = await tx.targets.list({ filter: { all: [eq('deviceId', deviceId), eq('state', 'mounted')] } });
  if (running.length === 0) return;
  await lockFilesystems(tx, running);
  for (const t of running) {
    const target = await tx.targets.lock(t.id);
    if (target?.state === 'mounted') await tx.targets.update(t.id, { state: 'unmounted', activeHostId: target.activeHostId ?? target.hostId });
  }
  await settleAll(tx, running);
}

/**
 * A LUN back online: Pacemaker starts its stranded targets on the server they ran on, or on the other
 * server of the pair when that one is down; with neither up they wait for a server (restartStranded).
 * A target the operator stopped meanwhile has no `activeHostId` and stays stopped.
 */
async function restartOnDevice(tx: Repositories, deviceId: string): Promise<void> {
  const stranded = await tx.targets.list({ filter: { all: [eq('deviceId', deviceId), eq('state', 'unmounted'), { field: 'activeHostId', op: 'isnull', value: false }] } });
  if (stranded.length === 0) return;
  await lockFilesystems(tx, stranded);
  const candidates = [...new Set(stranded.flatMap((t) => [t.hostId, t.failoverHostId]).filter((id): id is string => id !== null))];
  const up = new Set((await tx.hosts.list({ filter: { field: 'id', op: 'in', value: candidates } })).filter((h) => h.state === 'up').map((h) => h.id));
  for (const t of stranded) {
    const target = await tx.targets.lock(t.id);
    if (target?.state !== 'unmounted' || !target.activeHostId) continue;
    const peer = peerOf(target, target.activeHostId);
    const where = up.has(target.activeHostId) ? target.activeHostId : peer && up.has(peer) ? peer : null;
    if (where) await tx.targets.update(t.id, { state: 'mounted', activeHostId: where });
  }
  await settleAll(tx, stranded);
}

/** Call in the transaction that moved a host from `before` to `after`, whichever path did it (control plane, IPMI, reboot). */
export async function lustreHostStateChanged(tx: Repositories, hostId: string, before: HostState, after: HostState): Promise<void> {
  if (before === after) return;
  if (after === 'down') await failOver(tx, hostId);
  else if (before === 'down' && after === 'up') await restartStranded(tx, hostId);
}

/**
 * Call in the transaction that moved a device (a LUN) from `before` to `after`, whichever path did it
 * (the control plane's domain fault through `services.devices.update`, Heketi's device state jobs).
 */
export async function lustreDeviceStateChanged(tx: Repositories, deviceId: string, before: DeviceState, after: DeviceState): Promise<void> {
  if (before === after) return;
  if (after === 'online') await restartOnDevice(tx, deviceId);
  else if (before === 'online') await stopOnDevice(tx, deviceId);
}
