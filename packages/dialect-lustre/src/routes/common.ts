import { Job, LustreAccount, LustreObject, Reads, Services } from '@rosetta/core';
import { LustreSettings, Sessions } from '../auth';
import { Column, Ctx, MISMATCHED, TastypieReply, accepted, noContent, ok } from '../tastypie';
import { CONTENT_TYPES, Locks, StatefulExtras, jobClass, jobDescription, renderCommand, transitions } from '../render';

export interface LCtx extends Ctx {
  services: Services;
  sessions: Sessions;
  settings: LustreSettings;
  user: LustreAccount | null;
}

export const ORIGIN = 'lustre';

/** Entities by uuid, one query for the lot. */
export async function byIds<E extends { id: string }>(reads: Reads<E>, ids: (string | null | undefined)[]): Promise<Map<string, E>> {
  const wanted = [...new Set(ids.filter((i): i is string => Boolean(i)))];
  if (!wanted.length) return new Map();
  const rows = await reads.list({ filter: { field: 'id', op: 'in', value: wanted } });
  return new Map(rows.map((r) => [r.id, r]));
}

/** Integer ids on the wire are core sequence numbers; filters on them become uuid filters. */
export const seqColumn = (field: string, reads: Reads<{ id: string; seq: number }>): Column => ({
  field,
  type: 'int',
  resolve: async (values) => {
    const seqs = values.filter((v): v is number => typeof v === 'number');
    if (!seqs.length) return [];
    return (await reads.list({ filter: { field: 'seq', op: 'in', value: seqs } })).map((r) => r.id);
  },
});

export const pkSeq = (pk: string): number | undefined => (/^\d+$/.test(pk) && pk.length < 16 ? Number(pk) : undefined);

/** A detail pk that cannot be an integer: Django's ValueError, which IML answers as a 404 with a canned message. */
export const badPk = (): TastypieReply =>
  new TastypieReply(404, { error_message: 'Sorry, this request could not be processed. Please try again later.' });

export interface ActiveLocks {
  /** Write locks (job seqs) by `${kind}:${uuid}`. */
  locks(kind: string, id: string): Locks;
}

export async function activeLocks(services: Services): Promise<ActiveLocks> {
  const jobs = await services.lustre.activeJobs();
  const map = new Map<string, number[]>();
  for (const job of jobs) for (const a of job.affected) map.set(`${a.kind}:${a.id}`, [...(map.get(`${a.kind}:${a.id}`) ?? []), job.seq]);
  return { locks: (kind, id) => ({ read: [], write: map.get(`${kind}:${id}`) ?? [] }) };
}

/** `immutable`: known by the caller (from hosts it already loaded), else the core works it out. */
export async function statefulExtras(
  ctx: LCtx,
  object: LustreObject,
  entity: Parameters<Services['lustre']['offeredStates']>[1],
  locks: ActiveLocks,
  immutable?: boolean,
): Promise<StatefulExtras> {
  return {
    transitions: transitions(object, await ctx.services.lustre.offeredStates(object, entity, immutable)),
    locks: locks.locks(object, entity.id),
    immutable: immutable ?? false,
  };
}

/** psycopg2 refuses NUL in any string it is handed; IML surfaces that ValueError as a mismatched type. */
function holdsNul(value: unknown, depth = 0): boolean {
  // Nothing IML reads lies deeper than a few levels; a hostile, deeply nested body is not walked.
  if (depth > 32) return false;
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some((v) => holdsNul(v, depth + 1));
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => k.includes('\u0000') || holdsNul(v, depth + 1));
  return false;
}

export function jsonBody(ctx: LCtx): Record<string, unknown> {
  const body = ctx.req.body as unknown;
  if (holdsNul(body)) throw new TastypieReply(400, { error: MISMATCHED });
  if (body === undefined || body === null || (typeof body === 'object' && !Array.isArray(body))) return (body ?? {}) as Record<string, unknown>;
  throw new TastypieReply(400, { error: 'Request is not valid JSON.' });
}

export const commandReply = (ctx: LCtx, job: Job, extra: Record<string, unknown> = {}): TastypieReply =>
  accepted({ command: renderCommand(ctx.base, job), ...extra });

const IML_CLASSES: Record<LustreObject, string> = {
  host: "<class 'chroma_core.models.host.ManagedHost'>",
  lnet: "<class 'chroma_core.models.lnet_configuration.LNetConfiguration'>",
  target: "<class 'chroma_core.models.target.ManagedTarget'>",
  filesystem: "<class 'chroma_core.models.filesystem.ManagedFilesystem'>",
  copytool: "<class 'chroma_core.models.copytool.Copytool'>",
};

const IML_STATES: Record<LustreObject, string[]> = {
  host: ['undeployed', 'unconfigured', 'packages_installed', 'managed', 'monitored', 'working', 'removed'],
  lnet: ['unconfigured', 'lnet_unloaded', 'lnet_down', 'lnet_up'],
  target: ['unformatted', 'formatted', 'registered', 'unmounted', 'mounted', 'removed', 'forgotten'],
  filesystem: ['unavailable', 'stopped', 'available', 'removed', 'forgotten'],
  copytool: ['unconfigured', 'stopped', 'started', 'removed'],
};

/** The SchedulingError text IML answers a state it cannot reach. */
export function schedulingMessage(object: LustreObject, from: string, to: string): string {
  if (!IML_STATES[object].includes(to)) {
    return `${to} not legal state for ${IML_CLASSES[object]}, legal states are [${IML_STATES[object].map((s) => `'${s}'`).join(', ')}]`;
  }
  return `${from}->${to} not legal state transition for ${IML_CLASSES[object]}`;
}

/**
 * PUT {"state": X} on a stateful object: 202 with the command, 204 when already there, 200 with
 * the plan on dry_run, 400 with IML's scheduling message when no route leads there.
 */
export async function changeState(
  ctx: LCtx,
  object: LustreObject,
  subject: { id: string; seq: number },
  from: string,
  state: unknown,
  dryRun: boolean,
  wrap = false,
): Promise<TastypieReply> {
  const id = subject.id;
  const fail = (message: string): TastypieReply => new TastypieReply(400, wrap ? { error: { state: message }, traceback: null } : { state: message });
  if (typeof state !== 'string') return fail(schedulingMessage(object, from, String(state)));
  try {
    if (dryRun) {
      const plan = await ctx.services.lustre.planState(object, id, state);
      if (!plan) return ok([]);
      const fake = { kind: plan.kind, input: { state, from: plan.from }, steps: [] } as unknown as Job;
      const job = {
        class: jobClass(fake),
        confirmation_prompt: null,
        description: jobDescription(fake),
        requires_confirmation: plan.to === 'removed',
        stateful_object_content_type_id: object === 'lnet' ? CONTENT_TYPES.lnet_configuration : CONTENT_TYPES[object],
        stateful_object_id: subject.seq,
      };
      return ok({ dependency_jobs: [], transition_job: job });
    }
    const job = await ctx.services.lustre.setState(object, id, state, ORIGIN);
    return job ? commandReply(ctx, job) : noContent();
  } catch (err) {
    const e = err as { code?: string; details?: { reason?: string } };
    if (e.code === 'INVALID_STATE') return fail(schedulingMessage(object, from, state));
    if (e.code === 'CONFLICT') return fail(schedulingMessage(object, from, state));
    throw err;
  }
}
