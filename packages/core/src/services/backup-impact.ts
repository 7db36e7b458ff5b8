import { PolicyRule } from '../model/policy';
import { Filter } from '../ports/query';
import { ServiceDeps } from './deps';
import { mustGet } from './reads';
import { Checks } from './validate';
import { NewPolicyRule, checkRule } from './operation-service';
import { notFound } from '../errors';
import { ruleRunsOn, ruleSlots } from './backup-schedule';

/**
 * The load policy schedules put on the federation: how many policy backups the rules take per
 * day across the VMs they cover, and how many they keep at most at any time. Computed from the
 * same schedule semantics the backup scheduler runs (ruleSlots), so a report and the backups
 * that then appear agree. A VM follows its own policy, else its datastore's.
 */
export interface ScheduleLoad {
  dailyBackupRate: number;
  projectedRetainedBackups: number;
}

export type ScheduleChange =
  /** New rules, added to the policy's or replacing them. */
  | { kind: 'add_rules'; policyId: string; rules: NewPolicyRule[]; replaceAll: boolean }
  /** Changes to existing rules (by id); with replaceAll the edited rules are all the policy keeps. */
  | { kind: 'edit_rules'; policyId: string; edits: (Partial<NewPolicyRule> & { id: string })[]; replaceAll: boolean }
  | { kind: 'delete_rule'; policyId: string; ruleId: string }
  /** These VMs would follow this policy. */
  | { kind: 'apply'; policyId: string; vmIds: string[] };

export interface BackupImpact {
  /** Today's load, of one site's VMs or of every VM. */
  current(siteId?: string): Promise<ScheduleLoad>;
  /** The load before and after a proposed change; nothing is changed. */
  compare(change: ScheduleChange): Promise<{ before: ScheduleLoad; after: ScheduleLoad }>;
}

const DAY_MS = 86_400_000;
/** A rule that never expires its backups is counted as keeping a year of them. */
const FOREVER_DAYS = 365;
/** A reference year (2025, not a leap year) for rules on weekdays or days of the month. */
const YEAR_START = Date.UTC(2025, 0, 1);

/** Backups one rule takes per VM per day, averaged over a year. */
export function ruleDailyRate(rule: PolicyRule): number {
  if (rule.frequencyMinutes <= 0) return 0;
  const day = new Date(YEAR_START);
  const perRunDay = ruleSlots({ ...rule, days: 'all' }, day, new Date(YEAR_START + DAY_MS - 1)).length;
  let runDays = 0;
  for (let d = 0; d < 365; d++) if (ruleRunsOn(rule, new Date(YEAR_START + d * DAY_MS))) runDays++;
  return (perRunDay * runDays) / 365;
}

/** Backups one rule keeps per VM at most: a retention's worth of its rate, capped by max_backups. */
export function ruleRetained(rule: PolicyRule): number {
  const rate = ruleDailyRate(rule);
  const days = rule.retentionMinutes > 0 ? rule.retentionMinutes / 1440 : FOREVER_DAYS;
  const kept = Math.ceil(rate * days);
  return rule.maxBackups && rule.maxBackups > 0 ? Math.min(kept, rule.maxBackups) : kept;
}

const loadOf = (rules: PolicyRule[], vms: number): ScheduleLoad => ({
  dailyBackupRate: vms * rules.reduce((n, r) => n + ruleDailyRate(r), 0),
  projectedRetainedBackups: vms * rules.reduce((n, r) => n + ruleRetained(r), 0),
});

const add = (a: ScheduleLoad, b: ScheduleLoad): ScheduleLoad => ({
  dailyBackupRate: a.dailyBackupRate + b.dailyBackupRate,
  projectedRetainedBackups: a.projectedRetainedBackups + b.projectedRetainedBackups,
});

const ZERO: ScheduleLoad = { dailyBackupRate: 0, projectedRetainedBackups: 0 };
const rounded = (l: ScheduleLoad): ScheduleLoad => ({ dailyBackupRate: Math.round(l.dailyBackupRate), projectedRetainedBackups: Math.round(l.projectedRetainedBackups) });

export function createBackupImpact({ store }: ServiceDeps): BackupImpact {
  const repos = store.repos;

  /** How many VMs (of a site, if given) follow each policy, counted in SQL. */
  async function vmsPerPolicy(siteId?: string): Promise<Map<string, number>> {
    let scope: Filter | undefined;
    if (siteId) {
      await mustGet(repos.sites, 'site', siteId);
      const clusters = (await repos.clusters.list({ filter: { field: 'siteId', op: 'eq', value: siteId } })).map((c) => c.id);
      const [hosts, datastores] = await Promise.all([
        repos.hosts.list({ filter: { field: 'siteId', op: 'eq', value: siteId } }),
        clusters.length ? repos.datastores.list({ filter: { field: 'clusterId', op: 'in', value: clusters } }) : Promise.resolve([]),
      ]);
      scope = {
        any: [
          { field: 'hostId', op: 'in', value: hosts.map((h) => h.id) },
          { all: [{ field: 'hostId', op: 'isnull', value: true }, { field: 'datastoreId', op: 'in', value: datastores.map((d) => d.id) }] },
        ],
      };
    }
    const within = (f: Filter): Filter => (scope ? { all: [scope, f] } : f);
    const [own, byDatastore, datastores] = await Promise.all([
      repos.vms.countBy('policyId', within({ field: 'policyId', op: 'isnull', value: false })),
      repos.vms.countBy('datastoreId', within({ all: [{ field: 'policyId', op: 'isnull', value: true }, { field: 'datastoreId', op: 'isnull', value: false }] })),
      repos.datastores.list({ filter: { field: 'policyId', op: 'isnull', value: false } }),
    ]);
    const counts = new Map<string, number>(Object.entries(own));
    for (const ds of datastores) {
      const n = byDatastore[ds.id] ?? 0;
      if (n && ds.policyId) counts.set(ds.policyId, (counts.get(ds.policyId) ?? 0) + n);
    }
    return counts;
  }

  async function load(counts: Map<string, number>, override?: { policyId: string; rules: PolicyRule[] }): Promise<ScheduleLoad> {
    const policies = await repos.policies.list();
    return policies.reduce((total, p) => add(total, loadOf(override?.policyId === p.id ? override.rules : p.rules, counts.get(p.id) ?? 0)), ZERO);
  }

  /** The rules the policy would hold after a rules change, checked as the real change would be. */
  function proposedRules(current: PolicyRule[], change: Exclude<ScheduleChange, { kind: 'apply' }>): PolicyRule[] {
    switch (change.kind) {
      case 'add_rules':
        new Checks().require(change.rules.length > 0, 'rules', 'must hold at least one rule').done('invalid rules');
        change.rules.forEach((r) => checkRule(r));
        return [...(change.replaceAll ? [] : current), ...change.rules.map((r, i) => ({ ...r, id: `proposed-${i}` }))];
      case 'edit_rules': {
        const edited = change.edits.map((e) => {
          checkRule(e, true);
          const rule = current.find((r) => r.id === e.id);
          if (!rule) throw notFound('rule', e.id);
          return { ...rule, ...e };
        });
        return [...(change.replaceAll ? [] : current.filter((r) => !edited.some((e) => e.id === r.id))), ...edited];
      }
      case 'delete_rule':
        if (!current.some((r) => r.id === change.ruleId)) throw notFound('rule', change.ruleId);
        return current.filter((r) => r.id !== change.ruleId);
    }
  }

  return {
    async current(siteId) {
      return rounded(await load(await vmsPerPolicy(siteId)));
    },
    async compare(change) {
      const policy = await mustGet(repos.policies, 'policy', change.policyId);
      if (change.kind !== 'apply') {
        const rules = proposedRules(policy.rules, change);
        const counts = await vmsPerPolicy();
        return { before: rounded(await load(counts)), after: rounded(await load(counts, { policyId: policy.id, rules })) };
      }
      const counts = await vmsPerPolicy();
      const before = await load(counts);
      // The named VMs leave whatever policy they follow now for this one.
      const vms = await repos.vms.list({ filter: { field: 'id', op: 'in', value: change.vmIds } });
      const missing = change.vmIds.find((id) => !vms.some((v) => v.id === id));
      if (missing) await mustGet(repos.vms, 'vm', missing);
      const datastorePolicy = new Map((await repos.datastores.list({ filter: { field: 'id', op: 'in', value: vms.map((v) => v.datastoreId).filter((d): d is string => !!d) } })).map((d) => [d.id, d.policyId]));
      const after = new Map(counts);
      for (const vm of vms) {
        const followed = vm.policyId ?? (vm.datastoreId ? datastorePolicy.get(vm.datastoreId) : null);
        if (followed) after.set(followed, (after.get(followed) ?? 0) - 1);
        after.set(change.policyId, (after.get(change.policyId) ?? 0) + 1);
      }
      return { before: rounded(before), after: rounded(await load(after)) };
    },
  };
}
