import { CoreError, ErrorCode, ErrorDetails, assertNever } from '@rosetta/core';
import { ErrorRenderer } from '@rosetta/http';
import { errorWire } from './reply';
import { hexId } from './ids';

/** What Heketi's handlers tell a client, from the facts of a core error. */
export interface HeketiFailure {
  status: number;
  text: string;
}

/** Facts the request knows and the error does not: the volume's name, the state asked for. */
export interface FailureContext {
  volumeName?: string;
  targetState?: string;
  /** block_hosting_volume_size, quoted when a block volume cannot fit a new hosting volume. */
  hostingSizeGb?: number;
  /** max_volumes_per_cluster, quoted when a cluster is full. */
  maxVolumesPerCluster?: number;
}

const NODE_STATE: Record<string, string> = { up: 'online', maintenance: 'offline', down: 'failed' };

const hex = (id: string | undefined): string => (id ? hexId(id) : '');

/** A cluster's refusal of a volume, in Heketi's words (volume_entry.go, allocation errors). */
function refusalText(reason: string | undefined, ctx: FailureContext, amount?: number): string {
  switch (reason) {
    case 'volume_limit':
      return `Cluster has ${amount ?? ''} volumes and limit is ${ctx.maxVolumesPerCluster ?? ''}`;
    case 'no_space':
      return 'No space';
    case 'no_nodes':
      return 'No nodes in cluster';
    case 'no_online_devices':
      return 'No online storage devices in cluster';
    case 'all_types_disabled':
      return 'Cluster has disabled all volume types';
    case 'type_unsupported':
      return 'Cluster does not support requested volume type';
    case 'name_in_use':
      return `Volume name '${ctx.volumeName ?? ''}' already in use`;
    default:
      return reason ?? 'No space';
  }
}

/** Block-volume placement refusals (app_block_volume.go, block_volume_entry.go). */
function blockText(details: ErrorDetails, ctx: FailureContext): string {
  switch (details.reason) {
    case 'hosting_too_small':
      return (
        `The size configured for automatic creation of block hosting volumes (${ctx.hostingSizeGb ?? ''}) is too small to host the requested ` +
        `block volume of size ${details.requested}. The available size on this block hosting volume, minus overhead, is ${details.available}. ` +
        'Please create a sufficiently large block hosting volume manually.'
      );
    case 'hosting_creation_disabled':
      return 'Block Hosting Volume Creation is disabled. Create a Block hosting volume and try again.';
    case 'same_size':
      return `Requested new-size ${details.requested} is same as current block volume size ${details.available}, nothing to be done.`;
    case 'shrink':
      return `Requested new-size ${details.requested} is less than current block volume size ${details.available}, shrinking is not allowed.`;
    case 'not_block_hosting':
      return 'Block restrictions can only be set on block hosting volumes';
    case 'clone_block_hosting':
      return 'Cloning of block hosting volumes is not supported';
    default:
      return 'No space';
  }
}

function capacityText(details: ErrorDetails, ctx: FailureContext): string {
  if (details.kind === 'block_volume') return blockText(details, ctx);
  // Brick eviction and device/node failure (errors.go ErrNoReplacement, placer Replace found no device).
  if (details.kind === 'brick') return 'No Replacement was found for resource requested to be removed';
  const lines = (details.fields ?? []).map((f) => `\nCluster ${hexId(f.field)}: ${refusalText(f.problem, ctx, f.amount)}`).join('');
  if (details.reason === 'no_eligible_cluster') return `No eligible cluster for volume${lines}`;
  if (details.reason === 'no_cluster_fits') return `Unable to create volume on any cluster:${lines}`;
  return refusalText(details.reason, ctx, details.fields?.[0]?.amount);
}

function invalidStateText(details: ErrorDetails, ctx: FailureContext): string {
  const node = details.kind === 'host';
  switch (details.reason) {
    case 'peer_quorum':
      return `Cannot replace brick ${hex(details.id)} as only ${details.available} of ${details.requested} required peer bricks are online`;
    case 'not_failed':
      return `device: ${hex(details.id)} is not in failed state`;
    case 'offline_first':
      return node
        ? `Node must be offline before remove operation is performed, node:${hex(details.id)}`
        : `Device must be offline before remove operation is performed, device:${hex(details.id)}`;
    case 'failed_final':
      return node
        ? `Cannot move a failed/removed node to ${NODE_STATE[ctx.targetState ?? ''] ?? ctx.targetState ?? 'online'} state`
        : 'Cannot move a failed/removed device to online state';
    default:
      return 'The target exists, contains other items, or is in use.';
  }
}

function conflictText(details: ErrorDetails, message: string): string {
  if (details.reason !== 'has_children') return message;
  switch (details.kind) {
    case 'cluster':
      return `Unable to delete cluster [${hex(details.id)}] because it contains volumes and/or nodes`;
    case 'host':
      return `Unable to delete node [${hex(details.id)}] because it contains devices`;
    case 'device':
      return `Unable to delete device [${hex(details.id)}] because it contains bricks`;
    case 'volume':
      return 'Cannot delete a block hosting volume containing block volumes';
    default:
      return message;
  }
}

const PARSE_REASONS = new Set(['malformed_json', 'bad_body', 'body_too_large', 'unsupported_encoding', 'unparseable']);

/** The one mapping from core error codes to Heketi's statuses and texts. */
export function heketiFailure(code: ErrorCode, message: string, details: ErrorDetails, ctx: FailureContext = {}): HeketiFailure {
  switch (code) {
    case 'VALIDATION':
      if (PARSE_REASONS.has(details.reason ?? '')) return { status: 422, text: 'request unable to be parsed' };
      return { status: details.reason === 'unprocessable' ? 422 : 400, text: message };
    case 'NOT_FOUND':
      return { status: 404, text: details.reason === 'reference' ? message : 'Id not found' };
    case 'ALREADY_EXISTS':
      if (details.kind === 'host') {
        // Heketi's own message carries a newline of its own before http.Error adds one.
        return { status: 409, text: `Hostname ${details.name ?? ''} already used by node with id ${hex(details.id)}\n` };
      }
      if (details.kind === 'cluster') return { status: 500, text: capacityText(details, ctx) };
      // Volume names are unique per kind across clusters here; Heketi's word for a clash is this.
      if (details.kind === 'volume') return { status: 500, text: `Volume name '${ctx.volumeName ?? ''}' already in use` };
      return { status: 409, text: message };
    case 'CONFLICT':
      return { status: 409, text: conflictText(details, message) };
    case 'INVALID_STATE':
      if (details.kind === 'block_volume') return { status: 500, text: blockText(details, ctx) };
      return { status: details.reason === 'not_failed' ? 400 : 500, text: invalidStateText(details, ctx) };
    case 'CAPACITY':
      return { status: 500, text: capacityText(details, ctx) };
    case 'UNAUTHENTICATED':
      return {
        status: 401,
        text: details.reason === 'missing_credentials' ? 'Required authorization token not found' : message,
      };
    case 'PERMISSION_DENIED':
      return { status: 401, text: 'Administrator access required' };
    case 'UNAVAILABLE':
      if (details.reason === 'maintenance') return { status: 503, text: 'Service disabled for maintenance' };
      if (details.reason === 'throttled') return { status: 429, text: 'Server busy. Retry operation later.' };
      return { status: 500, text: message };
    default:
      return assertNever(code);
  }
}

export const failureOf = (err: CoreError, ctx?: FailureContext): HeketiFailure => heketiFailure(err.code, err.message, err.details, ctx);

/** Errors Heketi's handlers word themselves (validation texts, auth texts): status and text as given. */
export const heketiError = (status: 400 | 401 | 404 | 422, text: string): CoreError =>
  status === 401
    ? new CoreError('UNAUTHENTICATED', text, { reason: 'jwt' })
    : status === 404
      ? new CoreError('NOT_FOUND', text, { reason: 'reference' })
      : new CoreError('VALIDATION', text, { reason: status === 422 ? 'unprocessable' : 'heketi' });

export const unparseable = (): CoreError => new CoreError('VALIDATION', 'request unable to be parsed', { reason: 'unparseable' });

export const renderer: ErrorRenderer = {
  render: (err) => {
    const { status, text } = failureOf(err);
    return errorWire(status, text);
  },
  // Heketi has no request ids; a Go handler's unexpected failure is a bare 500 text.
  internal: () => errorWire(500, 'Internal Server Error'),
  notFound: () => errorWire(404, 'Invalid path or request'),
};
