import { CoreError, notFound } from '../errors';
import { Backup } from '../model/backup';
import { AffectedObject, Job, JobKind } from '../model/job';
import { PolicyRule } from '../model/policy';
import { Filter, and, eq } from '../ports/query';
import { Repositories } from '../ports/repositories';
import { ServiceDeps } from './deps';
import { createJobService } from './job-service';
import { mustGet, mustLock } from './reads';
import { Checks } from './validate';
import { parkCredential } from './parked-credentials';
import { findBackupFile } from './backup-contents';

export interface BackupRequest {
  /** Defaults to '<vm>-backup-<time>', the name policy backups get. */
  name?: string;
  /** Where the backup lives; defaults to the VM's datastore. */
  datastoreId?: string;
  /** 0 or absent: kept until deleted. */
  retentionMinutes?: number;
  appConsistent?: boolean;
  consistency?: string;
  trigger?: 'manual' | 'policy';
  /** Keep the backup on this external store (registered with the VM's cluster) instead of in the cluster. */
  externalStoreName?: string;
}

export type NewPolicyRule = Omit<PolicyRule, 'id'>;

export type BackupScope = { kind: 'host' | 'cluster' | 'site'; id: string } | { kind: 'all' };

export type RetentionOutcome = { job: Job } | { wouldExpire: Backup[] };

/**
 * Long-running operations requested through a dialect: each checks what can be checked at
 * once (unknown ids, bad values, name clashes), records a job and queues it; what can only
 * be found out while working (capacity, state races) fails the job instead.
 */
export interface OperationService {
  backupVm(origin: string, vmId: string, request: BackupRequest): Promise<Job>;
  cloneVm(origin: string, vmId: string, name: string): Promise<Job>;
  moveVm(origin: string, vmId: string, datastoreId: string, name?: string): Promise<Job>;
  powerVm(origin: string, vmId: string, on: boolean): Promise<Job>;
  setVmPolicy(origin: string, vmIds: string[], policyId: string): Promise<Job>;
  deleteBackups(origin: string, backupIds: string[]): Promise<Job>;
  restoreBackup(origin: string, backupId: string, target: { original: true } | { original: false; name: string; datastoreId?: string }): Promise<Job>;
  copyBackup(origin: string, backupId: string, datastoreId?: string): Promise<Job>;
  /** Copies a backup to an external store registered with the backup's cluster. */
  copyBackupToExternalStore(origin: string, backupId: string, storeName: string): Promise<Job>;
  renameBackup(origin: string, backupId: string, name: string): Promise<Job>;
  lockBackup(origin: string, backupId: string): Promise<Job>;
  /** Without force, a retention that would end backups now changes nothing and names them. */
  setBackupRetention(origin: string, backupIds: string[], retentionMinutes: number | null, force: boolean): Promise<RetentionOutcome>;
  createDatastore(origin: string, input: { name: string; clusterId: string; policyId?: string | null; capacityBytes: number }): Promise<Job>;
  resizeDatastore(origin: string, datastoreId: string, capacityBytes: number): Promise<Job>;
  deleteDatastore(origin: string, datastoreId: string): Promise<Job>;
  setDatastorePolicy(origin: string, datastoreId: string, policyId: string): Promise<Job>;
  /** Exports a datastore to a standard host (one of the same site in no cluster), or withdraws it. */
  shareDatastore(origin: string, datastoreId: string, hostName: string, shared: boolean): Promise<Job>;
  createPolicy(origin: string, name: string): Promise<Job>;
  renamePolicy(origin: string, policyId: string, name: string): Promise<Job>;
  deletePolicy(origin: string, policyId: string): Promise<Job>;
  addPolicyRules(origin: string, policyId: string, rules: NewPolicyRule[], replaceAll: boolean): Promise<Job>;
  editPolicyRule(origin: string, policyId: string, ruleId: string, changes: Partial<NewPolicyRule>): Promise<Job>;
  deletePolicyRule(origin: string, policyId: string, ruleId: string): Promise<Job>;
  setClusterTimeZone(origin: string, clusterId: string, timeZone: string): Promise<Job>;
  /** Switches OmniStack's Intelligent Workload Optimizer for a cluster. */
  setClusterIwo(origin: string, clusterId: string, enabled: boolean): Promise<Job>;
  /** Takes a host out of its cluster; its VMs move to a peer only when forced. */
  removeHostFromCluster(origin: string, hostId: string, force: boolean): Promise<Job>;
  renameSite(origin: string, siteId: string, name: string): Promise<Job>;
  /**
   * Stops a host's storage controller at once (the host goes to maintenance): 'refused' when the
   * host is not up, or when haWait asks for a running peer to take over and the cluster has none.
   */
  shutdownStorageController(hostId: string, haWait: boolean): Promise<'done' | 'refused'>;
  /** Suspends or resumes policy backups of a host's cluster, a cluster, a site's clusters or every cluster. */
  setBackupsSuspended(origin: string, scope: BackupScope, suspended: boolean): Promise<Job>;
  /** Backups still alive at the clock's time: expired ones are gone whether or not swept yet, deleted ones too. */
  liveBackups(): Filter;
  /** A live backup whose contents can be browsed (file-level restore): only a finished, PROTECTED one. */
  browsableBackup(backupId: string): Promise<Backup>;
  /** Stops a backup still being taken: it ends CANCELED and the job taking it fails. */
  cancelBackup(origin: string, backupId: string): Promise<Job>;
  /** Works out how many of a backup's bytes no earlier backup of its VM holds. */
  calculateBackupUniqueSize(origin: string, backupId: string): Promise<Job>;
  /** Copies files out of a backup (paths `disk.vmdk/partition/path`) into a running VM. */
  restoreBackupFiles(origin: string, backupId: string, vmId: string, paths: string[]): Promise<Job>;
  /** Sets the guest account a VM's application-consistent backups use; the password never enters the job. */
  setGuestCredentials(origin: string, vmId: string, params: GuestAccountRequest): Promise<Job>;
  /** Checks a guest account against the one set for the VM, as the appliance checks it against the guest. */
  checkGuestCredentials(vmId: string, username: string, password: string): Promise<'valid' | 'invalid' | 'powered_off'>;
}

export interface GuestAccountRequest {
  username: string;
  password: string;
  overrideValidation: boolean;
  appAwareType: string | null;
}

/** What a job touched: the objects named when it was asked for, plus what its steps created. */
export function jobAffected(job: Job): AffectedObject[] {
  const out = [...job.affected];
  for (const o of (job.result.created as AffectedObject[] | undefined) ?? []) if (!out.some((a) => a.kind === o.kind && a.id === o.id)) out.push(o);
  if (typeof job.result.vmId === 'string' && !out.some((a) => a.id === job.result.vmId)) out.push({ kind: 'vm', id: job.result.vmId });
  return out;
}

export function backupName(vmName: string, at: Date): string {
  return `${vmName}-backup-${at.toISOString().replace(/\.\d{3}Z$/, '+00:00')}`;
}

const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

export function checkRule(rule: Partial<NewPolicyRule>, partial = false): void {
  const c = new Checks();
  if (!partial || rule.frequencyMinutes !== undefined) c.nonNegativeInt(rule.frequencyMinutes, 'frequency');
  if (!partial || rule.retentionMinutes !== undefined) c.nonNegativeInt(rule.retentionMinutes, 'retention');
  if (rule.startTime !== undefined) c.require(TIME_RE.test(rule.startTime), 'start_time', 'must be HH:MM');
  if (rule.endTime !== undefined) c.require(TIME_RE.test(rule.endTime), 'end_time', 'must be HH:MM');
  if (rule.maxBackups !== undefined) c.nonNegativeInt(rule.maxBackups, 'max_backups');
  if (rule.days !== undefined) {
    const days = rule.days.trim();
    const ok = /^(all|last)$/i.test(days) || /^((mon|tue|wed|thu|fri|sat|sun),?)+$/i.test(days.replace(/\s/g, '')) || /^(([1-9]|[12]\d|3[01]),?)+$/.test(days.replace(/\s/g, ''));
    c.require(ok, 'days', "must be 'all', 'last', weekday names or days of the month");
  }
  c.done('invalid rule');
}

export function createOperationService(deps: ServiceDeps): OperationService {
  const { store, clock, ids } = deps;
  const jobs = createJobService(deps);

  const run = async (origin: string, kind: JobKind, input: Record<string, unknown>, affected: AffectedObject[], check?: (tx: Repositories) => Promise<void>): Promise<Job> => {
    if (!check) return jobs.start({ kind, origin, input, affected });
    const job = await store.transaction(async (tx) => {
      await check(tx);
      return jobs.record(tx, { kind, origin, input, affected });
    });
    return jobs.dispatch(job);
  };
  const expiry = (minutes: number | null | undefined): string | null =>
    minutes ? new Date(clock.now().getTime() + minutes * 60_000).toISOString() : null;
  const uniquePolicyName = async (tx: Repositories, name: string, except?: string): Promise<void> => {
    const [clash] = await tx.policies.list({ filter: eq('name', name), limit: 1 });
    if (clash && clash.id !== except) throw new CoreError('ALREADY_EXISTS', `policy ${name} already exists`, { kind: 'policy', name });
  };
  /** A cluster sends backups only to external stores registered with it. */
  const externalStoreFor = async (name: string, datastoreId: string | null | undefined): Promise<void> => {
    const [found] = await store.repos.externalStores.list({ filter: eq('name', name), limit: 1 });
    if (!found) throw notFound('external_store', name);
    const ds = datastoreId ? await store.repos.datastores.get(datastoreId) : undefined;
    if (ds && ds.clusterId !== found.clusterId) {
      throw new CoreError('VALIDATION', `external store ${name} is not registered with the cluster of datastore ${ds.name}`, {
        reason: 'store_elsewhere',
        fields: [{ field: 'external_store_name', problem: 'is registered with another cluster' }],
      });
    }
  };
  const someBackups = async (tx: Repositories, backupIds: string[]): Promise<Backup[]> => {
    new Checks().require(backupIds.length > 0, 'backup_id', 'must name at least one backup').done('invalid request');
    const found = await tx.backups.list({ filter: and({ field: 'id', op: 'in', value: backupIds }, service.liveBackups()) });
    const missing = backupIds.find((id) => !found.some((b) => b.id === id));
    if (missing) throw notFound('backup', missing);
    return found;
  };

  const service: OperationService = {
    async backupVm(origin, vmId, request) {
      const checks = new Checks();
      if (request.name !== undefined) checks.name(request.name, 'backup_name');
      if (request.retentionMinutes !== undefined) checks.nonNegativeInt(request.retentionMinutes, 'retention');
      checks.done('invalid backup');
      const vm = await mustGet(store.repos.vms, 'vm', vmId);
      if (request.datastoreId) await mustGet(store.repos.datastores, 'datastore', request.datastoreId);
      if (request.externalStoreName) await externalStoreFor(request.externalStoreName, request.datastoreId ?? vm.datastoreId);
      const backupId = ids.uuid();
      const input = {
        vmId,
        backupId,
        name: request.name ?? backupName(vm.name, clock.now()),
        datastoreId: request.datastoreId,
        expiresAt: expiry(request.retentionMinutes),
        appConsistent: request.appConsistent ?? false,
        consistency: request.consistency ?? 'none',
        trigger: request.trigger ?? 'manual',
        ...(request.externalStoreName ? { externalStoreName: request.externalStoreName } : {}),
      };
      return run(origin, 'backup.create', input, [{ kind: 'backup', id: backupId }]);
    },
    async cloneVm(origin, vmId, name) {
      new Checks().name(name, 'virtual_machine_name').done('invalid clone');
      await mustGet(store.repos.vms, 'vm', vmId);
      return run(origin, 'vm.clone', { vmId, name }, []);
    },
    async moveVm(origin, vmId, datastoreId, name) {
      if (name !== undefined) new Checks().name(name, 'virtual_machine_name').done('invalid move');
      const vm = await mustGet(store.repos.vms, 'vm', vmId);
      const ds = await mustGet(store.repos.datastores, 'datastore', datastoreId);
      // A VM lands on a running host of the destination datastore's cluster, staying put if it already is on one.
      const current = vm.hostId ? await store.repos.hosts.get(vm.hostId) : undefined;
      let hostId = current?.id;
      if (!current || current.clusterId !== ds.clusterId) {
        const [host] = await store.repos.hosts.list({ filter: and(eq('clusterId', ds.clusterId), eq('state', 'up')), order: [{ field: 'seq', direction: 'asc' }], limit: 1 });
        if (!host) throw new CoreError('INVALID_STATE', `no running host can reach datastore ${ds.name}`, { kind: 'datastore', id: ds.id, reason: 'no_host' });
        hostId = host.id;
      }
      return run(origin, 'vm.move', { vmId, datastoreId, hostId, name }, [{ kind: 'vm', id: vmId }]);
    },
    async powerVm(origin, vmId, on) {
      await mustGet(store.repos.vms, 'vm', vmId);
      return run(origin, on ? 'vm.power_on' : 'vm.power_off', { vmId }, [{ kind: 'vm', id: vmId }]);
    },
    async setVmPolicy(origin, vmIds, policyId) {
      new Checks().require(vmIds.length > 0, 'virtual_machine_id', 'must name at least one virtual machine').done('invalid request');
      await mustGet(store.repos.policies, 'policy', policyId);
      const found = await store.repos.vms.list({ filter: { field: 'id', op: 'in', value: vmIds } });
      const missing = vmIds.find((id) => !found.some((v) => v.id === id));
      if (missing) throw notFound('vm', missing);
      return run(origin, 'vm.set_policy', { vmIds, policyId }, vmIds.map((id) => ({ kind: 'vm', id })));
    },
    async deleteBackups(origin, backupIds) {
      const found = await someBackups(store.repos, backupIds);
      return run(origin, 'backup.delete', { backupIds: found.map((b) => b.id) }, []);
    },
    async restoreBackup(origin, backupId, target) {
      const [backup] = await someBackups(store.repos, [backupId]);
      if (target.original) {
        if (!backup.vmId) throw new CoreError('INVALID_STATE', `the virtual machine of backup ${backup.name} no longer exists`, { kind: 'backup', id: backupId, reason: 'vm_gone' });
        return run(origin, 'backup.restore', { backupId }, [{ kind: 'vm', id: backup.vmId }]);
      }
      new Checks().name(target.name, 'virtual_machine_name').done('invalid restore');
      if (target.datastoreId) await mustGet(store.repos.datastores, 'datastore', target.datastoreId);
      const newVmId = ids.uuid();
      return run(origin, 'backup.restore', { backupId, newVmId, name: target.name, datastoreId: target.datastoreId }, [{ kind: 'vm', id: newVmId }]);
    },
    async copyBackup(origin, backupId, datastoreId) {
      await someBackups(store.repos, [backupId]);
      if (datastoreId) await mustGet(store.repos.datastores, 'datastore', datastoreId);
      const newBackupId = ids.uuid();
      return run(origin, 'backup.copy', { backupId, newBackupId, datastoreId }, [{ kind: 'backup', id: newBackupId }]);
    },
    async copyBackupToExternalStore(origin, backupId, storeName) {
      const [backup] = await someBackups(store.repos, [backupId]);
      if (backup.externalStoreName === storeName) {
        throw new CoreError('INVALID_STATE', `backup ${backup.name} is already on external store ${storeName}`, { kind: 'backup', id: backup.id, state: 'external' });
      }
      await externalStoreFor(storeName, backup.datastoreId);
      const newBackupId = ids.uuid();
      return run(origin, 'backup.copy', { backupId, newBackupId, externalStoreName: storeName }, [{ kind: 'backup', id: newBackupId }]);
    },
    async renameBackup(origin, backupId, name) {
      new Checks().name(name, 'backup_name').done('invalid rename');
      await someBackups(store.repos, [backupId]);
      return run(origin, 'backup.rename', { backupId, name }, [{ kind: 'backup', id: backupId }]);
    },
    async lockBackup(origin, backupId) {
      await someBackups(store.repos, [backupId]);
      return run(origin, 'backup.lock', { backupId }, [{ kind: 'backup', id: backupId }]);
    },
    async setBackupRetention(origin, backupIds, retentionMinutes, force) {
      if (retentionMinutes !== null) new Checks().nonNegativeInt(retentionMinutes, 'retention').done('invalid retention');
      const found = await someBackups(store.repos, backupIds);
      const now = clock.now().getTime();
      const ends = (b: Backup): number | null => (retentionMinutes ? b.createdAt.getTime() + retentionMinutes * 60_000 : null);
      const wouldExpire = found.filter((b) => !b.locked && ends(b) !== null && ends(b)! <= now);
      if (wouldExpire.length > 0 && !force) return { wouldExpire };
      // Retention counts from each backup's creation, so one request may end some and extend others.
      const expiries = Object.fromEntries(found.map((b) => [b.id, ends(b) === null ? null : new Date(ends(b)!).toISOString()]));
      const kept = found.filter((b) => !wouldExpire.includes(b));
      const job = await run(origin, 'backup.set_retention', { backupIds: found.map((b) => b.id), expiries }, kept.map((b) => ({ kind: 'backup', id: b.id })));
      return { job };
    },
    async createDatastore(origin, input) {
      new Checks().name(input.name).positiveInt(input.capacityBytes, 'size').done('invalid datastore');
      const datastoreId = ids.uuid();
      return run(origin, 'datastore.create', { datastoreId, ...input }, [{ kind: 'datastore', id: datastoreId }], async (tx) => {
        await mustGet(tx.clusters, 'cluster', input.clusterId);
        if (input.policyId) await mustGet(tx.policies, 'policy', input.policyId);
        if ((await tx.datastores.count(and(eq('clusterId', input.clusterId), eq('name', input.name)))) > 0) {
          throw new CoreError('ALREADY_EXISTS', `datastore ${input.name} already exists`, { kind: 'datastore', name: input.name });
        }
      });
    },
    async resizeDatastore(origin, datastoreId, capacityBytes) {
      new Checks().positiveInt(capacityBytes, 'size').done('invalid size');
      await mustGet(store.repos.datastores, 'datastore', datastoreId);
      return run(origin, 'datastore.resize', { datastoreId, capacityBytes }, [{ kind: 'datastore', id: datastoreId }]);
    },
    async deleteDatastore(origin, datastoreId) {
      await mustGet(store.repos.datastores, 'datastore', datastoreId);
      return run(origin, 'datastore.delete', { datastoreId }, []);
    },
    async setDatastorePolicy(origin, datastoreId, policyId) {
      await mustGet(store.repos.datastores, 'datastore', datastoreId);
      await mustGet(store.repos.policies, 'policy', policyId);
      return run(origin, 'datastore.set_policy', { datastoreId, policyId }, [{ kind: 'datastore', id: datastoreId }]);
    },
    async shareDatastore(origin, datastoreId, hostName, shared) {
      const ds = await mustGet(store.repos.datastores, 'datastore', datastoreId);
      const [host] = await store.repos.hosts.list({ filter: eq('name', hostName), limit: 1 });
      if (!host) throw new CoreError('NOT_FOUND', `host ${hostName} not found`, { kind: 'host', id: hostName });
      const cluster = await mustGet(store.repos.clusters, 'cluster', ds.clusterId);
      if (host.clusterId !== null || host.siteId !== cluster.siteId) {
        throw new CoreError('VALIDATION', `host ${hostName} is not a standard host of datastore ${ds.name}'s site`, { reason: 'not_standard_host', fields: [{ field: 'host_name', problem: 'must be a host of the same site in no cluster' }] });
      }
      const isShared = (ds.sharedHostIds ?? []).includes(host.id);
      if (isShared === shared) {
        throw new CoreError('INVALID_STATE', `datastore ${ds.name} is ${shared ? 'already' : 'not'} shared with ${hostName}`, { kind: 'datastore', id: ds.id, state: shared ? 'shared' : 'unshared' });
      }
      return run(origin, shared ? 'datastore.share' : 'datastore.unshare', { datastoreId, hostId: host.id }, [{ kind: 'datastore', id: datastoreId }]);
    },
    async createPolicy(origin, name) {
      new Checks().name(name).done('invalid policy');
      const policyId = ids.uuid();
      return run(origin, 'policy.create', { policyId, name }, [{ kind: 'policy', id: policyId }], (tx) => uniquePolicyName(tx, name));
    },
    async renamePolicy(origin, policyId, name) {
      new Checks().name(name).done('invalid policy');
      return run(origin, 'policy.rename', { policyId, name }, [{ kind: 'policy', id: policyId }], async (tx) => {
        await mustGet(tx.policies, 'policy', policyId);
        await uniquePolicyName(tx, name, policyId);
      });
    },
    async deletePolicy(origin, policyId) {
      return run(origin, 'policy.delete', { policyId }, [], async (tx) => {
        await mustGet(tx.policies, 'policy', policyId);
        const users = (await tx.vms.count(eq('policyId', policyId))) + (await tx.datastores.count(eq('policyId', policyId)));
        if (users > 0) throw new CoreError('CONFLICT', `policy ${policyId} is in use`, { kind: 'policy', id: policyId, reason: 'in_use' });
      });
    },
    async addPolicyRules(origin, policyId, rules, replaceAll) {
      new Checks().require(rules.length > 0, 'rules', 'must hold at least one rule').done('invalid rules');
      rules.forEach((r) => checkRule(r));
      await mustGet(store.repos.policies, 'policy', policyId);
      const withIds: PolicyRule[] = rules.map((r) => ({ ...r, id: ids.uuid() }));
      return run(origin, 'policy.add_rules', { policyId, rules: withIds, replaceAll }, [{ kind: 'policy', id: policyId }, ...withIds.map((r) => ({ kind: 'rule', id: r.id }))]);
    },
    async editPolicyRule(origin, policyId, ruleId, changes) {
      checkRule(changes, true);
      const policy = await mustGet(store.repos.policies, 'policy', policyId);
      if (!policy.rules.some((r) => r.id === ruleId)) throw notFound('rule', ruleId);
      return run(origin, 'policy.edit_rule', { policyId, ruleId, changes }, [{ kind: 'policy', id: policyId }, { kind: 'rule', id: ruleId }]);
    },
    async deletePolicyRule(origin, policyId, ruleId) {
      const policy = await mustGet(store.repos.policies, 'policy', policyId);
      if (!policy.rules.some((r) => r.id === ruleId)) throw notFound('rule', ruleId);
      return run(origin, 'policy.delete_rule', { policyId, ruleId }, [{ kind: 'policy', id: policyId }]);
    },
    async setClusterTimeZone(origin, clusterId, timeZone) {
      new Checks().require(isTimeZone(timeZone), 'time_zone', 'must be an IANA time zone').done('invalid time zone');
      await mustGet(store.repos.clusters, 'cluster', clusterId);
      return run(origin, 'cluster.set_time_zone', { clusterId, timeZone }, [{ kind: 'cluster', id: clusterId }]);
    },
    async setClusterIwo(origin, clusterId, enabled) {
      await mustGet(store.repos.clusters, 'cluster', clusterId);
      return run(origin, 'cluster.set_iwo', { clusterId, enabled }, [{ kind: 'cluster', id: clusterId }]);
    },
    async removeHostFromCluster(origin, hostId, force) {
      return run(origin, 'host.leave_cluster', { hostId, force }, [{ kind: 'host', id: hostId }], async (tx) => {
        const host = await mustGet(tx.hosts, 'host', hostId);
        if (!host.clusterId) throw new CoreError('INVALID_STATE', `host ${host.name} is in no cluster`, { kind: 'host', id: hostId, reason: 'no_cluster' });
        if (!force && (await tx.vms.count(eq('hostId', hostId))) > 0) {
          throw new CoreError('CONFLICT', `host ${host.name} still runs virtual machines`, { kind: 'host', id: hostId, reason: 'in_use' });
        }
      });
    },
    async renameSite(origin, siteId, name) {
      new Checks().name(name).done('invalid name');
      return run(origin, 'site.rename', { siteId, name }, [], async (tx) => {
        await mustGet(tx.sites, 'site', siteId);
        const [clash] = await tx.sites.list({ filter: eq('name', name), limit: 1 });
        if (clash && clash.id !== siteId) throw new CoreError('ALREADY_EXISTS', `site ${name} already exists`, { kind: 'site', name });
      });
    },
    async shutdownStorageController(hostId, haWait) {
      return store.transaction(async (tx) => {
        const locked = await mustLock(tx.hosts, 'host', hostId);
        if (locked.state !== 'up') return 'refused';
        if (haWait) {
          const peers = locked.clusterId ? await tx.hosts.count(and(eq('clusterId', locked.clusterId), eq('state', 'up'), { field: 'id', op: 'ne', value: locked.id })) : 0;
          if (peers === 0) return 'refused';
        }
        await tx.hosts.update(locked.id, { state: 'maintenance' });
        return 'done';
      });
    },
    async setBackupsSuspended(origin, scope, suspended) {
      const clusterIds = await (async (): Promise<string[]> => {
        switch (scope.kind) {
          case 'all':
            return (await store.repos.clusters.list()).map((c) => c.id);
          case 'site':
            await mustGet(store.repos.sites, 'site', scope.id);
            return (await store.repos.clusters.list({ filter: eq('siteId', scope.id) })).map((c) => c.id);
          case 'cluster':
            return [(await mustGet(store.repos.clusters, 'cluster', scope.id)).id];
          case 'host': {
            const host = await mustGet(store.repos.hosts, 'host', scope.id);
            if (!host.clusterId) throw new CoreError('INVALID_STATE', `host ${host.name} is in no cluster`, { kind: 'host', id: host.id, reason: 'no_cluster' });
            return [host.clusterId];
          }
        }
      })();
      return run(origin, suspended ? 'cluster.suspend_backups' : 'cluster.resume_backups', { clusterIds }, clusterIds.map((id) => ({ kind: 'cluster', id })));
    },
    async browsableBackup(backupId) {
      const [backup] = await someBackups(store.repos, [backupId]);
      if (backup.state !== 'protected') {
        throw new CoreError('INVALID_STATE', `backup ${backup.name} is ${backup.state}, not protected: it holds nothing to browse`, { kind: 'backup', id: backup.id, state: backup.state });
      }
      return backup;
    },
    async cancelBackup(origin, backupId) {
      const [backup] = await someBackups(store.repos, [backupId]);
      if (backup.state !== 'saving') {
        throw new CoreError('INVALID_STATE', `backup ${backup.name} is ${backup.state}: only a backup being taken can be canceled`, { kind: 'backup', id: backup.id, state: backup.state });
      }
      return run(origin, 'backup.cancel', { backupId }, [{ kind: 'backup', id: backupId }]);
    },
    async calculateBackupUniqueSize(origin, backupId) {
      const [backup] = await someBackups(store.repos, [backupId]);
      if (backup.state !== 'protected') {
        throw new CoreError('INVALID_STATE', `backup ${backup.name} is ${backup.state}, not protected`, { kind: 'backup', id: backup.id, state: backup.state });
      }
      return run(origin, 'backup.calculate_unique_size', { backupId }, [{ kind: 'backup', id: backupId }]);
    },
    async restoreBackupFiles(origin, backupId, vmId, paths) {
      new Checks().require(paths.length > 0, 'paths', 'must name at least one file').done('invalid restore');
      const backup = await service.browsableBackup(backupId);
      await mustGet(store.repos.vms, 'vm', vmId);
      const files = paths.map((path) => ({ path, file: findBackupFile(backup, path) }));
      const missing = files.find((f) => !f.file || !f.file.restorable);
      if (missing) {
        throw new CoreError('VALIDATION', `${missing.path} is not a restorable file of backup ${backup.name}`, { reason: 'bad_path', fields: [{ field: 'paths', problem: `${missing.path} not found` }] });
      }
      const bytes = files.reduce((n, f) => n + (f.file!.directory ? 0 : f.file!.sizeBytes), 0);
      return run(origin, 'backup.restore_files', { backupId, vmId, paths, bytes }, [{ kind: 'vm', id: vmId }]);
    },
    async setGuestCredentials(origin, vmId, params) {
      new Checks().name(params.username, 'guest_username').require(typeof params.password === 'string' && params.password.length > 0, 'guest_password', 'is required').done('invalid backup parameters');
      const job = await store.transaction(async (tx) => {
        await mustGet(tx.vms, 'vm', vmId);
        const credentialId = await parkCredential(tx, deps, params.username, params.password);
        return jobs.record(tx, {
          kind: 'vm.set_guest_credentials',
          origin,
          input: { vmId, credentialId, overrideValidation: params.overrideValidation, appAwareType: params.appAwareType },
          affected: [{ kind: 'vm', id: vmId }],
        });
      });
      return jobs.dispatch(job);
    },
    async checkGuestCredentials(vmId, username, password) {
      const vm = await mustGet(store.repos.vms, 'vm', vmId);
      // The appliance logs in to the running guest; a stopped VM cannot be asked.
      if (vm.state !== 'running') return 'powered_off';
      const account = await store.repos.guestCredentials.get(vmId);
      return account && account.username === username && account.password === password ? 'valid' : 'invalid';
    },
    liveBackups() {
      return {
        all: [
          { field: 'state', op: 'ne', value: 'deleted' },
          { any: [{ field: 'expiresAt', op: 'isnull', value: true }, { field: 'expiresAt', op: 'gt', value: clock.now() }] },
        ],
      };
    },
  };
  return service;
}

export function isTimeZone(zone: unknown): boolean {
  if (typeof zone !== 'string' || !zone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
