import { Job } from '@rosetta/core';
import { FILTER_ENUM, FILTER_INT, FILTER_STR, ResourceDef, memoryPage } from '../tastypie';
import { jobDescription, stepId, stepOf, uri } from '../render';
import { awareIso } from '../wire-json';
import { LCtx, badPk, byIds, pkSeq } from './common';

/**
 * Syslog lines of what the servers did: one line per finished job step, from the host the job
 * worked on (a filesystem's work is logged by its MGS), ids shared with the steps. The most recent
 * 1,000 jobs are read.
 */
const JOBS_READ = 1000;

async function hostNames(ctx: LCtx, jobs: Job[]): Promise<Map<string, string>> {
  const of = (kind: string) => jobs.flatMap((j) => j.affected.filter((a) => a.kind === kind).map((a) => a.id));
  const filesystems = await byIds(ctx.services.filesystems, of('filesystem'));
  const targets = await byIds(ctx.services.filesystems.targets, [...of('target'), ...[...filesystems.values()].map((f) => f.mgtId)]);
  const hosts = await byIds(ctx.services.hosts, [...of('host'), ...of('lnet'), ...[...targets.values()].map((t) => t.hostId)]);
  const names = new Map<string, string>();
  for (const job of jobs) {
    const a = job.affected[0];
    let hostId: string | undefined;
    if (a?.kind === 'host' || a?.kind === 'lnet') hostId = a.id;
    if (a?.kind === 'target') hostId = targets.get(a.id)?.hostId;
    if (a?.kind === 'filesystem') {
      const mgt = filesystems.get(a.id)?.mgtId;
      hostId = mgt ? targets.get(mgt)?.hostId : undefined;
    }
    const name = hostId ? hosts.get(hostId)?.name : typeof job.input.address === 'string' ? job.input.address : undefined;
    if (name) names.set(job.id, name);
  }
  return names;
}

async function lines(ctx: LCtx, jobs: Job[]) {
  const names = await hostNames(ctx, jobs);
  return jobs.flatMap((job) =>
    job.steps
      .filter((s) => s.finishedAt && (s.state === 'succeeded' || s.state === 'failed'))
      .map((s) => {
        const failed = s.state === 'failed';
        const id = stepId(job, s.index);
        return {
          datetime: awareIso(s.finishedAt),
          facility: 3,
          fqdn: names.get(job.id) ?? 'localhost',
          id,
          message: `${jobDescription(job)}: ${s.name} ${failed ? `failed: ${s.error ?? ''}` : 'complete'}`,
          message_class: 'NORMAL',
          resource_uri: uri(ctx.base, 'log', id),
          severity: failed ? 3 : 6,
          substitutions: [],
          tag: 'chroma-agent',
        };
      }),
  );
}

export const logResource: ResourceDef<LCtx> = {
  name: 'log',
  fields: {
    datetime: { type: 'datetime' },
    facility: { type: 'integer' },
    fqdn: { type: 'string' },
    id: { type: 'integer', readonly: true, unique: true },
    message: { type: 'string' },
    message_class: { type: 'string', enumeration: ['NORMAL', 'LUSTRE', 'LUSTRE_ERROR', 'COPYTOOL', 'COPYTOOL_ERROR'] },
    resource_uri: { type: 'string', readonly: true },
    severity: { type: 'integer' },
    substitutions: { type: 'list', nullable: true },
    tag: { type: 'string' },
  },
  filtering: { datetime: FILTER_INT, fqdn: FILTER_STR, message: FILTER_STR, message_class: FILTER_ENUM, tag: FILTER_STR },
  ordering: ['datetime', 'fqdn'],
  listAllowed: ['get'],
  detailAllowed: ['get'],
  async list(ctx, q) {
    const jobs = await ctx.services.jobs.list({ order: [{ field: 'seq', direction: 'desc' }], limit: JOBS_READ });
    return memoryPage(await lines(ctx, jobs.reverse()), q);
  },
  async detail(ctx, pk) {
    const seq = pkSeq(pk);
    if (seq === undefined) throw badPk();
    const job = await ctx.services.jobs.findBySeq(stepOf(seq).jobSeq);
    return job ? (await lines(ctx, [job])).find((l) => l.id === seq) : undefined;
  },
};
