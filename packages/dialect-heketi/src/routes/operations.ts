import { Job, JobKind } from '@rosetta/core';
import { HeketiContext, RouteTable, accepted, activeJobs } from '../context';
import { failValidation, isHeketiId, readBody } from '../parse';
import { heketiError } from '../errors';
import { coreId, hexId } from '../ids';
import { sendJson } from '../reply';

/** Jobs Heketi records as pending operations, under its operation type names. */
const OPERATION_TYPES: Partial<Record<JobKind, string>> = {
  'volume.create': 'create-volume',
  'volume.delete': 'delete-volume',
  'volume.expand': 'expand-volume',
  'volume.clone': 'clone-volume',
  'block_volume.create': 'create-block-volume',
  'block_volume.delete': 'delete-block-volume',
  'block_volume.expand': 'expand-block-volume',
  'volume.set_block_restriction': 'set-block-restriction',
  'brick.evict': 'evict-brick',
  'device.set_state': 'remove-device',
};

const CHANGE_WORDS: Record<string, string> = {
  volume: 'Add volume',
  block_volume: 'Add block volume',
  brick: 'Replace brick',
  device: 'Remove device',
  host: 'Remove node',
};

const operation = (job: Job) => ({ id: hexId(job.id), type_name: OPERATION_TYPES[job.kind]!, status: 'new', sub_status: '' });

/** /operations: Heketi's pending-operation bookkeeping, read from the jobs still running. */
export function operationRoutes(r: RouteTable, ctx: HeketiContext): void {
  // Only a device failing is an operation to Heketi; online/offline changes are not recorded.
  const pending = async () =>
    (await activeJobs(ctx)).filter((j) => OPERATION_TYPES[j.kind] && (j.kind !== 'device.set_state' || j.input.state === 'failed'));

  r.add('GET', '/operations', async (_req, res) => {
    const jobs = await pending();
    const running = jobs.filter((j) => j.state === 'running').length;
    sendJson(res, 200, { total: jobs.length, in_flight: running, stale: 0, failed: 0, new: jobs.length });
  });

  r.add('GET', '/operations/pending', async (_req, res) => {
    const jobs = (await pending()).sort((a, b) => (hexId(a.id) < hexId(b.id) ? -1 : 1));
    sendJson(res, 200, { pendingoperations: jobs.map(operation) });
  });

  r.add('POST', '/operations/pending/cleanup', async (req, res) => {
    const body = readBody<{ operations?: string[] }>(req, { struct: { operations: { array: 'string' } } });
    const bad = (body.operations ?? []).find((id) => !isHeketiId(id));
    if (bad !== undefined) failValidation(new Map([['operations', `${bad} is not a valid UUID`]]));
    accepted(req, res, await ctx.services.storage.cleanupJobs('heketi'));
  });

  r.add('GET', '/operations/pending/:id', async (_req, res, params) => {
    const id = coreId(params.id);
    const job = (await pending()).find((j) => j.id === id);
    if (!job) throw heketiError(404, `Id not found: ${params.id}`);
    sendJson(res, 200, {
      ...operation(job),
      changes: job.affected.map((a) => ({ id: hexId(a.id), description: CHANGE_WORDS[a.kind] ?? a.kind })),
    });
  });
}
