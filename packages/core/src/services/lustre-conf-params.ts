import { ConfParams } from '../model/filesystem';

/**
 * The Lustre tunables a manager may set (`lctl conf_param`), by the object they belong to, with the
 * checks the Lustre manager applies to their values and its help texts (abridged). Values are
 * strings, as Lustre takes them.
 */
export type ConfParamOwner = 'filesystem' | 'MDT' | 'OST';

interface ParamDef {
  owner: ConfParamOwner;
  help: string;
  /** Returns the problems with a value (empty when it is fine). */
  check: (value: string) => string[];
}

const integer =
  (min?: number, max?: number) =>
  (value: string): string[] => {
    if (!/^\s*[+-]?\d+\s*$/.test(value)) return ['Must be an integer'];
    const n = Number(value);
    if (min !== undefined && n < min) return [`Must be greater than or equal to ${min}`];
    if (max !== undefined && n > max) return [`Must be less than or equal to ${max}`];
    return [];
  };

const percentage = (value: string): string[] => (integer(0, 100)(value).length ? ['Must be an integer between 0 and 100'] : []);

const oneOf =
  (options: string[]) =>
  (value: string): string[] =>
    options.includes(value) ? [] : [`Must be one of [${options.map((o) => `'${o}'`).join(', ')}]`];

const UNIT: Record<string, number> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 };
const toBytes = (value: string): number => {
  const unit = UNIT[value.slice(-1).toLowerCase()];
  return unit ? parseFloat(value.slice(0, -1)) * unit : parseFloat(value);
};

/** A size: with `units`, a bare integer count of that unit; otherwise a number with an optional unit letter. */
const bytes =
  (units?: string, min?: string, max?: string) =>
  (value: string): string[] => {
    let size: number;
    if (units) {
      if (!/^\d+$/.test(value)) return [`Invalid size string (must be integer number of ${units})`];
      size = toBytes(value + units);
    } else {
      if (!/^\d+(\.\d+)?[ptgmkPTGMK]?$/.test(value)) return ['Invalid size string'];
      size = toBytes(value);
    }
    if (min && size < toBytes(min)) return [`Must be at least ${min} bytes`];
    if (max && size > toBytes(max)) return [`Must be at most ${max} bytes`];
    return [];
  };

const MANUAL = 'In the "Lustre Operations Manual"';
const threads = (owner: ConfParamOwner, service: string, what: string): Record<string, ParamDef> => ({
  [`${service}.threads_min`]: { owner, check: integer(), help: `Minimum thread count on ${what}. Default is set dynamically depending on RAM and CPU resources available on the server.` },
  [`${service}.threads_max`]: { owner, check: integer(), help: `Maximum thread count on ${what}. Default is set dynamically depending on RAM and CPU resources available on the server.` },
});

export const CONF_PARAMS: Record<string, ParamDef> = {
  'lov.stripesize': { owner: 'MDT', check: bytes(), help: `Default stripe size for the file system (specified as a value followed by a one-letter unit). Default is 4M. ${MANUAL}, see Section 36.14: mkfs.lustre.` },
  'lov.stripecount': { owner: 'MDT', check: integer(), help: `Default stripe count for the file system. Default is 1. ${MANUAL}, see Section 36.14: mkfs.lustre.` },
  'osc.active': { owner: 'OST', check: oneOf(['0', '1']), help: 'Controls whether an OST is in or out of service. Setting Active to 0 causes the OST to be deactivated. Setting Active to 1, restores the OST to service.' },
  'lov.qos_prio_free': { owner: 'MDT', check: percentage, help: 'Priority (value of 0 to 100) of free-space striping vs. distributing stripes across OSTs to maximize network balancing. Default is 90.' },
  'lov.qos_threshold_rr': { owner: 'MDT', check: integer(0, 100), help: 'Priority (value of 0 to 100) of round robin (RR) stripe allocation vs. quality of service (QOS). Default is 16.' },
  'llite.max_cached_mb': { owner: 'filesystem', check: bytes('m'), help: 'Maximum amount of inactive data (in MB) cached by the client. Default is 75% of available RAM in MB.' },
  'osc.max_dirty_mb': { owner: 'OST', check: bytes('m', '0m', '512m'), help: 'Amount of dirty data (0 to 512 in MBs) that can be written to and queued in the object storage client (OSC) including cached POSIX file writes. Default is 32.' },
  'osc.max_pages_per_rpc': { owner: 'OST', check: integer(1, 256), help: 'Maximum number of pages included in a single RPC I/O to the OST.' },
  'osc.max_rpcs_in_flight': { owner: 'OST', check: integer(1, 32), help: 'Maximum number (from 1 to 256) of RPCs being sent concurrently from an OSC to an OST. Default is 8.' },
  'llite.max_read_ahead_mb': { owner: 'filesystem', check: bytes('m'), help: 'Maximum amount of data (in MB) that is read into memory when the readahead conditions are met. Default is 40.' },
  'llite.max_read_ahead_whole_mb': { owner: 'filesystem', check: bytes('m'), help: 'Maximum size (in MB) of a file that is read in its entirety, when the read ahead algorithm is triggered. Default is 2 MB.' },
  'llite.statahead_max': { owner: 'filesystem', check: integer(0, 8192), help: 'Maximum number of files that can be pre-fetched by the statahead thread. Default is 32. Set to 0 to disable.' },
  'ost.read_cache_enable': { owner: 'OST', check: oneOf(['0', '1']), help: 'Controls whether data read from disk during a read request is kept in memory and available for later read requests for the same data. Default is 1 (read cache enabled).' },
  'ost.writethrough_cache_enable': { owner: 'OST', check: oneOf(['0', '1']), help: 'Controls whether data sent to the OSS as a write request is kept in the read cache for later reads. Default is 1 (writethrough cache enabled).' },
  'ost.readcache_max_filesize': { owner: 'OST', check: bytes(), help: 'Maximum size of a file (specified as value followed by a one-letter unit) that will be kept in memory by the read cache or writethrough cache. Default is "unlimited".' },
  'ost.sync_journal': { owner: 'OST', check: oneOf(['0', '1']), help: 'Controls whether a journal flush is forced after a bulk write or not. Default is 0.' },
  'ost.sync_on_lock_cancel': { owner: 'OST', check: oneOf(['always', 'blocking', 'never']), help: 'Controls if a journal is flushed or not when a lock is cancelled. Values are "always", "blocking", or "never". Default is "never".' },
  'sys.at_min': { owner: 'filesystem', check: integer(), help: 'Adaptive timeout lower-limit or minimum processing time reported by a server (in seconds). Default is 0.' },
  'sys.at_max': { owner: 'filesystem', check: integer(), help: 'Adaptive timeout upper-limit (in seconds). Default is 600. Set to 0 to disable adaptive timeouts.' },
  'sys.at_history': { owner: 'filesystem', check: integer(), help: 'Time period (in seconds) within which adaptive timeouts remember the slowest event that occurred. Default is 600.' },
  'sys.at_early_margin': { owner: 'filesystem', check: integer(), help: 'Time (in seconds) in advance of a queued request timeout at which the server sends a request to the client to extend the timeout time. Default is 5.' },
  'sys.at_extra': { owner: 'filesystem', check: integer(), help: 'Incremental time (in seconds) that a server requests the client to add to the timeout time. Default is 30.' },
  'sys.timeout': { owner: 'filesystem', check: integer(), help: 'Time (in seconds) that a client waits for a server to complete an RPC. Default is 100.' },
  'sys.ldlm_timeout': { owner: 'filesystem', check: integer(), help: 'Time (in seconds) that a server will wait for a client to reply to an initial AST (lock cancellation request). Default is 20 for an OST and 6 for an MDT.' },
  ...threads('MDT', 'mdt.MDS.mds', 'metadata server'),
  ...threads('MDT', 'mdt.MDS.mds_readpage', 'metadata server for readdir() operations'),
  ...threads('MDT', 'mdt.MDS.mds_setattr', 'metadata server for setattr() operations'),
  ...threads('OST', 'ost.OSS.ost', 'object storage server'),
  ...threads('OST', 'ost.OSS.ost_io', 'object storage server for bulk data I/O'),
  ...threads('OST', 'ost.OSS.ost_create', 'object storage server for object pre-creation operations'),
  'mdt.hsm_control': { owner: 'MDT', check: oneOf(['enabled', 'shutdown', 'disabled', 'purge']), help: 'Controls if HSM is enabled for this MDT\'s filesystem. Values are "enabled", "shutdown", "disabled", or "purge". Default is "disabled".' },
};

const ONLY: Record<ConfParamOwner, string> = { filesystem: 'Only valid for Filesystem', MDT: 'Only valid for MDT', OST: 'Only valid for OST' };

/**
 * Problems per key with parameters for an object of `owner` kind (empty when all is well), in the
 * Lustre manager's words. A null value means "unset" and is always acceptable.
 */
export function checkConfParams(owner: ConfParamOwner, params: Record<string, unknown>): Record<string, string[]> {
  // A Map, not an object literal: a key such as "__proto__" must be reported, not assigned a prototype.
  const errors = new Map<string, string[]>();
  for (const [key, value] of Object.entries(params)) {
    if (value === null) continue;
    if (typeof value !== 'string') {
      errors.set(key, ['Must be a string']);
      continue;
    }
    if (value.trim() !== value) {
      errors.set(key, ['May not contain leading or trailing spaces']);
      continue;
    }
    const def = Object.prototype.hasOwnProperty.call(CONF_PARAMS, key) ? CONF_PARAMS[key] : undefined;
    if (!def) {
      errors.set(key, ['Unknown parameter']);
      continue;
    }
    const problems = [...(def.owner !== owner ? [ONLY[def.owner]] : []), ...def.check(value)];
    if (problems.length) errors.set(key, problems);
  }
  return Object.fromEntries(errors);
}

/** Every parameter an object of this kind can carry, set ones with their value and the rest null. */
export function confParamsView(owner: ConfParamOwner, set: ConfParams | undefined): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [key, def] of Object.entries(CONF_PARAMS)) if (def.owner === owner) out[key] = set?.[key] ?? null;
  return out;
}

/** Applies changes (null removes a key); returns the new set, or null when nothing changes. */
export function mergeConfParams(current: ConfParams | undefined, changes: Record<string, string | null>): ConfParams | null {
  const next: ConfParams = { ...(current ?? {}) };
  let changed = false;
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) {
      if (key in next) {
        delete next[key];
        changed = true;
      }
    } else if (next[key] !== value) {
      next[key] = value;
      changed = true;
    }
  }
  return changed ? next : null;
}

/** Help texts for the parameters of some kinds, or for some keys (unknown keys are left out). */
export function confParamHelp(owners: ConfParamOwner[] | null, keys: string[] | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, def] of Object.entries(CONF_PARAMS)) {
    if (owners && !owners.includes(def.owner)) continue;
    if (keys && !keys.includes(key)) continue;
    out[key] = def.help;
  }
  return out;
}
