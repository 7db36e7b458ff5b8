import { Job } from '@rosetta/core';
import { Column, ResourceDef, TastypieReply, compileFilters, compileOrder, ok } from '../tastypie';
import { CONTENT_TYPES, LockRef, renderCommand, renderJob, renderStep, stepOf } from '../render';
import { LCtx, ORIGIN, badPk, byIds, jsonBody, pkSeq } from './common';
import { pyStr } from '../wire-json';

const ID = { type: 'integer', readonly: true, unique: true } as const;
const URI = { type: 'string', readonly: true } as const;

/** Job classes a client may ask for by name (the ones hosts advertise in available_jobs). */
const RUNNABLE: Record<string, (ctx: LCtx, hostId: string) => Promise<Job>> = {
  ShutdownHostJob: (ctx, id) => ctx.services.lustre.powerServer(id, false, ORIGIN, { shutdown: true }),
  PowerOffHostJob: (ctx, id) => ctx.services.lustre.powerServer(id, false, ORIGIN),
  PowerOnHostJob: (ctx, id) => ctx.services.lustre.powerServer(id, true, ORIGIN),
};

const JOB_STATES: Record<string, string[]> = { pending: ['queued'], tasked: ['running'], complete: ['succeeded', 'failed', 'cancelled'] };

function jobColumns(): Record<string, Column> {
  return { id: { field: 'seq', type: 'int' }, created_at: { field: 'createdAt', type: 'date' } };
}

/** complete/errored/cancelled on a command are facts of its one job's state. */
function stateFilters(q: { filters: { path: string[]; value: unknown }[] }) {
  const out = [];
  for (const f of q.filters) {
    const name = f.path[0];
    const yes = f.value === true;
    if (name === 'complete') out.push(yes ? { field: 'state', op: 'in' as const, value: JOB_STATES.complete } : { field: 'state', op: 'in' as const, value: ['queued', 'running'] });
    if (name === 'errored') out.push(yes ? { field: 'state', op: 'eq' as const, value: 'failed' } : { not: { field: 'state', op: 'eq' as const, value: 'failed' } });
    if (name === 'cancelled') out.push(yes ? { field: 'state', op: 'eq' as const, value: 'cancelled' } : { not: { field: 'state', op: 'eq' as const, value: 'cancelled' } });
    if (name === 'state') {
      const wanted = (Array.isArray(f.value) ? f.value : [f.value]).flatMap((v) => JOB_STATES[String(v)] ?? []);
      out.push({ field: 'state', op: 'in' as const, value: wanted });
    }
  }
  return out;
}

async function findJob(ctx: LCtx, pk: string): Promise<Job | undefined> {
  const seq = pkSeq(pk);
  if (seq === undefined) throw badPk();
  return ctx.services.jobs.findBySeq(seq);
}

async function lockRefs(ctx: LCtx, jobs: Job[]): Promise<Map<string, LockRef[]>> {
  const ids = (kind: string) => jobs.flatMap((j) => j.affected.filter((a) => a.kind === kind).map((a) => a.id));
  const hosts = await byIds(ctx.services.hosts, [...ids('host'), ...ids('lnet')]);
  const targets = await byIds(ctx.services.filesystems.targets, ids('target'));
  const filesystems = await byIds(ctx.services.filesystems, ids('filesystem'));
  const out = new Map<string, LockRef[]>();
  for (const job of jobs) {
    const refs: LockRef[] = [];
    for (const a of job.affected) {
      const seq = (a.kind === 'host' || a.kind === 'lnet' ? hosts.get(a.id) : a.kind === 'target' ? targets.get(a.id) : a.kind === 'filesystem' ? filesystems.get(a.id) : undefined)?.seq;
      if (seq === undefined) continue;
      if (a.kind === 'lnet') refs.push({ contentType: CONTENT_TYPES.lnet_configuration, seq, resource: 'lnet_configuration' });
      else refs.push({ contentType: CONTENT_TYPES[a.kind as 'host' | 'target' | 'filesystem'], seq, resource: a.kind });
    }
    out.set(job.id, refs);
  }
  return out;
}

export const commandResource: ResourceDef<LCtx> = {
  name: 'command',
  fields: {
    cancelled: { type: 'boolean' },
    complete: { type: 'boolean' },
    created_at: { type: 'datetime' },
    errored: { type: 'boolean' },
    id: ID,
    jobs: { type: 'related', related: 'to_many', help: 'Jobs belonging to this command' },
    logs: { type: 'string', readonly: true },
    message: { type: 'string', help: 'Human readable string about one hundred characters long describing what the command is doing' },
    resource_uri: URI,
  },
  filtering: { cancelled: ['exact'], complete: ['exact'], created_at: ['gte', 'lte', 'gt', 'lt'], dismissed: ['exact'], errored: ['exact'], id: ['exact', 'in'] },
  ordering: ['created_at'],
  listAllowed: ['get', 'post'],
  detailAllowed: ['get', 'patch'],
  async list(ctx, q) {
    const columns = jobColumns();
    const filter = { all: [(await compileFilters(q.filters, columns)) ?? { all: [] }, ...stateFilters(q)] };
    const page = await ctx.services.jobs.page({ filter, order: compileOrder(q.order, columns), limit: q.limit, offset: q.offset });
    return { objects: page.items.map((j) => renderCommand(ctx.base, j)), total: page.total };
  },
  async detail(ctx, pk) {
    const job = await findJob(ctx, pk);
    return job && renderCommand(ctx.base, job);
  },
  async post(ctx) {
    const body = jsonBody(ctx);
    if (!Array.isArray(body.jobs) || body.jobs.length === 0) throw new TastypieReply(400, { jobs: ['This attribute is mandatory'] });
    const specs = body.jobs as Record<string, unknown>[];
    for (const j of specs) {
      if (!j || typeof j !== 'object' || typeof j.class_name !== 'string') throw new TastypieReply(400, { jobs: ['job objects must have the `class_name` attribute'] });
      if (!RUNNABLE[j.class_name]) throw new TastypieReply(400, { jobs: [`Invalid class_name '${j.class_name}'`] });
    }
    // A core job is one command of one job here, so a command names exactly one job.
    if (specs.length > 1) throw new TastypieReply(400, { jobs: ['Only one job per command is supported'] });
    const spec = specs[0];
    const args = (spec.args && typeof spec.args === 'object' ? spec.args : {}) as Record<string, unknown>;
    const hostIds = Array.isArray(args.hosts) ? (args.hosts as unknown[]).map((u) => /\/host\/(\d+)\/?$/.exec(String(u))?.[1]) : [args.host_id];
    const hosts = [];
    for (const id of hostIds) {
      const host = id !== undefined && /^\d+$/.test(String(id)) ? await ctx.services.hosts.findBySeq(Number(id)) : undefined;
      if (!host || host.lustreState === 'removed') throw new TastypieReply(400, { state: `Host ${pyStr(id)} not found` });
      hosts.push(host);
    }
    if (hosts.length !== 1) throw new TastypieReply(400, { jobs: ['Only one job per command is supported'] });
    const job = await RUNNABLE[spec.class_name as string](ctx, hosts[0].id);
    const command = renderCommand(ctx.base, job);
    const host = ctx.req.get('host') ?? 'localhost';
    return new TastypieReply(201, command, { Location: `${ctx.req.protocol}://${host}${command.resource_uri}` });
  },
};

export const jobResource: ResourceDef<LCtx> = {
  name: 'job',
  fields: {
    available_transitions: { type: 'list', readonly: true },
    cancelled: { type: 'boolean' },
    class_name: { type: 'string', readonly: true },
    commands: { type: 'list', readonly: true },
    created_at: { type: 'datetime' },
    description: { type: 'string', readonly: true },
    errored: { type: 'boolean' },
    id: ID,
    modified_at: { type: 'datetime' },
    read_locks: { type: 'list', readonly: true },
    resource_uri: URI,
    state: { type: 'string' },
    step_results: { type: 'dict', readonly: true },
    steps: { type: 'list', readonly: true },
    wait_for: { type: 'list', readonly: true },
    write_locks: { type: 'list', readonly: true },
  },
  filtering: { id: ['exact', 'in'], state: ['exact', 'in'] },
  ordering: ['created_at'],
  listAllowed: ['get'],
  detailAllowed: ['get', 'put'],
  async list(ctx, q) {
    const columns = jobColumns();
    const filter = { all: [(await compileFilters(q.filters, columns)) ?? { all: [] }, ...stateFilters(q)] };
    const page = await ctx.services.jobs.page({ filter, order: compileOrder(q.order, columns), limit: q.limit, offset: q.offset });
    const locks = await lockRefs(ctx, page.items);
    return { objects: page.items.map((j) => renderJob(ctx.base, j, locks.get(j.id) ?? [])), total: page.total };
  },
  async detail(ctx, pk) {
    const job = await findJob(ctx, pk);
    if (!job) return undefined;
    return renderJob(ctx.base, job, (await lockRefs(ctx, [job])).get(job.id) ?? []);
  },
  async put(ctx, pk) {
    const job = await findJob(ctx, pk);
    if (!job) return new TastypieReply(404);
    const body = jsonBody(ctx);
    if (body.id === undefined) return new TastypieReply(400, { id: 'Attribute mandatory' });
    const current = renderJob(ctx.base, job, []).state;
    if (body.state !== 'cancelled' && body.state !== current) return new TastypieReply(400, { state: `Must be one of ['cancelled', '${current}']` });
    if (body.state === 'cancelled' && current !== 'complete') {
      try {
        await ctx.services.jobs.cancel(job.id);
      } catch (err) {
        if ((err as { code?: string }).code !== 'INVALID_STATE') throw err;
      }
    }
    const fresh = (await ctx.services.jobs.find(job.id)) ?? job;
    return ok(renderJob(ctx.base, fresh, (await lockRefs(ctx, [fresh])).get(fresh.id) ?? []));
  },
};

export const stepResource: ResourceDef<LCtx> = {
  name: 'step',
  fields: {
    args: { type: 'dict' },
    backtrace: { type: 'string' },
    class_name: { type: 'string', readonly: true },
    console: { type: 'string' },
    created_at: { type: 'datetime' },
    description: { type: 'string', readonly: true },
    id: ID,
    log: { type: 'string' },
    modified_at: { type: 'datetime' },
    resource_uri: URI,
    result: { type: 'string', nullable: true },
    state: { type: 'string' },
    step_count: { type: 'integer' },
    step_index: { type: 'integer' },
  },
  filtering: { id: ['exact', 'in'], job: ['exact'] },
  ordering: ['created_at', 'modified_at'],
  listAllowed: ['get'],
  detailAllowed: ['get'],
  async list(ctx, q) {
    const idFilter = q.filters.find((f) => f.path[0] === 'id');
    let jobs: Job[];
    if (idFilter) {
      const ids = (Array.isArray(idFilter.value) ? idFilter.value : [idFilter.value]).map((v) => {
        if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new TastypieReply(400, { error: 'Invalid resource lookup data provided (mismatched type).' });
        return stepOf(Number(v));
      });
      jobs = await ctx.services.jobs.list({ filter: { field: 'seq', op: 'in', value: ids.map((i) => i.jobSeq) } });
      const wanted = new Set(ids.map((i) => `${i.jobSeq}:${i.index}`));
      const steps = jobs.flatMap((j) => j.steps.filter((s) => wanted.has(`${j.seq}:${s.index}`)).map((s) => renderStep(ctx.base, j, s)));
      return { objects: steps.slice(q.offset, q.offset + q.limit), total: steps.length };
    }
    jobs = await ctx.services.jobs.list({ order: [{ field: 'createdAt', direction: q.order[0]?.desc ? 'desc' : 'asc' }] });
    const steps = jobs.flatMap((j) => j.steps.map((s) => renderStep(ctx.base, j, s)));
    return { objects: steps.slice(q.offset, q.offset + q.limit), total: steps.length };
  },
  async detail(ctx, pk) {
    const seq = pkSeq(pk);
    if (seq === undefined) throw badPk();
    const { jobSeq, index } = stepOf(seq);
    const job = await ctx.services.jobs.findBySeq(jobSeq);
    const step = job?.steps.find((s) => s.index === index);
    return job && step ? renderStep(ctx.base, job, step) : undefined;
  },
};
