import { ARBITER_AVERAGE_FILE_KIB, CoreError, PlacementRules, isCoreError } from '@rosetta/core';
import { HeketiSettings } from '../context';
import { FailureContext, failureOf } from '../errors';
import { Issues, tagProblem } from '../parse';

/** Go's syscall.EBUSY text: Heketi's answer to an operation on an object another one holds. */
export const IN_USE = 'The target exists, contains other items, or is in use.';

/** StateRequest validation, shared by nodes and devices. */
export function stateIssues(body: { state: string; healcheck: string }): Issues {
  const issues: Issues = new Map();
  if (!body.state) issues.set('state', 'cannot be blank');
  else if (!['online', 'offline', 'failed'].includes(body.state)) issues.set('state', `${body.state} is not valid state`);
  if (!['', 'enable', 'disable'].includes(body.healcheck)) issues.set('healcheck', `${body.healcheck} is not valid heal info check`);
  return issues;
}

/** TagsChangeRequest validation, shared by nodes and devices. */
export function tagsIssues(body: { tags?: Record<string, string>; change_type: string }): Issues {
  const issues: Issues = new Map();
  if (!body.change_type) issues.set('change_type', 'cannot be blank');
  else if (!['set', 'update', 'delete'].includes(body.change_type)) issues.set('change_type', 'must be a valid value');
  const tags = tagProblem(body.tags);
  if (tags) issues.set('tags', tags);
  return issues;
}

/**
 * Heketi runs an operation's Build (allocation) before answering, so its refusals come back
 * synchronously as a 500 naming the operation, never through the queue.
 */
export async function allocating<T>(prefix: string, context: FailureContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const refused =
      isCoreError(err) &&
      (err.code === 'CAPACITY' ||
        (err.code === 'ALREADY_EXISTS' && (err.details.kind === 'cluster' || err.details.kind === 'volume')) ||
        (err.code === 'INVALID_STATE' && err.details.kind === 'block_volume'));
    if (refused) throw new CoreError('UNAVAILABLE', `${prefix}: ${failureOf(err, context).text}`, { reason: 'allocation' });
    throw err;
  }
}

/**
 * Heketi's placement knobs from a volume's gluster options: `user.heketi.zone-checking strict`
 * (or the server's zone_checking), `user.heketi.device-tag-match key=value` / `key!=value`, and
 * `user.heketi.arbiter true` with `user.heketi.average-file-size <KiB>` (64 by default).
 */
export function placementOf(options: string[], settings: HeketiSettings): PlacementRules {
  let strictZones = settings.zoneChecking === 'strict';
  let deviceTag: PlacementRules['deviceTag'];
  let arbiter = false;
  let averageFileKib = ARBITER_AVERAGE_FILE_KIB;
  for (const option of options) {
    const [name, ...rest] = option.trim().split(/\s+/);
    const value = rest.join(' ');
    if (name === 'user.heketi.zone-checking') strictZones = value === 'strict';
    if (name === 'user.heketi.device-tag-match') {
      const m = /^([^!=]+)(!?=)(.*)$/.exec(value);
      if (m) deviceTag = { key: m[1], value: m[3], equal: m[2] === '=' };
    }
    if (name === 'user.heketi.arbiter') arbiter = value.toLowerCase() === 'true';
    if (name === 'user.heketi.average-file-size' && /^\d+$/.test(value) && Number(value) > 0) averageFileKib = Number(value);
  }
  return { strictZones, deviceTag, ...(arbiter ? { arbiter: { averageFileKib } } : {}) };
}

/**
 * The gluster options Heketi stores: its pre-request options, "group gluster-block" for a
 * block-hosting volume, the client's, then its post-request options (empty settings give the
 * leading and trailing "" Heketi shows).
 */
export const volumeOptions = (settings: HeketiSettings, blockHosting: boolean, requested: string[]): string[] => [
  ...settings.preRequestVolumeOptions.split(','),
  ...(blockHosting ? ['group gluster-block'] : []),
  ...requested,
  ...settings.postRequestVolumeOptions.split(','),
];
