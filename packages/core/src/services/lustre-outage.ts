import { FilesystemState, Target, TargetState } from '../model/filesystem';
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
  await lockFilesystems(tx, stranded);
  for (const t of stranded) {
    const target = await tx.targets.lock(t.id);
    if (target?.state === 'unmounted' && target.activeHostId) await tx.targets.update(t.id, { state: 'mounted', activeHostId: hostId });
  }
  await settleAll(tx, stranded);
}

/** Call in the transaction that moved a host from `before` to `after`, whichever path did it (control plane, IPMI, reboot). */
export async function lustreHostStateChanged(tx: Repositories, hostId: string, before: HostState, after: HostState): Promise<void> {
  if (before === after) return;
  if (after === 'down') await failOver(tx, hostId);
  else if (before === 'down' && after === 'up') await restartStranded(tx, hostId);
}
