import { Request, Response, Router } from 'express';
import { BackupScope, NewPolicyRule, Policy, ScheduleChange, notFound } from '@rosetta/core';
import { Body, CollectionSpec, arrayBody, badBody, bool, boolValue, ids, num, objectBody, parseList, queryValue, str, text } from '../parse';
import { never } from '../filters';
import { loadRefs } from '../refs';
import { renderPolicy, renderRule, renderVm, renderDatastore } from '../render';
import { sendJson } from '../wire';
import { renderImpactReport, renderScheduleReport } from '../reports';
import { consumes } from '../media';
import { RouteContext, param, sendList, sendTask } from './context';

const policySpec = (ctx: RouteContext): CollectionSpec => ({
  filters: {
    id: ids('id'),
    name: text('name'),
    // One cluster group per federation and policies span the federation: every group holds them
    // all, and an id naming no group matches none.
    cluster_group_id: async (raw, c, name) => ((await ctx.services.sites.list({ filter: await ids('id')(raw, c, name), limit: 1 })).length ? { all: [] } : { any: [] }),
    owner_cluster_id: never,
    owner_cluster_name: never,
  },
  sorts: { name: 'name', id: 'id' },
});

const CONSISTENCY: Record<string, string> = { NONE: 'none', DEFAULT: 'default', VSS: 'vss' };

/** A rule as clients send it; `partial` for PUT, where every field is optional. */
async function parseRule(ctx: RouteContext, body: Body, partial: boolean): Promise<Partial<NewPolicyRule>> {
  const destinationId = str(body, 'destination_id');
  if (destinationId) await ctx.services.clusters.get(destinationId);
  const consistency = str(body, 'consistency_type');
  if (consistency && !CONSISTENCY[consistency.toUpperCase()]) throw badBody('consistency_type', 'must be NONE, DEFAULT or VSS');
  const rule: Partial<NewPolicyRule> = {
    frequencyMinutes: num(body, 'frequency', !partial),
    retentionMinutes: num(body, 'retention', !partial),
    days: str(body, 'days'),
    startTime: str(body, 'start_time'),
    endTime: str(body, 'end_time'),
    appConsistent: bool(body, 'application_consistent'),
    consistency: consistency ? CONSISTENCY[consistency.toUpperCase()] : undefined,
    externalStoreName: str(body, 'external_store_name'),
    destination: destinationId,
    maxBackups: num(body, 'max_backups'),
  };
  const defined = Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== undefined)) as Partial<NewPolicyRule>;
  if (partial) return defined;
  return { destination: 'local', consistency: 'none', days: 'All', startTime: '00:00', endTime: '00:00', maxBackups: 0, appConsistent: false, ...defined };
}

const replaceAll = (req: Request): boolean => boolValue(queryValue(req, 'replace_all_rules'), 'replace_all_rules') ?? false;

async function renderPolicies(ctx: RouteContext, policies: Policy[]) {
  const destinations = policies.flatMap((p) => p.rules.map((r) => r.destination));
  const refs = await loadRefs(ctx.services, { clusterIds: destinations });
  const sites = await ctx.services.sites.list({ order: [{ field: 'seq', direction: 'asc' }] });
  for (const s of sites) refs.sites.set(s.id, s);
  return { refs, render: (p: Policy) => renderPolicy(p, refs) };
}

export function policyRoutes(router: Router, ctx: RouteContext): void {
  const { services, origin, settings } = ctx;
  const ops = services.operations;
  const min = (minor: number) => consumes(minor, settings.strictMediaTypes);

  router.get('/api/policies', async (req, res) => {
    const parsed = await parseList(req, policySpec(ctx));
    const page = await services.policies.page(parsed.query);
    sendList(res, 'policies', parsed, page, (await renderPolicies(ctx, page.items)).render);
  });

  router.post('/api/policies', min(0), async (req, res) => {
    sendTask(res, await ops.createPolicy(origin, str(objectBody(req), 'name', true)));
  });

  /** PY sends only `federation` when no target is given; any target type in any case is accepted. */
  const scopeOf = (body: Body): BackupScope => {
    const type = (str(body, 'target_object_type') ?? 'federation').toLowerCase();
    if (type === 'federation') return { kind: 'all' };
    const id = str(body, 'target_object_id', true);
    if (type === 'host') return { kind: 'host', id };
    if (type === 'omnistack_cluster') return { kind: 'cluster', id };
    if (type === 'cluster_group') return { kind: 'site', id };
    throw badBody('target_object_type', 'must be host, omnistack_cluster, cluster_group or federation');
  };

  router.post('/api/policies/suspend', min(0), async (req, res) => {
    sendTask(res, await ops.setBackupsSuspended(origin, scopeOf(objectBody(req)), true));
  });

  router.post('/api/policies/resume', min(0), async (req, res) => {
    sendTask(res, await ops.setBackupsSuspended(origin, scopeOf(objectBody(req)), false));
  });

  // Not tasks: reports of what the schedules cost, now and after a proposed change.
  router.get('/api/policies/policy_schedule_report', async (req, res) => {
    sendJson(res, 200, renderScheduleReport(await services.backupImpact.current(queryValue(req, 'cluster_group_id')), settings));
  });

  const items = (req: Request): Body[] => (Array.isArray(req.body) ? arrayBody(req) : [objectBody(req)]);
  const report = async (res: Response, change: ScheduleChange) => sendJson(res, 200, renderImpactReport(await services.backupImpact.compare(change), settings));

  router.post('/api/policies/:id/impact_report/create_rules', min(9), async (req, res) => {
    const rules = (await Promise.all(items(req).map((r) => parseRule(ctx, r, false)))) as NewPolicyRule[];
    await report(res, { kind: 'add_rules', policyId: param(req, 'id'), rules, replaceAll: replaceAll(req) });
  });

  router.post('/api/policies/:id/impact_report/edit_rules', min(9), async (req, res) => {
    const edits = await Promise.all(items(req).map(async (r) => ({ ...(await parseRule(ctx, r, true)), id: str(r, 'rule_id', true) })));
    await report(res, { kind: 'edit_rules', policyId: param(req, 'id'), edits, replaceAll: replaceAll(req) });
  });

  router.post('/api/policies/:id/rules/:ruleId/impact_report/delete_rule', min(9), async (req, res) => {
    await report(res, { kind: 'delete_rule', policyId: param(req, 'id'), ruleId: param(req, 'ruleId') });
  });

  router.get('/api/policies/:id', async (req, res) => {
    const policy = await services.policies.get(param(req, 'id'));
    sendJson(res, 200, { policy: (await renderPolicies(ctx, [policy])).render(policy) });
  });

  router.delete('/api/policies/:id', async (req, res) => {
    sendTask(res, await ops.deletePolicy(origin, param(req, 'id')));
  });

  router.post('/api/policies/:id/rename', min(0), async (req, res) => {
    sendTask(res, await ops.renamePolicy(origin, param(req, 'id'), str(objectBody(req), 'name', true)));
  });

  router.post('/api/policies/:id/rules', min(1), async (req, res) => {
    const body: unknown = req.body;
    // HPE's body is an array of rules; a single rule object is taken as a one-rule array.
    const items = Array.isArray(body) ? arrayBody(req) : [objectBody(req)];
    const rules = (await Promise.all(items.map((r) => parseRule(ctx, r, false)))) as NewPolicyRule[];
    sendTask(res, await ops.addPolicyRules(origin, param(req, 'id'), rules, replaceAll(req)));
  });

  router.get('/api/policies/:id/rules/:ruleId', async (req, res) => {
    const policy = await services.policies.get(param(req, 'id'));
    const index = policy.rules.findIndex((r) => r.id === param(req, 'ruleId'));
    if (index < 0) throw notFound('rule', param(req, 'ruleId'));
    const { refs } = await renderPolicies(ctx, [policy]);
    sendJson(res, 200, { rule: renderRule(policy.rules[index], index, refs) });
  });

  router.put('/api/policies/:id/rules/:ruleId', min(0), async (req, res) => {
    const changes = await parseRule(ctx, objectBody(req), true);
    sendTask(res, await ops.editPolicyRule(origin, param(req, 'id'), param(req, 'ruleId'), changes));
  });

  router.delete('/api/policies/:id/rules/:ruleId', async (req, res) => {
    sendTask(res, await ops.deletePolicyRule(origin, param(req, 'id'), param(req, 'ruleId')));
  });

  router.get('/api/policies/:id/virtual_machines', async (req, res) => {
    const policy = await services.policies.get(param(req, 'id'));
    const vms = await services.vms.list({ filter: { field: 'policyId', op: 'eq', value: policy.id }, order: [{ field: 'name', direction: 'asc' }] });
    const refs = await loadRefs(services, { hostIds: vms.map((v) => v.hostId), datastoreIds: vms.map((v) => v.datastoreId), policyIds: [policy.id] });
    sendJson(res, 200, { virtual_machines: vms.map((v) => renderVm(v, refs, false)) });
  });

  router.get('/api/policies/:id/datastores', async (req, res) => {
    const policy = await services.policies.get(param(req, 'id'));
    const items = await services.datastores.list({ filter: { field: 'policyId', op: 'eq', value: policy.id }, order: [{ field: 'name', direction: 'asc' }] });
    const refs = await loadRefs(services, { datastoreIds: items.map((d) => d.id) });
    sendJson(res, 200, { datastores: items.map((d) => renderDatastore(d, refs, false)) });
  });
}
