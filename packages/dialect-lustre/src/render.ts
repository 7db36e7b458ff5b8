import { Device, DeviceNode, Filesystem, Host, Job, JobStep, LustreAccount, LustreObject, Target, confParamsView } from '@rosetta/core';
import { awareIso, naiveIso } from './wire-json';
import { GROUPS } from './auth';

/** Stable content type ids: installation-specific in IML, so any fixed integers do as long as they agree everywhere. */
export const CONTENT_TYPES = { host: 13, lnet_configuration: 61, target: 37, filesystem: 24, volume: 41, volume_node: 42, job: 33, copytool: 70 } as const;

/** IML step ids are rows of their own; here a step is (job, index), so its id packs both. */
export const STEP_STRIDE = 100;
export const stepId = (job: Job, index: number): number => job.seq * STEP_STRIDE + index;
export const stepOf = (id: number): { jobSeq: number; index: number } => ({ jobSeq: Math.floor(id / STEP_STRIDE), index: id % STEP_STRIDE });

export const uri = (base: string, resource: string, id: number | string): string => `${base}/api/${resource}/${id}/`;

/** Verb of the last job on a route: null verbs are never offered (IML's state_verb = None). */
const VERBS: Record<LustreObject, Record<string, string | null>> = {
  host: {
    'unconfigured->packages_installed': null,
    'packages_installed->managed': 'Setup managed server',
    'packages_installed->monitored': 'Setup monitored server',
    'packages_installed->working': 'Setup worker server',
    '*->removed': 'Remove',
  },
  lnet: {
    'unconfigured->lnet_unloaded': null,
    'lnet_unloaded->lnet_down': 'Load LNet',
    'lnet_down->lnet_up': 'Start LNet',
    'lnet_up->lnet_down': 'Stop LNet',
    'lnet_down->lnet_unloaded': 'Unload LNet',
    'lnet_unloaded->unconfigured': null,
  },
  target: { 'unmounted->mounted': 'Start', 'mounted->unmounted': 'Stop', '*->removed': 'Remove', '*->forgotten': 'Forget' },
  // IML's copytool jobs: configuring has no verb of its own.
  copytool: { 'unconfigured->stopped': null, 'stopped->started': 'Start', 'started->stopped': 'Stop', '*->removed': 'Remove' },
  filesystem: {
    'stopped->available': 'Start',
    'unavailable->available': 'Start',
    'unavailable->stopped': 'Stop',
    'available->unavailable': null,
    'stopped->removed': 'Remove',
    '*->forgotten': 'Forget',
  },
};

export function verbOf(object: LustreObject, route: string[]): string | null {
  const from = route[route.length - 2];
  const to = route[route.length - 1];
  const table = VERBS[object];
  const key = `${from}->${to}`;
  if (key in table) return table[key];
  return table[`*->${to}`] ?? null;
}

const LONG: Record<string, string> = {
  Remove: 'Remove this object from the manager',
  Forget: 'Forget this object: the manager stops monitoring it and leaves the servers untouched',
  Start: 'Start this object',
  Stop: 'Stop this object',
  'Start LNet': 'Start the LNet networking layer',
  'Stop LNet': 'Stop the LNet networking layer',
  'Load LNet': 'Load the LNet kernel modules',
  'Unload LNet': 'Unload the LNet kernel modules',
};

export interface Transition {
  state: string;
  verb: string;
  long_description: string;
  display_group: number;
  display_order: number;
}

export function transitions(object: LustreObject, offered: { state: string; route: string[] }[]): Transition[] {
  const out: Transition[] = [];
  for (const [order, o] of offered.entries()) {
    const verb = verbOf(object, o.route);
    if (!verb) continue;
    out.push({ state: o.state, verb, long_description: LONG[verb] ?? verb, display_group: o.state === 'removed' || o.state === 'forgotten' ? 4 : 2, display_order: 10 + order * 10 });
  }
  return out;
}

export interface Locks {
  read: number[];
  write: number[];
}

export interface AvailableJob {
  verb: string;
  long_description: string;
  display_group: number;
  display_order: number;
  confirmation: string | null;
  class_name: string;
  args: Record<string, unknown>;
}

export interface StatefulExtras {
  transitions: Transition[];
  locks: Locks;
  jobs?: AvailableJob[];
  /** IML's immutable_state: the object is only monitored. */
  immutable?: boolean;
}

/** Jobs IML offers on a server: the power ones need a power controller (the host's BMC). */
export function hostJobs(h: Host): AvailableJob[] {
  const args = { host_id: h.seq };
  const job = (class_name: string, verb: string, long: string, order: number, confirmation: string | null): AvailableJob => ({
    args,
    class_name,
    confirmation,
    display_group: 5,
    display_order: order,
    long_description: long,
    verb,
  });
  const out: AvailableJob[] = [];
  if (h.power === 'on') {
    out.push(
      job(
        'RebootHostJob',
        'Reboot',
        'Initiate a reboot on the host. Any HA-capable targets running on the host will be failed over to a peer. Non-HA-capable targets will be unavailable until the host has finished rebooting.',
        50,
        `Initiate a reboot on ${h.name}?`,
      ),
    );
    out.push(job('ShutdownHostJob', 'Shutdown', 'Initiate an orderly shutdown on the server.', 60, `Initiate an orderly shutdown on ${h.name}?`));
    if (h.ipmi.address) out.push(job('PowerOffHostJob', 'Power Off', 'Switch power off for this server.', 80, `Switch power off for ${h.name}?`));
  } else if (h.ipmi.address) {
    out.push(job('PowerOnHostJob', 'Power On', 'Switch power on for this server.', 70, null));
  }
  return out;
}

/** IML's target jobs: fail over to the failover server while on the primary, fail back while not. */
export function targetJobs(t: Target, hosts: Map<string, Host>): AvailableJob[] {
  if (t.state !== 'mounted' || !t.failoverHostId) return [];
  const active = t.activeHostId ?? t.hostId;
  const job = (class_name: string, verb: string, long: string, to: Host | undefined): AvailableJob => ({
    args: { target_id: t.seq },
    class_name,
    confirmation: `${verb} ${t.name} to ${to?.name ?? 'its peer'}?`,
    display_group: 3,
    display_order: class_name === 'FailoverTargetJob' ? 90 : 100,
    long_description: long,
    verb,
  });
  return active === t.hostId
    ? [job('FailoverTargetJob', 'Failover', 'Forcibly migrate the target to its failover server.', hosts.get(t.failoverHostId))]
    : [job('FailbackTargetJob', 'Failback', 'Migrate the target back to its primary server.', hosts.get(t.hostId))];
}

/** The stateful fields of an object of a resource with a content type of its own (copytools). */
export const renderStateful = (base: string, resource: keyof typeof CONTENT_TYPES, id: number, label: string, state: string, modified: Date, extras: StatefulExtras) =>
  stateful(base, resource, CONTENT_TYPES[resource], id, label, state, modified, extras);

function stateful(base: string, resource: string, contentType: number, id: number, label: string, state: string, modified: Date, extras: StatefulExtras) {
  const locked = extras.locks.write.length > 0;
  const available = locked ? [] : extras.transitions;
  const jobs = locked ? [] : (extras.jobs ?? []);
  return {
    available_actions: [...available, ...jobs].sort((a, b) => a.display_order - b.display_order),
    available_jobs: jobs,
    available_transitions: available,
    content_type_id: contentType,
    id,
    immutable_state: extras.immutable ?? false,
    label,
    locks: extras.locks,
    resource_uri: uri(base, resource, id),
    state,
    state_modified_at: naiveIso(modified),
  };
}

export const SERVER_PROFILES: Record<string, { ui_name: string; ui_description: string; managed: boolean; worker: boolean; initial_state: string }> = {
  default: { ui_name: 'Managed Storage Server', ui_description: 'A storage server suitable for creating new HA-enabled filesystem targets', managed: true, worker: false, initial_state: 'managed' },
  base_monitored: { ui_name: 'Monitored Storage Server', ui_description: 'A storage server suitable for monitoring only', managed: false, worker: false, initial_state: 'monitored' },
  posix_copytool_worker: { ui_name: 'POSIX HSM Agent Node', ui_description: 'An HSM agent node using the POSIX copytool', managed: true, worker: true, initial_state: 'working' },
};

export function renderServerProfile(base: string, name: string) {
  const p = SERVER_PROFILES[name] ?? SERVER_PROFILES.default;
  return {
    corosync: p.managed,
    corosync2: false,
    default: name === 'default',
    initial_state: p.initial_state,
    managed: p.managed,
    name,
    ntp: p.managed,
    pacemaker: p.managed,
    resource_uri: uri(base, 'server_profile', name),
    ui_description: p.ui_description,
    ui_name: p.ui_name,
    user_selectable: true,
    worker: p.worker,
  };
}

export const hostNids = (h: Host): string[] => [h.storageAddress, h.managementAddress].filter((a): a is string => Boolean(a)).slice(0, 1).map((a) => `${a}@tcp`);

/** Managed and worker servers run Corosync and Pacemaker; monitored ones and those being set up do not. */
const managedHa = (h: Host): boolean => ['managed', 'working'].includes(h.lustreState ?? 'managed');

export interface ClientMountView {
  filesystem_name: string;
  mountpoint: string;
  state: string;
}

export function renderHost(base: string, h: Host, extras: StatefulExtras & { member: boolean; mounts?: ClientMountView[] }) {
  return {
    ...stateful(base, 'host', CONTENT_TYPES.host, h.seq, h.name, h.lustreState ?? 'managed', h.updatedAt, { ...extras, jobs: hostJobs(h) }),
    address: h.managementAddress ?? h.name,
    boot_time: h.state === 'up' ? naiveIso(h.createdAt) : null,
    client_mounts: extras.mounts ?? [],
    corosync_configuration: managedHa(h) ? uri(base, 'corosync_configuration', h.seq) : null,
    fqdn: h.name,
    install_method: 'existing_keys_choice',
    lnet_configuration: uri(base, 'lnet_configuration', h.seq),
    member_of_active_filesystem: extras.member,
    needs_update: false,
    nids: hostNids(h),
    nodename: h.name.split('.')[0],
    pacemaker_configuration: managedHa(h) ? uri(base, 'pacemaker_configuration', h.seq) : null,
    private_key: null,
    private_key_passphrase: null,
    properties: JSON.stringify({ zfs_installed: false, distro: 'CentOS', distro_version: 7.5, python_version_major_minor: 2.7, python_patchlevel: 5, kernel_version: '3.10.0-862.el7.x86_64' }),
    root_pw: null,
    server_profile: renderServerProfile(base, h.serverProfile ?? 'default'),
  };
}

export function renderLnetConfiguration(base: string, h: Host, extras: StatefulExtras & { member: boolean; hostExtras: StatefulExtras }) {
  return {
    ...stateful(base, 'lnet_configuration', CONTENT_TYPES.lnet_configuration, h.seq, `lnet configuration`, h.lnetState ?? 'lnet_up', h.updatedAt, extras),
    host: renderHost(base, h, { ...extras.hostExtras, member: extras.member }),
    nids: hostNids(h).map(() => uri(base, 'nid', h.seq)),
  };
}

const hostAddress = (h: Host): string | null => h.storageAddress ?? h.managementAddress;

export function renderNetworkInterface(base: string, h: Host) {
  return {
    host: uri(base, 'host', h.seq),
    id: h.seq,
    inet4_address: hostAddress(h),
    inet4_prefix: 24,
    lnd_types: ['tcp'],
    name: 'eth0',
    nid: uri(base, 'nid', h.seq),
    resource_uri: uri(base, 'network_interface', h.seq),
    state_up: h.state === 'up',
    type: 'ethernet',
  };
}

export function renderNid(base: string, h: Host) {
  return {
    lnd_network: 0,
    lnd_type: 'tcp',
    lnet_configuration: uri(base, 'lnet_configuration', h.seq),
    network_interface: uri(base, 'network_interface', h.seq),
    resource_uri: uri(base, 'nid', h.seq),
  };
}

/**
 * IML's Volume.ha_status_label: HA when a primary node has a failover partner (a used,
 * non-primary node), no HA with a primary (or a single node) alone, unconfigured otherwise.
 */
export function volumeStatus(nodes: { primary: boolean; use: boolean }[]): string {
  const primaries = nodes.filter((n) => n.primary).length;
  const failovers = nodes.filter((n) => !n.primary && n.use).length;
  if (primaries > 0 && failovers > 0) return 'configured-ha';
  if (primaries > 0 || nodes.length === 1) return 'configured-noha';
  return 'unconfigured';
}

/**
 * Volume node ids: an unshared device's one node takes the device's seq; a node stored as a
 * device path row takes PATH_NODE_BASE + its seq, so the two ranges never meet.
 */
export const PATH_NODE_BASE = 1_000_000_000;
export const nodeId = (d: Device, n: DeviceNode): number => (n.pathSeq === null ? d.seq : PATH_NODE_BASE + n.pathSeq);

export function renderVolumeNode(base: string, d: Device, n: DeviceNode, host: Host | undefined) {
  const id = nodeId(d, n);
  return {
    host: host ? uri(base, 'host', host.seq) : null,
    host_id: host?.seq ?? null,
    host_label: host?.name ?? null,
    id,
    path: n.path,
    primary: n.primary,
    resource_uri: uri(base, 'volume_node', id),
    use: n.use,
    volume_id: d.seq,
  };
}

export function renderVolume(base: string, d: Device, nodes: DeviceNode[], hosts: Map<string, Host>, target: Target | undefined) {
  const owner = hosts.get(d.hostId);
  return {
    filesystem_type: target ? 'ldiskfs' : null,
    id: d.seq,
    kind: d.kind === 'lun' ? 'iSCSI LUN' : 'Linux SCSI disk',
    label: d.serial ?? `${owner?.name ?? 'unknown'}:${d.name}`,
    resource_uri: uri(base, 'volume', d.seq),
    size: String(d.sizeBytes),
    status: volumeStatus(nodes),
    storage_resource: uri(base, 'storage_resource', d.seq),
    usable_for_lustre: !target && d.usedBytes === 0 && nodes.some((n) => n.primary),
    volume_nodes: nodes.map((n) => renderVolumeNode(base, d, n, hosts.get(n.hostId))),
  };
}

export interface TargetLinks {
  device: Device | undefined;
  /** The device's nodes and the hosts they are on (for the nested volume). */
  nodes: DeviceNode[];
  nodeHosts: Map<string, Host>;
  /** The host the target is mounted on now (its primary, or its failover after a failover). */
  active: Host | undefined;
  host: Host | undefined;
  failover: Host | undefined;
  filesystem: Filesystem | undefined;
  /** Filesystems an MGT serves. */
  served: Filesystem[];
}

export function renderTarget(base: string, t: Target, links: TargetLinks, extras: StatefulExtras) {
  const { device, host, failover, filesystem } = links;
  return {
    ...stateful(base, 'target', CONTENT_TYPES.target, t.seq, t.name, t.state, t.updatedAt, extras),
    active_host: t.state === 'mounted' && links.active ? uri(base, 'host', links.active.seq) : null,
    active_host_name: t.state === 'mounted' && links.active ? links.active.name : '---',
    // IML answers every parameter the target's kind can carry (unset ones null); an MGT has none.
    conf_params: t.kind === 'MGT' ? null : confParamsView(t.kind, t.confParams),
    failover_server_name: failover?.name ?? '---',
    failover_servers: failover ? [uri(base, 'host', failover.seq)] : [],
    filesystem: filesystem ? uri(base, 'filesystem', filesystem.seq) : null,
    filesystem_id: filesystem?.seq ?? null,
    filesystem_name: filesystem?.name ?? null,
    filesystems: t.kind === 'MGT' ? links.served.map((f) => ({ id: f.seq, name: f.name })) : null,
    ha_label: `${t.name}_${t.id.slice(0, 6)}`,
    index: t.kind === 'MGT' ? null : t.index,
    inode_count: device ? String(Math.floor(device.sizeBytes / (t.kind === 'MDT' ? 2048 : 1048576))) : null,
    inode_size: t.kind === 'MDT' ? 512 : 256,
    kind: t.kind,
    name: t.name,
    primary_server: host ? uri(base, 'host', host.seq) : null,
    primary_server_name: host?.name ?? '---',
    uuid: t.id,
    volume: device ? renderVolume(base, device, links.nodes, links.nodeHosts, t) : null,
    volume_name: device ? (device.serial ?? `${host?.name ?? 'unknown'}:${device.name}`) : null,
  };
}

export interface FilesystemParts {
  mgt: ReturnType<typeof renderTarget> | null;
  mdts: ReturnType<typeof renderTarget>[];
  ostUris: string[];
  ostBytes: number;
  mdtBytes: number;
  mgsNids: string[];
  /** Client mounts of the filesystem currently mounted. */
  clientCount: number;
}

export function renderFilesystem(base: string, f: Filesystem, parts: FilesystemParts, extras: StatefulExtras) {
  const mountPath = parts.mgsNids.length ? `${parts.mgsNids.join(':')}:/${f.name}` : null;
  const files = Math.floor(parts.mdtBytes / 2048);
  return {
    ...stateful(base, 'filesystem', CONTENT_TYPES.filesystem, f.seq, f.name, f.state, f.updatedAt, extras),
    bytes_free: parts.ostBytes,
    bytes_total: parts.ostBytes,
    client_count: parts.clientCount,
    conf_params: confParamsView('filesystem', f.confParams),
    files_free: files,
    files_total: files,
    mdts: parts.mdts,
    mgt: parts.mgt,
    mount_command: mountPath ? `mount -t lustre ${mountPath} /mnt/${f.name}` : null,
    mount_path: mountPath,
    name: f.name,
    osts: parts.ostUris,
  };
}

const pascal = (s: string): string => s.replace(/(^|[._\s-]+)([a-z0-9])/gi, (_, __, c: string) => c.toUpperCase());

/** IML job class for a core job, as the CLI and GUI know them. */
export function jobClass(job: Job): string {
  const input = job.input;
  switch (job.kind) {
    case 'filesystem.create':
      return 'StartUnavailableFilesystemJob';
    case 'filesystem.start':
      return input.from === 'unavailable' ? 'StartUnavailableFilesystemJob' : 'StartStoppedFilesystemJob';
    case 'filesystem.stop':
      return 'StopUnavailableFilesystemJob';
    case 'filesystem.remove':
      return 'RemoveFilesystemJob';
    case 'target.create':
      return 'ConfigureTargetJob';
    case 'target.start':
      return 'StartTargetJob';
    case 'target.stop':
      return 'StopTargetJob';
    case 'target.remove':
      return 'RemoveConfiguredTargetJob';
    case 'target.failover':
      return 'FailoverTargetJob';
    case 'target.forget':
      return 'ForgetTargetJob';
    case 'filesystem.forget':
      return 'ForgetFilesystemJob';
    case 'target.failback':
      return 'FailbackTargetJob';
    case 'lustre.apply_conf_params':
      return 'ApplyConfParams';
    case 'copytool.set_state':
      return input.state === 'started'
        ? 'StartCopytoolJob'
        : input.state === 'removed'
          ? 'RemoveCopytoolJob'
          : input.from === 'unconfigured'
            ? 'ConfigureCopytoolJob'
            : 'StopCopytoolJob';
    case 'client_mount.set_state':
      return input.state === 'mounted' ? 'MountLustreClientJob' : input.state === 'removed' ? 'RemoveLustreClientJob' : 'UnmountLustreClientJob';
    case 'host.deploy':
      return input.state === 'monitored' ? 'SetupMonitoredHostJob' : input.state === 'working' ? 'SetupWorkerJob' : 'SetupHostJob';
    case 'host.probe':
      return 'TestHostConnectionJob';
    case 'host.retire':
      return 'RemoveManagedHostJob';
    case 'host.power_off':
      return input.shutdown ? 'ShutdownHostJob' : 'PowerOffHostJob';
    case 'host.power_on':
      return 'PowerOnHostJob';
    case 'host.reboot':
      return 'RebootHostJob';
    case 'host.update_nids':
      return 'UpdateNidsJob';
    case 'host.detect_devices':
      return 'UpdateDevicesJob';
    case 'host.detect_targets':
      return 'DetectTargetsJob';
    case 'host.set_lnet_state':
      return input.state === 'lnet_up'
        ? 'StartLNetJob'
        : input.state === 'lnet_down'
          ? input.from === 'lnet_up'
            ? 'StopLNetJob'
            : 'LoadLNetJob'
          : input.state === 'lnet_unloaded'
            ? 'UnloadLNetJob'
            : 'UnconfigureLNetJob';
    default:
      return `${pascal(job.kind)}Job`;
  }
}

const name = (job: Job): string => String(job.input.name ?? job.input.address ?? '');

export function jobDescription(job: Job): string {
  switch (jobClass(job)) {
    case 'StartUnavailableFilesystemJob':
    case 'StartStoppedFilesystemJob':
      return `Start file system ${name(job)}`;
    case 'StopUnavailableFilesystemJob':
      return `Stop file system ${name(job)}`;
    case 'RemoveFilesystemJob':
      return `Remove file system ${name(job)} from configuration`;
    case 'ConfigureTargetJob':
      return `Configure target ${name(job)}`;
    case 'StartTargetJob':
      return `Start target ${name(job)}`;
    case 'StopTargetJob':
      return `Stop target ${name(job)}`;
    case 'RemoveConfiguredTargetJob':
      return `Remove target ${name(job)} from configuration`;
    case 'ForgetTargetJob':
      return `Forget target ${name(job)}`;
    case 'ForgetFilesystemJob':
      return `Forget file system ${name(job)}`;
    case 'FailoverTargetJob':
      return `Failover target ${name(job)} to its failover server`;
    case 'FailbackTargetJob':
      return `Failback target ${name(job)} to its primary server`;
    case 'ApplyConfParams':
      return 'Update conf_params on MGS';
    case 'StartCopytoolJob':
      return `Start copytool ${name(job)}`;
    case 'StopCopytoolJob':
      return `Stop copytool ${name(job)}`;
    case 'ConfigureCopytoolJob':
      return `Configure copytool ${name(job)}`;
    case 'RemoveCopytoolJob':
      return `Remove copytool ${name(job)}`;
    case 'MountLustreClientJob':
      return `Mount ${name(job)} on client`;
    case 'UnmountLustreClientJob':
      return `Unmount ${name(job)} on client`;
    case 'RemoveLustreClientJob':
      return `Remove ${name(job)} client mount`;
    case 'SetupHostJob':
      return `Setup managed server ${name(job)}`;
    case 'SetupMonitoredHostJob':
      return `Setup monitored server ${name(job)}`;
    case 'SetupWorkerJob':
      return `Setup worker server ${name(job)}`;
    case 'TestHostConnectionJob':
      return `Test for host connectivity`;
    case 'RemoveManagedHostJob':
      return `Remove host ${name(job)} from configuration`;
    case 'ShutdownHostJob':
      return `Shut down host ${name(job)}`;
    case 'PowerOffHostJob':
      return `Kill power for host ${name(job)}`;
    case 'PowerOnHostJob':
      return `Restore power for host ${name(job)}`;
    case 'RebootHostJob':
      return `Reboot host ${name(job)}`;
    case 'UpdateNidsJob':
      return `Update NIDs on ${name(job)}`;
    case 'UpdateDevicesJob':
      return `Update device info on ${name(job)}`;
    case 'DetectTargetsJob':
      return `Scan for Lustre targets on ${name(job)}`;
    case 'StartLNetJob':
      return `Start LNet on ${name(job)}`;
    case 'StopLNetJob':
      return `Stop LNet on ${name(job)}`;
    case 'LoadLNetJob':
      return `Load LNet module on ${name(job)}`;
    case 'UnloadLNetJob':
      return `Unload LNet module on ${name(job)}`;
    default:
      return job.steps.map((s) => s.name).join(', ') || job.kind;
  }
}

export function commandMessage(job: Job): string {
  if (typeof job.input.message === 'string') return job.input.message;
  switch (job.kind) {
    case 'filesystem.create':
      return `Creating filesystem ${name(job)}`;
    case 'host.deploy':
      return `Setting up host ${name(job)}`;
    case 'host.probe':
      return `Testing host ${name(job)}`;
    case 'target.create':
      return `Creating ${name(job)}`;
    case 'lustre.apply_conf_params':
      return 'Updating configuration parameters';
    default:
      return jobDescription(job);
  }
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * A command is its first job plus any others run with it (`members`): complete once all are,
 * errored or cancelled if any is, its logs every finished step in job order.
 */
export function renderCommand(base: string, job: Job, members: Job[] = []) {
  const all = [job, ...members];
  return {
    cancelled: all.some((j) => j.state === 'cancelled'),
    complete: all.every((j) => TERMINAL.has(j.state)),
    created_at: naiveIso(job.createdAt),
    errored: all.some((j) => j.state === 'failed'),
    id: job.seq,
    jobs: all.map((j) => uri(base, 'job', j.seq)),
    logs: all
      .flatMap((j) => j.steps)
      .filter((s) => s.state === 'succeeded' || s.state === 'failed')
      .map((s) => (s.error ? `${s.name}: ${s.error}` : s.name))
      .join('\n'),
    message: commandMessage(job),
    resource_uri: uri(base, 'command', job.seq),
  };
}

export interface LockRef {
  contentType: number;
  seq: number;
  resource: string;
}

const stepResult = (job: Job, step: JobStep): unknown => (job.kind === 'host.probe' && step.state === 'succeeded' ? (job.result.probe ?? null) : null);

/** `commandSeq`: the seq of the command's first job when this job is one of several in a command. */
export function renderJob(base: string, job: Job, locks: LockRef[], commandSeq = job.seq) {
  const complete = TERMINAL.has(job.state);
  return {
    available_transitions: complete || job.cancelRequested ? [] : [{ label: 'Cancel', state: 'cancelled' }],
    cancelled: job.state === 'cancelled',
    class_name: jobClass(job),
    commands: [uri(base, 'command', commandSeq)],
    created_at: naiveIso(job.createdAt),
    description: jobDescription(job),
    errored: job.state === 'failed',
    id: job.seq,
    modified_at: naiveIso(job.updatedAt),
    read_locks: [],
    resource_uri: uri(base, 'job', job.seq),
    state: complete ? 'complete' : job.state === 'running' ? 'tasked' : 'pending',
    step_results: Object.fromEntries(job.steps.map((s) => [uri(base, 'step', stepId(job, s.index)), stepResult(job, s)])),
    steps: job.steps.map((s) => uri(base, 'step', stepId(job, s.index))),
    wait_for: [],
    write_locks: complete
      ? []
      : locks.map((l) => ({ locked_item_content_type_id: l.contentType, locked_item_id: l.seq, locked_item_uri: uri(base, l.resource, l.seq), resource_uri: '' })),
  };
}

export function renderStep(base: string, job: Job, step: JobStep) {
  return {
    args: Object.fromEntries(Object.entries(job.input).filter(([k]) => k !== 'message')),
    backtrace: step.error ?? '',
    class_name: `${pascal(step.name)}Step`,
    console: '',
    created_at: naiveIso(step.startedAt ?? job.createdAt),
    description: step.name,
    id: stepId(job, step.index),
    log: step.error ?? '',
    modified_at: naiveIso(step.finishedAt ?? step.startedAt ?? job.updatedAt),
    resource_uri: uri(base, 'step', stepId(job, step.index)),
    result: stepResult(job, step) === null ? null : JSON.stringify(stepResult(job, step)),
    state: step.state === 'succeeded' ? 'success' : step.state === 'failed' ? 'failed' : 'incomplete',
    step_count: job.steps.length,
    step_index: step.index,
  };
}

export const groupId = (name: string): number => GROUPS.indexOf(name as (typeof GROUPS)[number]) + 1;

export function renderGroup(base: string, name: string) {
  return { id: groupId(name), name, resource_uri: uri(base, 'group', groupId(name)) };
}

/** The four password fields are write-only: always null on the way out. */
export function renderUser(base: string, user: LustreAccount, subscriptions: unknown[] = []) {
  const id = user.seq;
  return {
    alert_subscriptions: subscriptions,
    email: user.email,
    first_name: user.firstName,
    full_name: [user.firstName, user.lastName].filter(Boolean).join(' '),
    groups: user.groups.filter((g) => groupId(g) > 0).map((g) => renderGroup(base, g)),
    id,
    is_superuser: user.groups.includes('superusers'),
    last_name: user.lastName,
    new_password1: null,
    new_password2: null,
    password1: null,
    password2: null,
    resource_uri: uri(base, 'user', id),
    username: user.username,
  };
}

export { awareIso };
