import { CommandItem, Filter, Job } from '@rosetta/core';
import { Column, ResourceDef, TastypieReply, compileFilters, compileOrder, ok } from '../tastypie';
import { CONTENT_TYPES, LockRef, renderCommand, renderJob, renderStep, stepOf } from '../render';
import { LCtx, ORIGIN, badPk, byIds, jsonBody, pkSeq } from './common';
import { pyStr } from '../wire-json';

const ID = { type: 'integer', readonly: true, unique: true } as const;
const URI = { type: 'string', readonly: true } as const;

interface Runnable {
  /** What the job's args name: hosts (`host_id` or `hosts`) or a target (`target_id`). */
  subject: 'host' | 'target';
  item(id: string): CommandItem;
}

/** Job classes a client may ask for by name (the ones hosts and targets advertise in available_jobs). */
const RUNNABLE: Record<string, Runnable> = {
  ShutdownHostJob: { subject: 'host', item: (hostId) => ({ action: 'shutdown', hostId }) },
  PowerOffHostJob: { subject: 'host', item: (hostId) => ({ action: 'power_off', hostId }) },
  PowerOnHostJob: { subject: 'host', item: (hostId) => ({ action: 'power_on', hostId }) },
  RebootHostJob: { subject: 'host', item: (hostId) => ({ action: 'reboot', hostId }) },
  // The CLI's nid-update, nid-relearn and filesystem-detect; IML runs each as one job over all the
  // hosts named, here each host is a job of the one command.
  UpdateNidsJob: { subject: 'host', item: (hostId) => ({ action: 'update_nids', hostId }) },
  UpdateDevicesJob: { subject: 'host', item: (hostId) => ({ action: 'detect_devices', hostId }) },
  DetectTargetsJob: { subject: 'host', item: (hostId) => ({ action: 'detect_targets', hostId }) },
  FailoverTargetJob: { subject: 'target', item: (targetId) => ({ action: 'failover', targetId }) },
  FailbackTargetJob: { subject: 'target', item: (targetId) => ({ action: 'failback', targetId }) },
};

/** The core ids a job spec's args name, or the scheduling error IML would answer. */
async function subjects(ctx: LCtx, runnable: Runnable, args: Record<string, unknown>): Promise<string[]> {
  if (runnable.subject === 'target') {
    const id = args.target_id;
    const target = id !== undefined && /^\d+$/.test(String(id)) ? await ctx.services.filesystems.targets.findBySeq(Number(id)) : undefined;
    if (!target) throw new TastypieReply(400, { state: `Target ${pyStr(id)} not found` });
    return [target.id];
  }
  const hostIds = Array.isArray(args.hosts) ? (args.hosts as unknown[]).map((u) => /\/host\/(\d+)\/?$/.exec(String(u))?.[1]) : [args.host_id];
  const out: string[] = [];
  for (const id of hostIds) {
    const host = id !== undefined && /^\d+$/.test(String(id)) ? await ctx.services.hosts.findBySeq(Number(id)) : undefined;
    if (!host || host.lustreState === 'removed') throw new TastypieReply(400, { state: `Host ${pyStr(id)} not found` });
    out.push(host.id);
  }
  return out;
}

const JOB_STATES: Record<string, string[]> = { pending: ['queued'], tasked: ['running'], complete: ['succeeded', 'failed', 'cancelled'] };

function jobColumns(): Record<string, Column> {
  return { id: { field: 'seq', type: 'int' }, created_at: { field: 'createdAt', type: 'date' } };
}

const inStates = (states: string[]): Filter => ({ field: 'state', op: 'in', value: states });
const UNFINISHED = ['queued', 'running'];

/** A job's `state` filter in IML words (pending, tasked, complete). */
function jobStateFilters(q: { filters: { path: string[]; value: unknown }[] }): Filter[] {
  return q.filters
    .filter((f) => f.path[0] === 'state')
    .map((f) => inStates((Array.isArray(f.value) ? f.value : [f.value]).flatMap((v) => JOB_STATES[String(v)] ?? [])));
}

/** Command ids (their first jobs' uuids) some other job of which is in one of these states. */
async function commandsWithMembersIn(ctx: LCtx, states: string[]): Promise<string[]> {
  const members = await ctx.services.jobs.list({ filter: { all: [{ field: 'commandJobId', op: 'isnull', value: false }, inStates(states)] } });
  return [...new Set(members.map((m) => m.commandJobId!))];
}

/**
 * Commands are jobs that are no other job's member. complete, errored and cancelled are facts of
 * all of a command's jobs: its first job's state, corrected by the members' states, in SQL.
 */
async function commandFilters(ctx: LCtx, q: { filters: { path: string[]; value: unknown }[] }): Promise<Filter[]> {
  const out: Filter[] = [{ field: 'commandJobId', op: 'isnull', value: true }];
  const either = (states: string[], ids: string[]): Filter => ({ any: [inStates(states), { field: 'id', op: 'in', value: ids }] });
  for (const f of q.filters) {
    const name = f.path[0];
    const yes = f.value === true;
    if (name === 'complete') {
      const open = either(UNFINISHED, await commandsWithMembersIn(ctx, UNFINISHED));
      out.push(yes ? { not: open } : open);
    }
    if (name === 'errored' || name === 'cancelled') {
      const state = name === 'errored' ? 'failed' : 'cancelled';
      const hit = either([state], await commandsWithMembersIn(ctx, [state]));
      out.push(yes ? hit : { not: hit });
    }
  }
  return out;
}

/** The other jobs of each command, by its first job's id. */
async function commandMembers(ctx: LCtx, commands: Job[]): Promise<Map<string, Job[]>> {
  const out = new Map<string, Job[]>();
  if (!commands.length) return out;
  const members = await ctx.services.jobs.list({ filter: { field: 'commandJobId', op: 'in', value: commands.map((c) => c.id) }, order: [{ field: 'seq', direction: 'asc' }] });
  for (const m of members) out.set(m.commandJobId!, [...(out.get(m.commandJobId!) ?? []), m]);
  return out;
}

async function renderCommands(ctx: LCtx, commands: Job[]) {
  const members = await commandMembers(ctx, commands);
  return commands.map((c) => renderCommand(ctx.base, c, members.get(c.id) ?? []));
}

/** The seq of each job's command: its own, or its command's first job's. */
async function commandSeqs(ctx: LCtx, jobs: Job[]): Promise<Map<string, number>> {
  const leads = await byIds(ctx.services.jobs, jobs.map((j) => j.commandJobId));
  return new Map(jobs.map((j) => [j.id, j.commandJobId ? (leads.get(j.commandJobId)?.seq ?? j.seq) : j.seq]));
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
    const filter = { all: [(await compileFilters(q.filters, columns)) ?? { all: [] }, ...(await commandFilters(ctx, q))] };
    const page = await ctx.services.jobs.page({ filter, order: compileOrder(q.order, columns), limit: q.limit, offset: q.offset });
    return { objects: await renderCommands(ctx, page.items), total: page.total };
  },
  async detail(ctx, pk) {
    const job = await findJob(ctx, pk);
    // A job run as one of several in a command is no command of its own.
    return job && !job.commandJobId ? (await renderCommands(ctx, [job]))[0] : undefined;
  },
  async post(ctx) {
    const body = jsonBody(ctx);
    if (!Array.isArray(body.jobs) || body.jobs.length === 0) throw new TastypieReply(400, { jobs: ['This attribute is mandatory'] });
    const specs = body.jobs as Record<string, unknown>[];
    for (const j of specs) {
      if (!j || typeof j !== 'object' || typeof j.class_name !== 'string') throw new TastypieReply(400, { jobs: ['job objects must have the `class_name` attribute'] });
      if (!RUNNABLE[j.class_name]) throw new TastypieReply(400, { jobs: [`Invalid class_name '${j.class_name}'`] });
    }
    // Every job of the command, one core job per subject (IML's `hosts` list runs the job on each).
    const items: CommandItem[] = [];
    for (const spec of specs) {
      const runnable = RUNNABLE[spec.class_name as string];
      const args = (spec.args && typeof spec.args === 'object' ? spec.args : {}) as Record<string, unknown>;
      for (const id of await subjects(ctx, runnable, args)) items.push(runnable.item(id));
    }
    let jobs: Job[];
    try {
      jobs = await ctx.services.lustre.runCommand(items, ORIGIN, typeof body.message === 'string' ? body.message : undefined);
    } catch (err) {
      // A job that cannot run now is IML's SchedulingError; nothing of the command was recorded.
      if ((err as { code?: string }).code === 'INVALID_STATE') throw new TastypieReply(400, { state: (err as Error).message });
      throw err;
    }
    const command = renderCommand(ctx.base, jobs[0], jobs.slice(1));
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
    const filter = { all: [(await compileFilters(q.filters, columns)) ?? { all: [] }, ...jobStateFilters(q)] };
    const page = await ctx.services.jobs.page({ filter, order: compileOrder(q.order, columns), limit: q.limit, offset: q.offset });
    const locks = await lockRefs(ctx, page.items);
    const commands = await commandSeqs(ctx, page.items);
    return { objects: page.items.map((j) => renderJob(ctx.base, j, locks.get(j.id) ?? [], commands.get(j.id))), total: page.total };
  },
  async detail(ctx, pk) {
    const job = await findJob(ctx, pk);
    if (!job) return undefined;
    return renderJob(ctx.base, job, (await lockRefs(ctx, [job])).get(job.id) ?? [], (await commandSeqs(ctx, [job])).get(job.id));
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
    return ok(renderJob(ctx.base, fresh, (await lockRefs(ctx, [fresh])).get(fresh.id) ?? [], (await commandSeqs(ctx, [fresh])).get(fresh.id)));
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
