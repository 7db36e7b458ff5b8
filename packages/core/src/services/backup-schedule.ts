import { nameUuid } from '../ids';
import { PolicyRule } from '../model/policy';
import { Vm } from '../model/vm';
import { NewBackup } from '../model/backup';
import { isCoreError } from '../errors';
import { ServiceDeps } from './deps';
import { backupName } from './operation-service';

const DAY_MS = 86_400_000;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** Most slots one rule materialises per VM in one catch-up, when neither retention nor max_backups bound it. */
const MAX_SLOTS = 100;
/** Most backups one catch-up takes; the next call carries on, so a huge backlog never stalls a read. */
const BUDGET = 2000;

const minutesOf = (hhmm: string | undefined): number => {
  const m = /^(\d\d):(\d\d)$/.exec(hhmm ?? '');
  return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
};

/** Whether a rule runs on a (UTC) day: 'all', 'last' (of the month), weekday names or days of the month. */
export function ruleRunsOn(rule: Pick<PolicyRule, 'days'>, day: Date): boolean {
  const days = (rule.days ?? 'all').replace(/\s/g, '').toLowerCase();
  if (days === '' || days === 'all') return true;
  if (days === 'last') return new Date(day.getTime() + DAY_MS).getUTCDate() === 1;
  const parts = days.split(',');
  return parts.includes(WEEKDAYS[day.getUTCDay()]) || parts.includes(String(day.getUTCDate()));
}

/**
 * The times a rule fires in [from, to]: every frequency minutes from start_time until end_time
 * on each day it runs (start == end means all day; a frequency of a day or more fires once, at
 * start_time). Times are UTC. Newest last.
 */
export function ruleSlots(rule: PolicyRule, from: Date, to: Date): Date[] {
  if (rule.frequencyMinutes <= 0 || to < from) return [];
  const start = minutesOf(rule.startTime);
  const end = minutesOf(rule.endTime);
  const windowMinutes = end > start ? end - start : end === start ? 1440 : 1440 - start + end;
  const step = Math.min(rule.frequencyMinutes, 1440);
  const out: Date[] = [];
  for (let day = Math.floor(from.getTime() / DAY_MS) * DAY_MS - DAY_MS; day <= to.getTime(); day += DAY_MS) {
    if (!ruleRunsOn(rule, new Date(day))) continue;
    for (let m = 0; m < windowMinutes && (m === 0 || rule.frequencyMinutes < 1440); m += step) {
      const at = day + (start + m) * 60_000;
      if (at >= from.getTime() && at <= to.getTime()) out.push(new Date(at));
    }
  }
  return out;
}

export interface BackupScheduler {
  /**
   * Takes every policy backup that fell due up to the clock's time and is still within its
   * retention: a VM under a policy accumulates backups as (virtual) time passes. Each slot's
   * backup has an id derived from VM, rule and time, so gateways racing here take it once.
   */
  catchUp(): Promise<number>;
}

const CHUNK = 500;

export function createBackupScheduler({ store, clock }: ServiceDeps): BackupScheduler {
  let lastRunMs = -Infinity;

  /** Inserts the slots not taken yet; false when a racing gateway got some first (the next call retries). */
  async function take(candidates: NewBackup[]): Promise<number> {
    const existing = new Set((await store.repos.backups.list({ filter: { field: 'id', op: 'in', value: candidates.map((c) => c.id) } })).map((b) => b.id));
    const missing = candidates.filter((c) => !existing.has(c.id!));
    if (missing.length === 0) return 0;
    try {
      await store.transaction((tx) => tx.backups.insertMany(missing));
      return missing.length;
    } catch (err) {
      if (!isCoreError(err)) throw err;
      lastRunMs = -Infinity;
      return 0;
    }
  }

  /**
   * A rule's max_backups bounds what it keeps per VM: its backups from slots before the last
   * max_backups ones leave the store (locked ones stay, as they outlive retention). A backup
   * belongs to a rule when its id is the one that rule's slot at its creation time derives.
   */
  async function rotate(keepFrom: { vm: Vm; ruleId: string; cutoff: number }[]): Promise<void> {
    if (keepFrom.length === 0) return;
    const vmIds = [...new Set(keepFrom.map((k) => k.vm.id))];
    const backups = await store.repos.backups.list({ filter: { all: [{ field: 'vmId', op: 'in', value: vmIds }, { field: 'trigger', op: 'eq', value: 'policy' }] } });
    const stale = backups.filter(
      (b) =>
        !b.locked &&
        keepFrom.some((k) => k.vm.id === b.vmId && b.createdAt.getTime() < k.cutoff && b.id === nameUuid(`policy-backup:${k.vm.id}:${k.ruleId}:${b.createdAt.getTime()}`)),
    );
    if (stale.length === 0) return;
    await store.transaction(async (tx) => {
      for (const b of stale) if (await tx.backups.lock(b.id)) await tx.backups.delete(b.id);
    });
  }

  /** Expired backups leave the store; their slots are behind every rule's horizon, so none comes back. */
  async function sweep(now: Date): Promise<void> {
    const expired = await store.repos.backups.list({ filter: { field: 'expiresAt', op: 'lte', value: now }, limit: CHUNK });
    if (expired.length === 0) return;
    await store.transaction(async (tx) => {
      for (const b of expired) if (await tx.backups.lock(b.id)) await tx.backups.delete(b.id);
    });
    if (expired.length === CHUNK) lastRunMs = -Infinity;
  }

  /** Where policy backups are suspended: hosts of suspended clusters, and (for hostless VMs) their datastores. */
  async function suspendedPlaces(): Promise<{ has(vm: Vm): boolean }> {
    const clusters = await store.repos.clusters.list({ filter: { field: 'backupsSuspended', op: 'eq', value: true } });
    if (clusters.length === 0) return { has: () => false };
    const ids = clusters.map((c) => c.id);
    const [hosts, datastores] = await Promise.all([
      store.repos.hosts.list({ filter: { field: 'clusterId', op: 'in', value: ids } }),
      store.repos.datastores.list({ filter: { field: 'clusterId', op: 'in', value: ids } }),
    ]);
    const hostIds = new Set(hosts.map((h) => h.id));
    const datastoreIds = new Set(datastores.map((d) => d.id));
    return { has: (vm) => (vm.hostId ? hostIds.has(vm.hostId) : vm.datastoreId !== null && datastoreIds.has(vm.datastoreId)) };
  }

  return {
    async catchUp() {
      const now = clock.now();
      // Cheap to call on every read: slots are at least a minute apart.
      if (Math.abs(now.getTime() - lastRunMs) < 30_000) return 0;
      lastRunMs = now.getTime();
      await sweep(now);
      const policies = (await store.repos.policies.list()).filter((p) => p.rules.some((r) => r.frequencyMinutes > 0));
      const suspended = await suspendedPlaces();
      let taken = 0;
      for (const policy of policies) {
        const datastores = await store.repos.datastores.list({ filter: { field: 'policyId', op: 'eq', value: policy.id } });
        const vms: Vm[] = await store.repos.vms.list({
          filter: {
            any: [
              { field: 'policyId', op: 'eq', value: policy.id },
              ...(datastores.length ? [{ all: [{ field: 'policyId', op: 'isnull' as const, value: true }, { field: 'datastoreId', op: 'in' as const, value: datastores.map((d) => d.id) }] }] : []),
            ],
          },
        });
        const candidates: NewBackup[] = [];
        /** Per VM and rule with max_backups, the time of the oldest slot it keeps: older ones rotate out. */
        const keepFrom: { vm: Vm; ruleId: string; cutoff: number }[] = [];
        for (const rule of policy.rules) {
          const horizon = rule.retentionMinutes > 0 ? now.getTime() - rule.retentionMinutes * 60_000 : -Infinity;
          const cap = rule.maxBackups && rule.maxBackups > 0 ? Math.min(rule.maxBackups, MAX_SLOTS) : MAX_SLOTS;
          for (const vm of vms) {
            if (suspended.has(vm)) continue;
            const since = new Date(Math.max(horizon, vm.createdAt.getTime(), policy.updatedAt.getTime()));
            const slots = ruleSlots(rule, since, now);
            if (rule.maxBackups && rule.maxBackups > 0 && slots.length >= rule.maxBackups) keepFrom.push({ vm, ruleId: rule.id, cutoff: slots[slots.length - rule.maxBackups].getTime() });
            for (const at of slots.slice(-cap)) {
              candidates.push({
                id: nameUuid(`policy-backup:${vm.id}:${rule.id}:${at.getTime()}`),
                vmId: vm.id,
                datastoreId: vm.datastoreId,
                name: backupName(vm.name, at),
                state: 'protected',
                sizeBytes: vm.diskBytes,
                expiresAt: rule.retentionMinutes > 0 ? new Date(at.getTime() + rule.retentionMinutes * 60_000) : null,
                trigger: 'policy',
                appConsistent: rule.appConsistent ?? false,
                consistency: (rule.consistency ?? 'none').toLowerCase(),
                createdAt: at,
                vmName: vm.name,
                externalStoreName: rule.externalStoreName ?? null,
              });
            }
          }
        }
        for (let i = 0; i < candidates.length; i += CHUNK) {
          if (taken >= BUDGET) {
            lastRunMs = -Infinity;
            return taken;
          }
          taken += await take(candidates.slice(i, i + CHUNK));
        }
        await rotate(keepFrom);
      }
      return taken;
    },
  };
}
