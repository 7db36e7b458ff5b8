import { CoreError } from '../../errors';
import { JobDefinition, StepContext, noop } from '../job-definition';
import { mustGet, mustLock } from '../../services/reads';
import { adjustDatastoreUsage } from '../../services/datastore-service';
import { AffectedObject } from '../../model/job';
import { PolicyRule } from '../../model/policy';
import { and, eq } from '../../ports/query';
import { sampleSeries } from '../../metrics/load-model';

/**
 * Steps of the jobs OmniStack tasks stand for (backups, policies, datastore lifecycle).
 * Ids of objects a job creates are chosen when it is requested, so a retried step re-creates
 * the same row and the requester can name it before the job runs.
 */
const str = (ctx: StepContext, key: string): string => String(ctx.job.input[key]);
const strs = (ctx: StepContext, key: string): string[] => (ctx.job.input[key] as string[] | undefined) ?? [];
const dateOrNull = (value: unknown): Date | null => (typeof value === 'string' || typeof value === 'number' ? new Date(value) : null);
const created = (ctx: StepContext, ...objects: AffectedObject[]): void => {
  ctx.result.created = [...((ctx.result.created as AffectedObject[] | undefined) ?? []), ...objects];
};

/**
 * No "already inserted?" read: a step's change and its done mark commit together, so a step that
 * runs again never finds its own row. The VM's datastore needs no check either (the VM's foreign
 * key holds it); only a destination the caller named does. Two statements fewer per backup.
 */
async function createBackup(ctx: StepContext): Promise<void> {
  const vm = await mustGet(ctx.tx.vms, 'vm', str(ctx, 'vmId'));
  const id = str(ctx, 'backupId');
  const asked = ctx.job.input.datastoreId as string | undefined;
  if (asked) await mustGet(ctx.tx.datastores, 'datastore', asked);
  const datastoreId = asked ?? vm.datastoreId;
  await ctx.tx.backups.insert({
    id,
    vmId: vm.id,
    datastoreId,
    name: str(ctx, 'name'),
    state: 'saving',
    sizeBytes: vm.diskBytes,
    expiresAt: dateOrNull(ctx.job.input.expiresAt),
    trigger: ctx.job.input.trigger === 'policy' ? 'policy' : 'manual',
    appConsistent: ctx.job.input.appConsistent === true,
    consistency: await consistencyOf(ctx, vm.id, String(ctx.job.input.consistency ?? 'none')),
    vmName: vm.name,
    externalStoreName: (ctx.job.input.externalStoreName as string | undefined) ?? null,
  });
  insertedIn.set(ctx.tx, id);
  created(ctx, { kind: 'backup', id });
}

/**
 * Backups inserted by a transaction still open: when the protect step runs in the same
 * transaction as the snapshot step (a job of instant steps), no one else can have seen, let alone
 * canceled, the row, so it needs no locked read. Keyed by the transaction's repositories.
 */
const insertedIn = new WeakMap<object, string>();

/** A VSS backup needs the guest account (backup_parameters); without one it falls back to crash-consistent, as FAILEDVSS. */
async function consistencyOf(ctx: StepContext, vmId: string, asked: string): Promise<string> {
  if (asked !== 'vss') return asked;
  return (await ctx.tx.guestCredentials.get(vmId)) ? 'vss' : 'failedvss';
}

/** A backup canceled while being taken stays CANCELED; the job taking it fails. */
async function protectBackup(ctx: StepContext): Promise<void> {
  const id = str(ctx, 'backupId');
  if (insertedIn.get(ctx.tx) !== id) {
    const backup = await mustLock(ctx.tx.backups, 'backup', id);
    if (backup.state === 'canceling' || backup.state === 'canceled') {
      throw new CoreError('INVALID_STATE', `The backup was canceled.`, { kind: 'backup', id, state: backup.state, reason: 'canceled' });
    }
  }
  await ctx.tx.backups.update(id, { state: 'protected' });
}

function cancelStep(from: 'saving' | 'canceling', to: 'canceling' | 'canceled') {
  return async (ctx: StepContext): Promise<void> => {
    const backup = await mustLock(ctx.tx.backups, 'backup', str(ctx, 'backupId'));
    if (backup.state === to) return;
    if (backup.state !== from) {
      throw new CoreError('INVALID_STATE', `backup ${backup.name} is ${backup.state}: it finished before it could be canceled`, { kind: 'backup', id: backup.id, state: backup.state });
    }
    await ctx.tx.backups.update(backup.id, { state: to });
  };
}

/** Share of a VM's disk its writes keep returning to; what they touch there since the last backup is unique to the next. */
const HOT_SET = 0.1;

/**
 * Unique bytes: the first backup of a VM holds everything it has; a later one only the blocks
 * written since the VM's previous backup. Writes (from the load model, hourly) land at random in
 * the VM's hot set, so the touched share of it grows as 1 - e^(-written / hot set).
 */
async function calculateUniqueSize(ctx: StepContext): Promise<void> {
  const backup = await mustLock(ctx.tx.backups, 'backup', str(ctx, 'backupId'));
  const [previous] = backup.vmId
    ? await ctx.tx.backups.list({
        filter: and(eq('vmId', backup.vmId), { field: 'createdAt', op: 'lt', value: backup.createdAt }, { field: 'state', op: 'in', value: ['protected', 'saving'] }),
        order: [{ field: 'createdAt', direction: 'desc' }],
        limit: 1,
      })
    : [];
  let unique = backup.sizeBytes;
  if (previous) {
    const vm = backup.vmId ? await ctx.tx.vms.get(backup.vmId) : undefined;
    const basis = { id: backup.vmId ?? backup.id, cpuUsagePct: vm?.cpuUsagePct ?? 0, memoryUsagePct: vm?.memoryUsagePct ?? 0, running: true };
    const span = backup.createdAt.getTime() - previous.createdAt.getTime();
    const step = Math.max(3_600_000, Math.ceil(span / 500));
    const written = sampleSeries(basis, previous.createdAt, backup.createdAt, step).reduce((n, s) => n + s.writeBytesPerSec * (step / 1000), 0);
    const hot = backup.sizeBytes * HOT_SET;
    unique = hot > 0 ? Math.round(hot * (1 - Math.exp(-written / hot))) : 0;
  }
  await ctx.tx.backups.update(backup.id, { uniqueSizeBytes: unique, uniqueSizeAt: ctx.clock.now() });
}

async function mountBackup(ctx: StepContext): Promise<void> {
  const backup = await mustGet(ctx.tx.backups, 'backup', str(ctx, 'backupId'));
  if (backup.state !== 'protected') {
    throw new CoreError('INVALID_STATE', `backup ${backup.name} is ${backup.state}, not protected`, { kind: 'backup', id: backup.id, state: backup.state });
  }
}

/** Files go into the running guest (through VMware Tools): a VM that is not running cannot take them. */
async function copyFilesToVm(ctx: StepContext): Promise<void> {
  const vm = await mustLock(ctx.tx.vms, 'vm', str(ctx, 'vmId'));
  if (vm.state !== 'running') {
    throw new CoreError('INVALID_STATE', 'The VM power state is not acceptable.', { kind: 'vm', id: vm.id, state: vm.state });
  }
  ctx.result.restoredFiles = strs(ctx, 'paths').length;
  ctx.result.restoredBytes = Number(ctx.job.input.bytes ?? 0);
}

/** Unless told not to, the appliance logs in to the guest with the account first: the guest must be running. */
async function validateGuestAccount(ctx: StepContext): Promise<void> {
  const vm = await mustGet(ctx.tx.vms, 'vm', str(ctx, 'vmId'));
  if (ctx.job.input.overrideValidation !== true && vm.state !== 'running') {
    throw new CoreError('INVALID_STATE', 'The VM power state is not acceptable.', { kind: 'vm', id: vm.id, state: vm.state });
  }
}

async function saveGuestAccount(ctx: StepContext): Promise<void> {
  const vmId = str(ctx, 'vmId');
  await mustLock(ctx.tx.vms, 'vm', vmId);
  const { username, password } = await takeCredential(ctx);
  const fields = { username, password, overrideValidation: ctx.job.input.overrideValidation === true, appAwareType: (ctx.job.input.appAwareType as string | null | undefined) ?? null };
  if (await ctx.tx.guestCredentials.lock(vmId)) await ctx.tx.guestCredentials.update(vmId, fields);
  else await ctx.tx.guestCredentials.insert({ id: vmId, ...fields });
}

/** A deleted policy backup stays as a tombstone until its retention ends, so its schedule slot is not taken again. */
async function deleteBackups(ctx: StepContext): Promise<void> {
  for (const id of strs(ctx, 'backupIds')) {
    const backup = await ctx.tx.backups.lock(id);
    if (!backup) continue;
    if (backup.trigger === 'policy' && backup.expiresAt) await ctx.tx.backups.update(id, { state: 'deleted' });
    else await ctx.tx.backups.delete(id);
  }
}

async function restoreBackup(ctx: StepContext): Promise<void> {
  const backup = await mustGet(ctx.tx.backups, 'backup', str(ctx, 'backupId'));
  if (backup.state !== 'protected') {
    throw new CoreError('INVALID_STATE', `backup ${backup.name} is ${backup.state}, not protected`, { kind: 'backup', id: backup.id, state: backup.state });
  }
  const newVmId = ctx.job.input.newVmId as string | undefined;
  if (!newVmId) {
    if (!backup.vmId) throw new CoreError('INVALID_STATE', `the virtual machine of backup ${backup.name} no longer exists`, { kind: 'backup', id: backup.id, reason: 'vm_gone' });
    const vm = await mustLock(ctx.tx.vms, 'vm', backup.vmId);
    await ctx.tx.vms.update(vm.id, { state: 'stopped' });
    created(ctx, { kind: 'vm', id: vm.id });
    return;
  }
  if (await ctx.tx.vms.get(newVmId)) return;
  const source = backup.vmId ? await ctx.tx.vms.get(backup.vmId) : undefined;
  const datastoreId = (ctx.job.input.datastoreId as string | undefined) ?? backup.datastoreId;
  if (!datastoreId) throw new CoreError('VALIDATION', 'no datastore to restore into', { fields: [{ field: 'datastoreId', problem: 'required' }] });
  const datastore = await mustGet(ctx.tx.datastores, 'datastore', datastoreId);
  const [host] = await ctx.tx.hosts.list({ filter: and(eq('clusterId', datastore.clusterId), eq('state', 'up')), order: [{ field: 'seq', direction: 'asc' }], limit: 1 });
  if (backup.sizeBytes > 0) await adjustDatastoreUsage(ctx.tx, datastoreId, backup.sizeBytes);
  await ctx.tx.vms.insert({
    id: newVmId,
    name: str(ctx, 'name'),
    hostId: host?.id ?? source?.hostId ?? null,
    datastoreId,
    policyId: datastore.policyId,
    state: 'stopped',
    cpuCount: source?.cpuCount,
    memoryMb: source?.memoryMb,
    diskBytes: backup.sizeBytes,
  });
  created(ctx, { kind: 'vm', id: newVmId });
}

async function copyBackup(ctx: StepContext): Promise<void> {
  const backup = await mustGet(ctx.tx.backups, 'backup', str(ctx, 'backupId'));
  const id = str(ctx, 'newBackupId');
  if (await ctx.tx.backups.get(id)) return;
  const datastoreId = (ctx.job.input.datastoreId as string | undefined) ?? backup.datastoreId;
  await ctx.tx.backups.insert({
    id,
    vmId: backup.vmId,
    datastoreId,
    name: backup.name,
    state: 'protected',
    sizeBytes: backup.sizeBytes,
    expiresAt: backup.expiresAt,
    trigger: backup.trigger,
    appConsistent: backup.appConsistent,
    consistency: backup.consistency,
    vmName: backup.vmName,
    // A copy to an external store keeps the source's datastore (its VM's) and names the store.
    externalStoreName: (ctx.job.input.externalStoreName as string | undefined) ?? backup.externalStoreName ?? null,
  });
  created(ctx, { kind: 'backup', id });
}

function patchBackups(patch: (ctx: StepContext, id: string) => { name?: string; locked?: boolean; expiresAt?: Date | null }) {
  return async (ctx: StepContext): Promise<void> => {
    const ids = ctx.job.input.backupIds ? strs(ctx, 'backupIds') : [str(ctx, 'backupId')];
    const now = ctx.clock.now();
    for (const id of ids) {
      const change = patch(ctx, id);
      const backup = await mustLock(ctx.tx.backups, 'backup', id);
      // A new retention already in the past ends the backup now, unless it is locked.
      if (change.expiresAt && change.expiresAt <= now && !backup.locked) await ctx.tx.backups.delete(id);
      else await ctx.tx.backups.update(id, change.expiresAt !== undefined && backup.locked ? { ...change, expiresAt: null } : change);
    }
  };
}

async function setVmPolicy(ctx: StepContext): Promise<void> {
  const policyId = str(ctx, 'policyId');
  await mustGet(ctx.tx.policies, 'policy', policyId);
  for (const id of strs(ctx, 'vmIds')) {
    await mustLock(ctx.tx.vms, 'vm', id);
    await ctx.tx.vms.update(id, { policyId });
  }
}

async function createDatastore(ctx: StepContext): Promise<void> {
  const id = str(ctx, 'datastoreId');
  if (await ctx.tx.datastores.get(id)) return;
  await mustGet(ctx.tx.clusters, 'cluster', str(ctx, 'clusterId'));
  const policyId = (ctx.job.input.policyId as string | undefined) ?? null;
  if (policyId) await mustGet(ctx.tx.policies, 'policy', policyId);
  await ctx.tx.datastores.insert({ id, clusterId: str(ctx, 'clusterId'), name: str(ctx, 'name'), capacityBytes: Number(ctx.job.input.capacityBytes), policyId });
}

async function resizeDatastore(ctx: StepContext): Promise<void> {
  const ds = await mustLock(ctx.tx.datastores, 'datastore', str(ctx, 'datastoreId'));
  const capacityBytes = Number(ctx.job.input.capacityBytes);
  if (capacityBytes < ds.usedBytes) {
    throw new CoreError('CAPACITY', `datastore ${ds.name} holds ${ds.usedBytes} bytes, more than ${capacityBytes}`, { kind: 'datastore', id: ds.id, requested: capacityBytes, available: ds.usedBytes });
  }
  await ctx.tx.datastores.update(ds.id, { capacityBytes });
}

async function deleteDatastore(ctx: StepContext): Promise<void> {
  const ds = await mustLock(ctx.tx.datastores, 'datastore', str(ctx, 'datastoreId'));
  if ((await ctx.tx.vms.count(eq('datastoreId', ds.id))) > 0) {
    throw new CoreError('CONFLICT', `datastore ${ds.name} still holds virtual machines`, { kind: 'datastore', id: ds.id, reason: 'in_use' });
  }
  await ctx.tx.datastores.delete(ds.id);
}

async function setDatastorePolicy(ctx: StepContext): Promise<void> {
  const ds = await mustLock(ctx.tx.datastores, 'datastore', str(ctx, 'datastoreId'));
  await mustGet(ctx.tx.policies, 'policy', str(ctx, 'policyId'));
  await ctx.tx.datastores.update(ds.id, { policyId: str(ctx, 'policyId') });
}

async function createPolicy(ctx: StepContext): Promise<void> {
  const id = str(ctx, 'policyId');
  if (await ctx.tx.policies.get(id)) return;
  await ctx.tx.policies.insert({ id, name: str(ctx, 'name'), rules: [] });
}

async function renamePolicy(ctx: StepContext): Promise<void> {
  await mustLock(ctx.tx.policies, 'policy', str(ctx, 'policyId'));
  await ctx.tx.policies.update(str(ctx, 'policyId'), { name: str(ctx, 'name') });
}

async function deletePolicy(ctx: StepContext): Promise<void> {
  const id = str(ctx, 'policyId');
  await mustLock(ctx.tx.policies, 'policy', id);
  const users = (await ctx.tx.vms.count(eq('policyId', id))) + (await ctx.tx.datastores.count(eq('policyId', id)));
  if (users > 0) throw new CoreError('CONFLICT', `policy ${id} is in use`, { kind: 'policy', id, reason: 'in_use' });
  await ctx.tx.policies.delete(id);
}

function editRules(change: (rules: PolicyRule[], ctx: StepContext) => PolicyRule[]) {
  return async (ctx: StepContext): Promise<void> => {
    const policy = await mustLock(ctx.tx.policies, 'policy', str(ctx, 'policyId'));
    await ctx.tx.policies.update(policy.id, { rules: change(policy.rules, ctx) });
  };
}

const addRules = editRules((rules, ctx) => [...(ctx.job.input.replaceAll ? [] : rules), ...(ctx.job.input.rules as PolicyRule[])]);

const editRule = editRules((rules, ctx) => {
  const ruleId = str(ctx, 'ruleId');
  if (!rules.some((r) => r.id === ruleId)) throw new CoreError('NOT_FOUND', `rule ${ruleId} not found`, { kind: 'rule', id: ruleId });
  return rules.map((r) => (r.id === ruleId ? { ...r, ...(ctx.job.input.changes as Partial<PolicyRule>), id: ruleId } : r));
});

const deleteRule = editRules((rules, ctx) => {
  const ruleId = str(ctx, 'ruleId');
  if (!rules.some((r) => r.id === ruleId)) throw new CoreError('NOT_FOUND', `rule ${ruleId} not found`, { kind: 'rule', id: ruleId });
  return rules.filter((r) => r.id !== ruleId);
});

async function setIwo(ctx: StepContext): Promise<void> {
  await mustLock(ctx.tx.clusters, 'cluster', str(ctx, 'clusterId'));
  await ctx.tx.clusters.update(str(ctx, 'clusterId'), { iwoEnabled: ctx.job.input.enabled === true });
}

async function setTimeZone(ctx: StepContext): Promise<void> {
  await mustLock(ctx.tx.clusters, 'cluster', str(ctx, 'clusterId'));
  await ctx.tx.clusters.update(str(ctx, 'clusterId'), { timeZone: str(ctx, 'timeZone') });
}

/** VMs still on a leaving host move to the next running host of its cluster, or lose their host. */
async function evacuateHost(ctx: StepContext): Promise<void> {
  const host = await mustLock(ctx.tx.hosts, 'host', str(ctx, 'hostId'));
  const vms = await ctx.tx.vms.list({ filter: eq('hostId', host.id) });
  if (vms.length === 0) return;
  if (!ctx.job.input.force) throw new CoreError('CONFLICT', `host ${host.name} still runs virtual machines`, { kind: 'host', id: host.id, reason: 'in_use' });
  const [target] = host.clusterId
    ? await ctx.tx.hosts.list({ filter: and(eq('clusterId', host.clusterId), eq('state', 'up'), { field: 'id', op: 'ne', value: host.id }), order: [{ field: 'seq', direction: 'asc' }], limit: 1 })
    : [];
  for (const vm of vms) await ctx.tx.vms.update(vm.id, { hostId: target?.id ?? null });
}

async function leaveCluster(ctx: StepContext): Promise<void> {
  await mustLock(ctx.tx.hosts, 'host', str(ctx, 'hostId'));
  await ctx.tx.hosts.update(str(ctx, 'hostId'), { clusterId: null });
}

async function renameSite(ctx: StepContext): Promise<void> {
  await mustLock(ctx.tx.sites, 'site', str(ctx, 'siteId'));
  await ctx.tx.sites.update(str(ctx, 'siteId'), { name: str(ctx, 'name') });
}

function setBackupsSuspended(backupsSuspended: boolean) {
  return async (ctx: StepContext): Promise<void> => {
    for (const id of strs(ctx, 'clusterIds')) {
      await mustLock(ctx.tx.clusters, 'cluster', id);
      await ctx.tx.clusters.update(id, { backupsSuspended });
    }
  };
}

async function registerExternalStore(ctx: StepContext): Promise<void> {
  const input = ctx.job.input as Record<string, unknown>;
  if (await ctx.tx.externalStores.get(String(input.id))) return;
  await mustGet(ctx.tx.clusters, 'cluster', String(input.clusterId));
  const { username, password } = await takeCredential(ctx);
  await ctx.tx.externalStores.insert({
    id: String(input.id),
    clusterId: String(input.clusterId),
    name: String(input.name),
    kind: String(input.kind),
    managementAddress: String(input.managementAddress),
    managementPort: Number(input.managementPort),
    storagePort: Number(input.storagePort),
    username,
    password,
  });
}

/** The secret a request parked for this job (never in the job input), consumed in the step's transaction. */
async function takeCredential(ctx: StepContext): Promise<{ username: string; password: string }> {
  const found = await mustGet(ctx.tx.parkedCredentials, 'parked_credential', str(ctx, 'credentialId'));
  await ctx.tx.parkedCredentials.delete(found.id);
  return found;
}

async function unregisterExternalStore(ctx: StepContext): Promise<void> {
  const id = str(ctx, 'externalStoreId');
  if (await ctx.tx.externalStores.lock(id)) await ctx.tx.externalStores.delete(id);
}

async function updateExternalStoreCredentials(ctx: StepContext): Promise<void> {
  const id = str(ctx, 'externalStoreId');
  await mustLock(ctx.tx.externalStores, 'external_store', id);
  const address = ctx.job.input.managementAddress;
  const { username, password } = await takeCredential(ctx);
  await ctx.tx.externalStores.update(id, { username, password, managementAddress: typeof address === 'string' && address ? address : undefined });
}

function shareDatastore(shared: boolean) {
  return async (ctx: StepContext): Promise<void> => {
    const ds = await mustLock(ctx.tx.datastores, 'datastore', str(ctx, 'datastoreId'));
    const hostId = str(ctx, 'hostId');
    await mustGet(ctx.tx.hosts, 'host', hostId);
    const others = (ds.sharedHostIds ?? []).filter((id) => id !== hostId);
    await ctx.tx.datastores.update(ds.id, { sharedHostIds: shared ? [...others, hostId] : others });
  };
}

export const omnistackJobs = {
  'backup.create': {
    steps: [
      { name: 'snapshot virtual machine', seconds: 2, apply: createBackup },
      { name: 'protect backup', seconds: 3, apply: protectBackup },
    ],
  },
  'backup.delete': { steps: [{ name: 'delete backups', seconds: 2, apply: deleteBackups }] },
  'backup.restore': {
    steps: [
      { name: 'verify backup', seconds: 1, apply: noop },
      { name: 'restore virtual machine', seconds: 10, apply: restoreBackup },
    ],
  },
  'backup.copy': { steps: [{ name: 'copy backup', seconds: 8, apply: copyBackup }] },
  'backup.rename': { steps: [{ name: 'rename backup', seconds: 1, apply: patchBackups((ctx) => ({ name: str(ctx, 'name') })) }] },
  'backup.lock': { steps: [{ name: 'lock backup', seconds: 1, apply: patchBackups(() => ({ locked: true, expiresAt: null })) }] },
  'backup.set_retention': {
    steps: [{ name: 'set retention', seconds: 1, apply: patchBackups((ctx, id) => ({ expiresAt: dateOrNull((ctx.job.input.expiries as Record<string, string | null>)[id]) })) }],
  },
  'backup.cancel': {
    steps: [
      { name: 'request cancellation', seconds: 1, apply: cancelStep('saving', 'canceling') },
      { name: 'stop backup copy', seconds: 2, apply: cancelStep('canceling', 'canceled') },
    ],
  },
  'backup.calculate_unique_size': { steps: [{ name: 'calculate unique size', seconds: 5, apply: calculateUniqueSize }] },
  'backup.restore_files': {
    steps: [
      { name: 'mount backup', seconds: 3, apply: mountBackup },
      { name: 'copy files to virtual machine', seconds: 10, apply: copyFilesToVm },
    ],
  },
  'vm.set_guest_credentials': {
    steps: [
      { name: 'validate guest credentials', seconds: 2, apply: validateGuestAccount },
      { name: 'save guest credentials', seconds: 1, apply: saveGuestAccount },
    ],
  },
  'vm.set_policy': { steps: [{ name: 'set policy', seconds: 1, apply: setVmPolicy }] },
  'datastore.create': {
    steps: [
      { name: 'create datastore', seconds: 5, apply: createDatastore },
      { name: 'mount datastore on hosts', seconds: 3, apply: noop },
    ],
  },
  'datastore.resize': { steps: [{ name: 'resize datastore', seconds: 3, apply: resizeDatastore }] },
  'datastore.delete': {
    steps: [
      { name: 'unmount datastore from hosts', seconds: 3, apply: noop },
      { name: 'delete datastore', seconds: 2, apply: deleteDatastore },
    ],
  },
  'datastore.set_policy': { steps: [{ name: 'set policy', seconds: 1, apply: setDatastorePolicy }] },
  'policy.create': { steps: [{ name: 'create policy', seconds: 1, apply: createPolicy }] },
  'policy.rename': { steps: [{ name: 'rename policy', seconds: 1, apply: renamePolicy }] },
  'policy.delete': { steps: [{ name: 'delete policy', seconds: 1, apply: deletePolicy }] },
  'policy.add_rules': { steps: [{ name: 'add rules', seconds: 1, apply: addRules }] },
  'policy.edit_rule': { steps: [{ name: 'edit rule', seconds: 1, apply: editRule }] },
  'policy.delete_rule': { steps: [{ name: 'delete rule', seconds: 1, apply: deleteRule }] },
  'cluster.set_time_zone': { steps: [{ name: 'set time zone', seconds: 1, apply: setTimeZone }] },
  'cluster.set_iwo': { steps: [{ name: 'set intelligent workload optimizer', seconds: 1, apply: setIwo }] },
  'host.leave_cluster': {
    steps: [
      { name: 'evacuate virtual machines', seconds: 10, apply: evacuateHost },
      { name: 'remove host from federation', seconds: 20, apply: leaveCluster },
    ],
  },
  'site.rename': { steps: [{ name: 'rename', seconds: 1, apply: renameSite }] },
  'cluster.suspend_backups': { steps: [{ name: 'suspend policy backups', seconds: 2, apply: setBackupsSuspended(true) }] },
  'cluster.resume_backups': { steps: [{ name: 'resume policy backups', seconds: 2, apply: setBackupsSuspended(false) }] },
  'datastore.share': { steps: [{ name: 'export datastore over NFS', seconds: 3, apply: shareDatastore(true) }] },
  'datastore.unshare': { steps: [{ name: 'withdraw NFS export', seconds: 2, apply: shareDatastore(false) }] },
  'external_store.register': {
    steps: [
      { name: 'contact external store', seconds: 5, apply: noop },
      { name: 'register external store', seconds: 2, apply: registerExternalStore },
    ],
  },
  'external_store.unregister': { steps: [{ name: 'unregister external store', seconds: 3, apply: unregisterExternalStore }] },
  'external_store.update_credentials': { steps: [{ name: 'update credentials', seconds: 2, apply: updateExternalStoreCredentials }] },
} satisfies Record<string, JobDefinition>;
