import { FaultRule, FaultRulePatch, NewFaultRule } from '@rosetta/core';
import { TableDef, entity, baseFields, json } from '../table-repository';

export const faultRulesTable: TableDef<FaultRule, NewFaultRule, FaultRulePatch> = {
  table: 'fault_rules',
  kind: 'fault_rule',
  fields: { ...baseFields, target: { column: 'target', type: 'string' }, dialect: { column: 'dialect', type: 'string' } },
  toEntity: (r) => entity(r, {
    target: r.target as FaultRule['target'],
    dialect: (r.dialect as string | null) ?? null,
    method: (r.method as string | null) ?? null,
    route: (r.route as string | null) ?? null,
    jobKind: (r.job_kind as string | null) ?? null,
    step: (r.step as string | null) ?? null,
    effect: r.effect as FaultRule['effect'],
    remaining: (r.remaining as number | null) ?? null,
    probability: (r.probability as number | null) ?? null,
    seed: r.seed as string,
    expiresAt: (r.expires_at as Date | null) ?? null,
    hits: r.hits as number,
    evaluations: r.evaluations as number,
  }),
  insertRow: (n) => ({
    target: n.target,
    dialect: n.dialect,
    method: n.method,
    route: n.route,
    job_kind: n.jobKind,
    step: n.step,
    effect: json(n.effect),
    remaining: n.remaining,
    probability: n.probability,
    seed: n.seed,
    expires_at: n.expiresAt,
  }),
  patchRow: (p) => ({ remaining: p.remaining, hits: p.hits, evaluations: p.evaluations }),
};
