import { coalescedReads } from './coalesced-reads';
import { CoreError } from '../errors';
import { Filesystem, Target, TargetKind } from '../model/filesystem';
import { Host, LustreHostState } from '../model/host';
import { Copytool } from '../model/lustre-objects';
import { LustreAlertDismissal } from '../model/lustre-alert';
import { AffectedObject, Job, JobKind } from '../model/job';
import { eq } from '../ports/query';
import { Repositories, StampedTable } from '../ports/repositories';
import { ServiceDeps } from './deps';
import { JobService } from './job-service';
import { mustGet, mustLock } from './reads';
import { Checks } from './validate';
import { LustreHaService, assertConfParams, createLustreHaService, moveRequest, placeTarget } from './lustre-ha-service';
import { JobRequest } from './job-service';

/** The Lustre objects with a life cycle, and the state each can be driven to. */
export type LustreObject = 'host' | 'lnet' | 'target' | 'filesystem' | 'copytool';

/** What a Lustre state machine runs on. */
export type LustreEntity = Host | Target | Filesystem | Copytool;

interface Machine {
  states: readonly string[];
  /** Direct transitions: each is one unit of work on the servers. */
  edges: readonly (readonly [string, string])[];
}

export const LUSTRE_MACHINES: Record<LustreObject, Machine> = {
  host: {
    states: ['unconfigured', 'packages_installed', 'managed', 'monitored', 'working', 'removed'],
    edges: [
      ['unconfigured', 'packages_installed'],
      ['packages_installed', 'managed'],
      ['packages_installed', 'monitored'],
      ['packages_installed', 'working'],
      ['unconfigured', 'removed'],
      ['packages_installed', 'removed'],
      ['managed', 'removed'],
      ['monitored', 'removed'],
      ['working', 'removed'],
    ],
  },
  lnet: {
    states: ['unconfigured', 'lnet_unloaded', 'lnet_down', 'lnet_up'],
    edges: [
      ['unconfigured', 'lnet_unloaded'],
      ['lnet_unloaded', 'lnet_down'],
      ['lnet_down', 'lnet_up'],
      ['lnet_up', 'lnet_down'],
      ['lnet_down', 'lnet_unloaded'],
      ['lnet_unloaded', 'unconfigured'],
    ],
  },
  target: {
    states: ['unformatted', 'formatted', 'registered', 'unmounted', 'mounted', 'removed', 'forgotten'],
    edges: [
      ['unmounted', 'forgotten'],
      ['mounted', 'forgotten'],
      ['unformatted', 'formatted'],
      ['formatted', 'registered'],
      ['registered', 'unmounted'],
      ['unmounted', 'mounted'],
      ['mounted', 'unmounted'],
      ['unmounted', 'removed'],
      ['unformatted', 'removed'],
      ['formatted', 'removed'],
      ['registered', 'removed'],
    ],
  },
  copytool: {
    states: ['unconfigured', 'stopped', 'started', 'removed'],
    edges: [
      ['unconfigured', 'stopped'],
      ['stopped', 'started'],
      ['started', 'stopped'],
      ['stopped', 'removed'],
      ['unconfigured', 'removed'],
    ],
  },
  filesystem: {
    states: ['unavailable', 'stopped', 'available', 'removed', 'forgotten'],
    edges: [
      ['unavailable', 'forgotten'],
      ['stopped', 'forgotten'],
      ['available', 'forgotten'],
      ['stopped', 'available'],
      ['unavailable', 'available'],
      ['unavailable', 'stopped'],
      ['available', 'unavailable'],
      ['stopped', 'removed'],
    ],
  },
};

/** Shortest chain of states from one to another (both ends included), or null when none leads there. */
export function lustreRoute(object: LustreObject, from: string, to: string): string[] | null {
  const { edges } = LUSTRE_MACHINES[object];
  const previous = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  while (queue.length) {
    const state = queue.shift()!;
    if (state === to) {
      const route = [state];
      for (let p = previous.get(state); p != null; p = previous.get(p)) route.unshift(p);
      return route;
    }
    for (const [a, b] of edges) {
      if (a !== state || previous.has(b)) continue;
      previous.set(b, state);
      queue.push(b);
    }
  }
  return null;
}

const reachableCache = new Map<string, { state: string; route: string[] }[]>();

/** Every state reachable from `from`, with the route to it, nearest first (the machines are fixed, so it is computed once). */
export function lustreReachable(object: LustreObject, from: string): { state: string; route: string[] }[] {
  const key = `${object}:${from}`;
  const cached = reachableCache.get(key);
  if (cached) return cached;
  const computed = LUSTRE_MACHINES[object].states
    .filter((s) => s !== from)
    .map((state) => ({ state, route: lustreRoute(object, from, state) }))
    .filter((r): r is { state: string; route: string[] } => r.route !== null)
    .sort((a, b) => a.route.length - b.route.length);
  reachableCache.set(key, computed);
  return computed;
}

export interface LustreTargetSpec {
  deviceId: string;
  /** Lustre tunables to set on the new target. */
  confParams?: Record<string, string | null>;
}

export interface NewLustreFilesystem {
  name: string;
  /** A new MGT on a device, or an existing MGT shared with other filesystems. */
  mgt: { deviceId: string } | { targetId: string };
  mdts: LustreTargetSpec[];
  osts: LustreTargetSpec[];
  confParams?: Record<string, string | null>;
}

/** One job of a command a client composes: a server power action or a target move. */
export type CommandItem =
  | { action: HostAction; hostId: string }
  | { action: 'failover' | 'failback'; targetId: string };

/** What a command may do to a server: power, reboot, or have it re-read its NIDs, devices or targets. */
export type HostAction = 'power_on' | 'power_off' | 'shutdown' | 'reboot' | 'update_nids' | 'detect_devices' | 'detect_targets';

const HOST_ACTION_KINDS: Record<Exclude<HostAction, 'power_on' | 'power_off' | 'shutdown'>, JobKind> = {
  reboot: 'host.reboot',
  update_nids: 'host.update_nids',
  detect_devices: 'host.detect_devices',
  detect_targets: 'host.detect_targets',
};

export interface StatePlan {
  object: LustreObject;
  id: string;
  from: string;
  to: string;
  route: string[];
  kind: JobKind;
}

export interface LustreService extends LustreHaService {
  /** Takes a server under management (a new host, or a known host not yet managed) and deploys it. */
  addServer(input: { address: string; profile: string; origin: string; state?: LustreHostState }): Promise<{ host: Host; job: Job }>;
  /** Tests whether an address could become a server; the job's result holds the checks. */
  probeServer(input: { address: string; origin: string }): Promise<Job>;
  createFilesystem(input: NewLustreFilesystem & { origin: string }): Promise<{ filesystem: Filesystem; job: Job }>;
  /** Adds a target on a free device (an OST or MDT to a filesystem, or a standalone MGT) and brings it up. */
  addTarget(input: { kind: TargetKind; deviceId: string; filesystemId: string | null; origin: string }): Promise<{ target: Target; job: Job }>;
  /** Adds several targets at once, all brought up by one job (IML's bulk target creation). */
  addTargets(specs: { kind: TargetKind; deviceId: string; filesystemId: string | null }[], origin: string): Promise<{ targets: Target[]; job: Job }>;
  /** What driving an object to a state would take; null when it is already there. */
  planState(object: LustreObject, id: string, state: string): Promise<StatePlan | null>;
  /** Drives an object to a state through a job; null when it is already there. */
  setState(object: LustreObject, id: string, state: string, origin: string): Promise<Job | null>;
  /**
   * Whether the manager only monitors an object (IML's immutable_state): a target on a monitored
   * server, a filesystem all of whose targets are. Such objects can only be forgotten.
   */
  immutable(object: LustreObject, entity: LustreEntity): Promise<boolean>;
  /** States worth offering for an object now (routes exist and the object's kind allows them). */
  offeredStates(object: LustreObject, entity: LustreEntity, immutable?: boolean): Promise<{ state: string; route: string[] }[]>;
  /**
   * Runs several jobs as one command: all are recorded in one transaction (any refusal records
   * none), the first is the command's own job and the others point at it. Returns them in order.
   */
  runCommand(items: CommandItem[], origin: string, message?: string): Promise<Job[]>;
  /** Switches a server's power through its power controller (the host's IPMI). */
  powerServer(hostId: string, on: boolean, origin: string, how?: { shutdown?: boolean }): Promise<Job>;
  /** Jobs not yet ended that hold each object (by core id), for lock display. */
  activeJobs(): Promise<Job[]>;
  /** Changes whenever anything a Lustre view is computed from (hosts, targets, filesystems, jobs, devices) is written, by any process. */
  changeStamp(): Promise<string>;
  /** Which of these alert ids a user has dismissed, with the begin time each dismissal was for. */
  dismissals(alertIds: number[]): Promise<LustreAlertDismissal[]>;
  /** Records alerts as dismissed; dismissing one twice is no change. */
  dismissAlerts(alerts: { alertId: number; begin: Date }[]): Promise<void>;
  /** Takes a dismissal back. */
  undismissAlert(alert: { alertId: number; begin: Date }): Promise<void>;
}


const LUSTRE_TABLES: StampedTable[] = ['hosts', 'targets', 'filesystems', 'jobs', 'devices', 'device_paths', 'lustre_client_mounts', 'lustre_copytools'];

/** Keys set to null are "unset": a new object simply does not carry them. */
const setOnly = (params: Record<string, string | null> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(params ?? {}).filter((e): e is [string, string] => e[1] !== null));

async function hostRequest(tx: Repositories, hostId: string, action: HostAction): Promise<Omit<JobRequest, 'origin'>> {
  const host = await mustGet(tx.hosts, 'host', hostId);
  const input = { hostId, name: host.name, ...(action === 'shutdown' ? { shutdown: true } : {}) };
  const kind: JobKind = action === 'power_on' ? 'host.power_on' : action === 'power_off' || action === 'shutdown' ? 'host.power_off' : HOST_ACTION_KINDS[action];
  return { kind, input, affected: [{ kind: 'host', id: hostId }] };
}

/** IML's copytool label: filesystem, program, archive and instance. */
export async function copytoolLabel(tx: Repositories, id: string): Promise<string> {
  const ct = await mustGet(tx.copytools, 'copytool', id);
  const fs = await tx.filesystems.get(ct.filesystemId);
  return `${fs?.name ?? ''}-${ct.binPath.split('/').pop()}-${ct.archive}-${ct.index}`;
}

async function isImmutable(tx: Repositories, object: LustreObject, entity: LustreEntity): Promise<boolean> {
  if (object !== 'target' && object !== 'filesystem') return false;
  const targets: Target[] =
    object === 'target'
      ? [entity as Target]
      : await tx.targets.list({ filter: { any: [eq('filesystemId', entity.id), ...((entity as Filesystem).mgtId ? [eq('id', (entity as Filesystem).mgtId)] : [])] } });
  if (!targets.length) return false;
  const hosts = await tx.hosts.list({ filter: { field: 'id', op: 'in', value: [...new Set(targets.map((t) => t.hostId))] } });
  return onlyMonitored(hosts);
}

/** Objects on monitored servers only are the manager's to watch, not to change. */
export const onlyMonitored = (hosts: Host[]): boolean => hosts.length > 0 && hosts.every((h) => h.lustreState === 'monitored');

const invalid = (object: LustreObject, id: string, state: string, reason: string, message: string): CoreError =>
  new CoreError('INVALID_STATE', message, { kind: object, id, state, reason });

const KIND_PREFIX: Record<TargetKind, string> = { MGT: 'MGT', MDT: 'MDT', OST: 'OST' };
const targetName = (fs: string, kind: TargetKind, index: number): string =>
  kind === 'MGT' ? 'MGS' : `${fs}-${KIND_PREFIX[kind]}${index.toString(16).padStart(4, '0')}`;

async function currentState(tx: Repositories, object: LustreObject, id: string, lock: boolean): Promise<string> {
  const pick = async <E>(repo: Parameters<typeof mustLock<E>>[0], kind: string): Promise<E> =>
    lock ? mustLock(repo, kind, id) : mustGet(repo, kind, id);
  switch (object) {
    case 'host':
      return (await pick<Host>(tx.hosts, 'host')).lustreState ?? 'managed';
    case 'lnet':
      return (await pick<Host>(tx.hosts, 'host')).lnetState ?? 'lnet_up';
    case 'target':
      return (await pick<Target>(tx.targets, 'target')).state;
    case 'filesystem':
      return (await pick<Filesystem>(tx.filesystems, 'filesystem')).state;
    case 'copytool':
      return (await pick<Copytool>(tx.copytools, 'copytool')).state;
  }
}

/** Which job carries an object to a state; the job's steps walk whatever intermediate states the route has. */
function jobFor(object: LustreObject, to: string): JobKind | null {
  switch (object) {
    case 'host':
      return to === 'removed' ? 'host.retire' : to === 'unconfigured' ? null : 'host.deploy';
    case 'lnet':
      return 'host.set_lnet_state';
    case 'target':
      return to === 'mounted' ? 'target.start' : to === 'unmounted' ? 'target.stop' : to === 'removed' ? 'target.remove' : to === 'forgotten' ? 'target.forget' : null;
    case 'filesystem':
      return to === 'available'
        ? 'filesystem.start'
        : to === 'stopped'
          ? 'filesystem.stop'
          : to === 'removed'
            ? 'filesystem.remove'
            : to === 'forgotten'
              ? 'filesystem.forget'
              : null;
    case 'copytool':
      return 'copytool.set_state';
  }
}

function jobInput(object: LustreObject, id: string, to: string): { input: Record<string, unknown>; affected: AffectedObject[] } {
  switch (object) {
    case 'host':
    case 'lnet':
      return { input: { hostId: id, state: to }, affected: [{ kind: object === 'lnet' ? 'lnet' : 'host', id }] };
    case 'target':
      return { input: { targetId: id, state: to }, affected: [{ kind: 'target', id }] };
    case 'filesystem':
      return { input: { filesystemId: id, state: to }, affected: [{ kind: 'filesystem', id }] };
    case 'copytool':
      return { input: { copytoolId: id, state: to }, affected: [{ kind: 'copytool', id }] };
  }
}

export function createLustreService(deps: ServiceDeps, jobs: JobService): LustreService {
  const { store } = deps;
  const changeStamp = coalescedReads(() => store.changeStamp(LUSTRE_TABLES));
  async function plan(tx: Repositories, object: LustreObject, id: string, to: string, lock: boolean): Promise<StatePlan | null> {
    const from = await currentState(tx, object, id, lock);
    if (!LUSTRE_MACHINES[object].states.includes(to)) throw invalid(object, id, to, 'unknown_state', `${to} is not a ${object} state`);
    if (from === to) return null;
    const route = lustreRoute(object, from, to);
    const kind = jobFor(object, to);
    if (!route || !kind) throw invalid(object, id, to, 'no_route', `${object} ${id} cannot go from ${from} to ${to}`);
    if (kind === 'host.retire' && (await tx.targets.count(eq('hostId', id))) > 0) {
      throw new CoreError('CONFLICT', `host ${id} still serves targets`, { kind: 'host', id, reason: 'has_children' });
    }
    if (kind === 'target.remove') {
      const target = await mustGet(tx.targets, 'target', id);
      if (target.kind === 'MGT' && (await tx.filesystems.count(eq('mgtId', id))) > 0) {
        throw new CoreError('CONFLICT', `MGT ${id} still serves filesystems`, { kind: 'target', id, reason: 'has_children' });
      }
      if (target.kind === 'MDT') throw invalid(object, id, to, 'no_route', 'an MDT is removed with its filesystem');
    }
    return { object, id, from, to, route, kind };
  }

  async function deviceFree(tx: Repositories, deviceId: string): Promise<void> {
    const device = await mustLock(tx.devices, 'device', deviceId);
    if (device.usedBytes > 0 || (await tx.targets.count(eq('deviceId', deviceId))) > 0 || (await tx.bricks.count(eq('deviceId', deviceId))) > 0) {
      throw new CoreError('CONFLICT', `device ${deviceId} is in use`, { kind: 'device', id: deviceId, reason: 'in_use' });
    }
    await tx.devices.adjustUsed(deviceId, device.sizeBytes);
  }

  const addTargets: LustreService['addTargets'] = async (specs, origin) => {
    if (!specs.length) throw new CoreError('VALIDATION', 'no targets to add', { fields: [{ field: 'targets', problem: 'must not be empty' }] });
    for (const { kind, filesystemId } of specs) {
      if (kind !== 'MGT' && !filesystemId) {
        throw new CoreError('VALIDATION', `a ${kind} belongs to a filesystem`, { fields: [{ field: 'filesystemId', problem: 'is required' }] });
      }
    }
    const { targets, job } = await store.transaction(async (tx) => {
      const targets: Target[] = [];
      for (const { kind, deviceId, filesystemId } of specs) {
        const fs = filesystemId ? await mustLock(tx.filesystems, 'filesystem', filesystemId) : undefined;
        await deviceFree(tx, deviceId);
        const device = await mustGet(tx.devices, 'device', deviceId);
        const placed = await placeTarget(tx, device);
        let index = 0;
        if (fs) {
          // Targets added earlier in this transaction count, so a batch numbers its OSTs in order.
          const siblings = await tx.targets.list({ filter: { all: [eq('filesystemId', fs.id), eq('kind', kind)] } });
          index = siblings.reduce((n, t) => Math.max(n, t.index + 1), 0);
        }
        targets.push(
          await tx.targets.insert({
            kind,
            index,
            filesystemId: kind === 'MGT' ? null : (fs?.id ?? null),
            name: fs ? targetName(fs.name, kind, index) : 'MGS',
            deviceId,
            hostId: placed.hostId,
            failoverHostId: placed.failoverHostId,
            state: 'unformatted',
          }),
        );
      }
      const input = { targetId: targets[0].id, targetIds: targets.map((t) => t.id), name: targets.map((t) => t.name).join(', ') };
      const job = await jobs.record(tx, { kind: 'target.create', origin, input, affected: targets.map((t) => ({ kind: 'target' as const, id: t.id })) });
      return { targets, job };
    });
    await jobs.dispatch(job);
    return { targets, job };
  };

  return {
    ...createLustreHaService(deps, jobs),
    async addServer({ address, profile, origin, state = 'managed' }) {
      new Checks().name(address, 'address').done('invalid server');
      const { host, job } = await store.transaction(async (tx) => {
        const known = (await tx.hosts.list({ filter: eq('name', address), limit: 1 }))[0];
        let host: Host;
        if (known) {
          if (known.lustreState !== 'removed') {
            throw new CoreError('ALREADY_EXISTS', `host ${address} is already managed`, { kind: 'host', name: address, id: known.id });
          }
          host = await tx.hosts.update(known.id, { lustreState: 'unconfigured', lnetState: 'unconfigured', serverProfile: profile });
        } else {
          const site =
            (await tx.sites.list({ order: [{ field: 'seq', direction: 'asc' }], limit: 1 }))[0] ?? (await tx.sites.insert({ name: 'lustre' }));
          host = await tx.hosts.insert({
            siteId: site.id,
            name: address,
            managementAddress: address,
            lustreState: 'unconfigured',
            lnetState: 'unconfigured',
            serverProfile: profile,
          });
        }
        const job = await jobs.record(tx, { kind: 'host.deploy', origin, input: { hostId: host.id, state, name: host.name }, affected: [{ kind: 'host', id: host.id }] });
        return { host, job };
      });
      await jobs.dispatch(job);
      return { host, job };
    },
    async probeServer({ address, origin }) {
      return jobs.start({ kind: 'host.probe', origin, input: { address } });
    },
    async createFilesystem(input) {
      new Checks()
        .name(input.name, 'name', 8)
        .require(/^[A-Za-z0-9_-]*$/.test(input.name), 'name', 'may hold only letters, digits, _ and -')
        .require(input.mdts.length > 0, 'mdts', 'needs at least one MDT')
        .require(input.osts.length > 0, 'osts', 'needs at least one OST')
        .done('invalid filesystem');
      assertConfParams('filesystem', input.confParams ?? {});
      for (const spec of input.mdts) assertConfParams('MDT', spec.confParams ?? {});
      for (const spec of input.osts) assertConfParams('OST', spec.confParams ?? {});
      const { filesystem, job } = await store.transaction(async (tx) => {
        if ((await tx.filesystems.count(eq('name', input.name))) > 0) {
          throw new CoreError('ALREADY_EXISTS', `filesystem ${input.name} exists`, { kind: 'filesystem', name: input.name });
        }
        let mgt: Target;
        if ('targetId' in input.mgt) {
          mgt = await mustLock(tx.targets, 'target', input.mgt.targetId);
          if (mgt.kind !== 'MGT') throw new CoreError('VALIDATION', `target ${mgt.id} is not an MGT`, { fields: [{ field: 'mgt', problem: 'is not an MGT' }] });
        } else {
          await deviceFree(tx, input.mgt.deviceId);
          const device = await mustGet(tx.devices, 'device', input.mgt.deviceId);
          const placed = await placeTarget(tx, device);
          const sharing = await tx.targets.count({ all: [eq('hostId', placed.hostId), eq('kind', 'MGT')] });
          if (sharing > 0) throw new CoreError('CONFLICT', `host ${placed.hostId} already serves an MGS`, { kind: 'device', id: device.id, reason: 'one_mgs_per_host' });
          mgt = await tx.targets.insert({ kind: 'MGT', name: 'MGS', deviceId: device.id, ...placed, state: 'unformatted' });
        }
        const fs = await tx.filesystems.insert({ name: input.name, state: 'unavailable', mgtId: mgt.id, confParams: setOnly(input.confParams) });
        const add = async (kind: TargetKind, specs: LustreTargetSpec[]): Promise<void> => {
          for (const [index, spec] of specs.entries()) {
            await deviceFree(tx, spec.deviceId);
            const device = await mustGet(tx.devices, 'device', spec.deviceId);
            const placed = await placeTarget(tx, device);
            await tx.targets.insert({ kind, index, filesystemId: fs.id, name: targetName(fs.name, kind, index), deviceId: device.id, ...placed, state: 'unformatted', confParams: setOnly(spec.confParams) });
          }
        };
        await add('MDT', input.mdts);
        await add('OST', input.osts);
        const job = await jobs.record(tx, { kind: 'filesystem.create', origin: input.origin, input: { filesystemId: fs.id, name: fs.name }, affected: [{ kind: 'filesystem', id: fs.id }] });
        return { filesystem: fs, job };
      });
      await jobs.dispatch(job);
      return { filesystem, job };
    },
    async addTarget({ kind, deviceId, filesystemId, origin }) {
      const { targets, job } = await addTargets([{ kind, deviceId, filesystemId }], origin);
      return { target: targets[0], job };
    },
    addTargets,
    planState: (object, id, state) => store.transaction((tx) => plan(tx, object, id, state, false)),
    async setState(object, id, state, origin) {
      const job = await store.transaction(async (tx) => {
        const p = await plan(tx, object, id, state, true);
        if (!p) return null;
        const { input, affected } = jobInput(object, id, state);
        const named =
          object === 'target'
            ? await tx.targets.get(id)
            : object === 'filesystem'
              ? await tx.filesystems.get(id)
              : object === 'copytool'
                ? { name: await copytoolLabel(tx, id) }
                : await tx.hosts.get(id);
        return jobs.record(tx, { kind: p.kind, origin, input: { ...input, from: p.from, name: named?.name }, affected });
      });
      return job ? jobs.dispatch(job) : null;
    },
    immutable: (object, entity) => isImmutable(store.repos, object, entity),
    async offeredStates(object, entity, immutable) {
      const from: string =
        object === 'host'
          ? ((entity as Host).lustreState ?? 'managed')
          : object === 'lnet'
            ? ((entity as Host).lnetState ?? 'lnet_up')
            : (entity as Target | Filesystem | Copytool).state;
      let offered = lustreReachable(object, from).filter((r) => jobFor(object, r.state) !== null);
      // Monitored objects can only be forgotten (a target only if it is an MGT serving nothing);
      // managed ones are never offered forgetting.
      if (object === 'target' || object === 'filesystem') {
        const fixed = immutable ?? (await isImmutable(store.repos, object, entity));
        offered = offered.filter((r) => (r.state === 'forgotten') === fixed);
        if (fixed && object === 'target' && ((entity as Target).kind !== 'MGT' || (await store.repos.filesystems.count(eq('mgtId', entity.id))) > 0)) offered = [];
      }
      if (object === 'target') {
        const target = entity as Target;
        if (target.kind === 'MDT') offered = offered.filter((r) => r.state !== 'removed' && r.state !== 'forgotten');
        if (target.kind === 'MGT' && (await store.repos.filesystems.count(eq('mgtId', target.id))) > 0) offered = offered.filter((r) => r.state !== 'removed');
      }
      if (object === 'filesystem' && from === 'unavailable') {
        const mounted = await store.repos.targets.count({ all: [eq('filesystemId', entity.id), eq('state', 'mounted')] });
        if (mounted === 0) offered = offered.filter((r) => r.state !== 'stopped');
      }
      return offered;
    },
    async powerServer(hostId, on, origin, how = {}) {
      const request = await hostRequest(store.repos, hostId, on ? 'power_on' : how.shutdown ? 'shutdown' : 'power_off');
      return jobs.start({ ...request, origin });
    },
    async runCommand(items, origin, message) {
      if (!items.length) throw new CoreError('VALIDATION', 'a command needs at least one job', { fields: [{ field: 'jobs', problem: 'must not be empty' }] });
      const recorded = await store.transaction(async (tx) => {
        const out: Job[] = [];
        for (const item of items) {
          const request =
            'targetId' in item
              ? await moveRequest(tx, item.targetId, item.action === 'failover' ? 'failover' : 'primary')
              : await hostRequest(tx, item.hostId, item.action);
          const input = out.length === 0 && message !== undefined ? { ...request.input, message } : request.input;
          out.push(await jobs.record(tx, { ...request, input, origin, ...(out.length ? { commandJobId: out[0].id } : {}) }));
        }
        return out;
      });
      for (const job of recorded) await jobs.dispatch(job);
      return recorded;
    },
    activeJobs: () => store.repos.jobs.list({ filter: { field: 'state', op: 'in', value: ['queued', 'running'] } }),
    changeStamp,
    async dismissals(alertIds) {
      if (!alertIds.length) return [];
      return store.repos.lustreAlertDismissals.list({ filter: { field: 'alertId', op: 'in', value: [...new Set(alertIds)] } });
    },
    async dismissAlerts(alerts) {
      if (!alerts.length) return;
      const key = (a: { alertId: number; begin: Date }): string => `${a.alertId}@${a.begin.getTime()}`;
      try {
        await store.transaction(async (tx) => {
          const known = await tx.lustreAlertDismissals.list({ filter: { field: 'alertId', op: 'in', value: [...new Set(alerts.map((a) => a.alertId))] } });
          const have = new Set(known.map(key));
          const fresh = [...new Map(alerts.filter((a) => !have.has(key(a))).map((a) => [key(a), a])).values()];
          if (fresh.length) await tx.lustreAlertDismissals.insertMany(fresh.map((a) => ({ alertId: a.alertId, begin: a.begin })));
        });
      } catch (err) {
        // A concurrent dismissal of the same alert got there first: the outcome is the one asked for.
        if ((err as { code?: string }).code !== 'ALREADY_EXISTS') throw err;
      }
    },
    async undismissAlert({ alertId, begin }) {
      await store.transaction(async (tx) => {
        const rows = await tx.lustreAlertDismissals.list({ filter: { all: [{ field: 'alertId', op: 'eq', value: alertId }, { field: 'begin', op: 'eq', value: begin }] } });
        for (const row of rows) await tx.lustreAlertDismissals.delete(row.id);
      });
    },
  };
}
