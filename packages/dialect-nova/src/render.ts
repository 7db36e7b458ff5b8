import { createHash } from 'crypto';
import { Host, HostAggregate, HostUsage, NO_VALID_HOST, Vm, ZONE_METADATA_KEY, nameUuid } from '@rosetta/core';
import { KeystoneContext } from './auth';
import { DEFAULT_DOMAIN, keystoneId } from './identity-model';
import { MAX_VERSION, MIN_VERSION, Microversion, versionString } from './microversion';
import { NovaSettings } from './settings';

type Json = Record<string, unknown>;

/** oslo's naive ISO form: microseconds, no zone ("2024-01-02T03:04:05.123000"). */
export const naiveTime = (d: Date): string => `${d.toISOString().slice(0, 19)}.${String(d.getUTCMilliseconds()).padStart(3, '0')}000`;
/** Nova server and Keystone times: seconds with Z. */
export const zTime = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;
/** Keystone token times: microseconds with Z. */
export const keystoneTime = (d: Date): string => `${naiveTime(d)}Z`;

export const DEFAULT_ZONE = 'nova';
export const INTERNAL_ZONE = 'internal';

// ---- compute version documents ------------------------------------------------------------

const V21_UPDATED = '2013-07-23T11:33:21Z';

export function computeVersionV21(base: string): Json {
  return {
    id: 'v2.1',
    status: 'CURRENT',
    version: versionString(MAX_VERSION),
    min_version: versionString(MIN_VERSION),
    updated: V21_UPDATED,
    links: [{ rel: 'self', href: `${base}/v2.1/` }],
  };
}

export function computeVersions(base: string): Json {
  return {
    versions: [
      { id: 'v2.0', status: 'SUPPORTED', version: '', min_version: '', updated: '2011-01-21T11:33:21Z', links: [{ rel: 'self', href: `${base}/v2/` }] },
      computeVersionV21(base),
    ],
  };
}

export function computeVersionDocument(base: string): Json {
  const v = computeVersionV21(base);
  return {
    version: {
      ...v,
      links: [...(v.links as Json[]), { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' }],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }],
    },
  };
}

// ---- identity --------------------------------------------------------------------------------

export function identityVersion(base: string): Json {
  return {
    id: 'v3.14',
    status: 'stable',
    updated: '2020-04-07T00:00:00Z',
    links: [{ rel: 'self', href: `${base}/v3/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  };
}

export interface CatalogUrls {
  identity: string;
  compute: string;
  image: string;
  network: string;
}

const SERVICES: { type: keyof CatalogUrls; name: string }[] = [
  { type: 'identity', name: 'keystone' },
  { type: 'compute', name: 'nova' },
  { type: 'image', name: 'glance' },
  { type: 'network', name: 'neutron' },
];

export function catalog(urls: CatalogUrls, region: string): Json[] {
  return SERVICES.map(({ type, name }) => ({
    id: keystoneId('service', type),
    type,
    name,
    endpoints: (['public', 'internal', 'admin'] as const).map((iface) => ({
      id: keystoneId('endpoint', `${type}/${iface}`),
      interface: iface,
      region,
      region_id: region,
      url: urls[type],
    })),
  }));
}

export function tokenBody(ctx: KeystoneContext, methods: string[], urls: CatalogUrls | null, settings: Pick<NovaSettings, 'region'>): Json {
  const token: Json = {
    methods,
    user: { id: ctx.user.id, name: ctx.user.name, domain: DEFAULT_DOMAIN, password_expires_at: null },
    audit_ids: [ctx.claims.a],
    expires_at: keystoneTime(ctx.expiresAt),
    issued_at: keystoneTime(ctx.issuedAt),
  };
  if (ctx.scope === 'project' && ctx.project) {
    token.project = { id: ctx.project.id, name: ctx.project.name, domain: DEFAULT_DOMAIN };
    token.is_domain = false;
  } else if (ctx.scope === 'domain') {
    token.domain = DEFAULT_DOMAIN;
  } else if (ctx.scope === 'system') {
    token.system = { all: true };
  }
  if (ctx.scope !== 'unscoped') {
    token.roles = ctx.roles.map((r) => ({ id: r.id, name: r.name }));
    if (urls) token.catalog = catalog(urls, settings.region);
  }
  return { token };
}

// ---- aggregates --------------------------------------------------------------------------------

/** The zone lives in metadata on Nova's wire; core keeps it in its own field. */
export function aggregateMetadata(a: HostAggregate): Record<string, string> {
  return a.availabilityZone ? { ...a.metadata, [ZONE_METADATA_KEY]: a.availabilityZone } : { ...a.metadata };
}

export interface AggregateView {
  version: Microversion;
  hostNames: Map<string, string>;
  /** Create answers without hosts and metadata. */
  created?: boolean;
}

export function renderAggregate(a: HostAggregate, view: AggregateView): Json {
  const body: Json = {
    availability_zone: a.availabilityZone ?? null,
    created_at: naiveTime(a.createdAt),
    deleted: false,
    deleted_at: null,
    id: a.seq,
    name: a.name,
    // Core stamps updatedAt on every write; Nova shows it only once the aggregate has been changed.
    updated_at: a.updatedAt.getTime() !== a.createdAt.getTime() ? naiveTime(a.updatedAt) : null,
  };
  if (!view.created) {
    body.hosts = a.hostIds.map((id) => view.hostNames.get(id) ?? id);
    body.metadata = aggregateMetadata(a);
  }
  if (view.version.minor >= 41) body.uuid = a.id;
  return body;
}

// ---- services and hypervisors --------------------------------------------------------------

export const serviceUuid = (host: Host): string => nameUuid(`nova-compute/${host.id}`);

export const serviceState = (h: Host): 'up' | 'down' => (h.state !== 'down' && h.power === 'on' ? 'up' : 'down');
export const serviceStatus = (h: Host): 'enabled' | 'disabled' => (h.state === 'maintenance' ? 'disabled' : 'enabled');

export function renderService(h: Host, zone: string, version: Microversion): Json {
  const body: Json = {
    id: version.minor >= 53 ? serviceUuid(h) : h.seq,
    binary: 'nova-compute',
    disabled_reason: h.state === 'maintenance' ? (h.stateReason ?? null) : null,
    host: h.name,
    state: serviceState(h),
    status: serviceStatus(h),
    updated_at: naiveTime(h.updatedAt),
    zone,
  };
  if (version.minor >= 11) body.forced_down = h.state === 'down';
  return body;
}

export interface HostFacts {
  usage?: HostUsage;
  localGb: number;
}

function cpuInfo(h: Host): Json {
  return {
    arch: 'x86_64',
    model: 'Skylake-Server-IBRS',
    vendor: 'Intel',
    topology: { cells: 1, sockets: 1, cores: h.cpuCores, threads: 1 },
    features: ['sse4.2', 'avx', 'avx2', 'vmx'],
  };
}

const hypervisorId = (h: Host, version: Microversion): string | number => (version.minor >= 53 ? h.id : h.seq);

export function renderHypervisorSummary(h: Host, version: Microversion): Json {
  return { id: hypervisorId(h, version), hypervisor_hostname: h.name, state: serviceState(h), status: serviceStatus(h) };
}

const GIB = 1024 ** 3;

export function renderHypervisorDetail(h: Host, facts: HostFacts, version: Microversion, uptime?: string): Json {
  const used = facts.usage ?? { vms: 0, cpuCount: 0, memoryMb: 0, diskBytes: 0 };
  const usedGb = Math.ceil(used.diskBytes / GIB);
  const body: Json = {
    ...renderHypervisorSummary(h, version),
    host_ip: h.managementAddress,
    hypervisor_type: 'QEMU',
    hypervisor_version: 8002000,
    service: {
      host: h.name,
      id: version.minor >= 53 ? serviceUuid(h) : h.seq,
      disabled_reason: h.state === 'maintenance' ? (h.stateReason ?? null) : null,
    },
  };
  if (version.minor < 88) {
    Object.assign(body, {
      cpu_info: version.minor >= 28 ? cpuInfo(h) : JSON.stringify(cpuInfo(h)),
      current_workload: 0,
      disk_available_least: Math.max(0, facts.localGb - usedGb),
      free_disk_gb: facts.localGb - usedGb,
      free_ram_mb: h.memoryMb - used.memoryMb,
      local_gb: facts.localGb,
      local_gb_used: usedGb,
      memory_mb: h.memoryMb,
      memory_mb_used: used.memoryMb,
      running_vms: used.vms,
      vcpus: h.cpuCores,
      vcpus_used: used.cpuCount,
    });
  } else {
    body.uptime = uptime ?? null;
  }
  return body;
}

/** `uptime` output as the libvirt driver reports it, from the time the host last powered on. */
export function uptimeText(now: Date, since: Date, vms: number): string {
  const secs = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 1000));
  const days = Math.floor(secs / 86400);
  const hh = Math.floor((secs % 86400) / 3600);
  const mm = String(Math.floor((secs % 3600) / 60)).padStart(2, '0');
  const clock = now.toISOString().slice(11, 19);
  const load = (0.05 * vms).toFixed(2);
  return ` ${clock} up ${days} days, ${hh}:${mm},  1 user,  load average: ${load}, ${load}, ${load}`;
}

// ---- flavors, images, servers -------------------------------------------------------------------

export type Flavor = NovaSettings['flavors'][number];
export type Image = NovaSettings['images'][number];

const link = (rel: string, href: string): Json => ({ rel, href });

export function renderFlavor(f: Flavor, base: string, version: Microversion, detail: boolean): Json {
  const body: Json = {
    id: f.id,
    name: f.name,
    links: [link('self', `${base}/v2.1/flavors/${f.id}`), link('bookmark', `${base}/flavors/${f.id}`)],
  };
  if (version.minor >= 55) body.description = null;
  if (!detail) return body;
  Object.assign(body, {
    ram: f.ramMb,
    disk: f.diskGb,
    vcpus: f.vcpus,
    swap: version.minor >= 75 ? 0 : '',
    'OS-FLV-EXT-DATA:ephemeral': 0,
    'OS-FLV-DISABLED:disabled': false,
    rxtx_factor: 1.0,
    'os-flavor-access:is_public': true,
  });
  if (version.minor >= 61) body.extra_specs = {};
  return body;
}

export function renderGlanceImage(m: Image, createdAt: Date): Json {
  return {
    id: m.id,
    name: m.name,
    status: 'active',
    visibility: 'public',
    size: m.sizeBytes,
    virtual_size: null,
    min_disk: m.minDiskGb,
    min_ram: m.minRamMb,
    disk_format: 'qcow2',
    container_format: 'bare',
    checksum: createHash('md5').update(m.id).digest('hex'),
    os_hash_algo: 'sha512',
    os_hash_value: createHash('sha512').update(m.id).digest('hex'),
    os_hidden: false,
    protected: false,
    owner: null,
    tags: [],
    created_at: zTime(createdAt),
    updated_at: zTime(createdAt),
    self: `/v2/images/${m.id}`,
    file: `/v2/images/${m.id}/file`,
    schema: '/v2/schemas/image',
  };
}

export function serverStatus(vm: Vm): { status: string; vmState: string; taskState: string | null; powerState: number } {
  if (vm.build?.state === 'building') {
    return { status: 'BUILD', vmState: 'building', taskState: vm.hostId ? 'spawning' : 'scheduling', powerState: 0 };
  }
  if (vm.build?.state === 'failed') return { status: 'ERROR', vmState: 'error', taskState: null, powerState: 0 };
  switch (vm.state) {
    case 'running':
      return { status: 'ACTIVE', vmState: 'active', taskState: null, powerState: 1 };
    case 'stopped':
      return { status: 'SHUTOFF', vmState: 'stopped', taskState: null, powerState: 4 };
    case 'suspended':
      return { status: 'SUSPENDED', vmState: 'suspended', taskState: null, powerState: 7 };
  }
}

export interface ServerView {
  base: string;
  version: Microversion;
  admin: boolean;
  host?: Host;
  zone: string | null;
  flavors: Flavor[];
}

const FAULT_TEXT: Record<string, string> = { [NO_VALID_HOST]: 'No valid host was found. There are not enough hosts available.' };

export function renderServerSummary(vm: Vm, base: string): Json {
  return {
    id: vm.id,
    name: vm.name,
    links: [link('self', `${base}/v2.1/servers/${vm.id}`), link('bookmark', `${base}/servers/${vm.id}`)],
  };
}

export function renderServer(vm: Vm, view: ServerView): Json {
  const { status, vmState, taskState, powerState } = serverStatus(vm);
  const project = vm.build?.project ?? '';
  // VMs not built through Nova show the configured flavor of their shape, when there is one.
  const flavor =
    view.flavors.find((f) => f.id === vm.build?.flavor) ??
    (vm.build ? undefined : view.flavors.find((f) => f.vcpus === vm.cpuCount && f.ramMb === vm.memoryMb));
  const body: Json = {
    ...renderServerSummary(vm, view.base),
    status,
    tenant_id: project,
    user_id: vm.build?.owner ?? '',
    metadata: vm.build?.metadata ?? {},
    hostId: view.host ? createHash('sha224').update(`${project}${view.host.name}`).digest('hex') : '',
    image: vm.build?.image
      ? { id: vm.build.image, links: [link('bookmark', `${view.base}/images/${vm.build.image}`)] }
      : '',
    created: zTime(vm.createdAt),
    updated: zTime(vm.updatedAt),
    addresses: {},
    accessIPv4: '',
    accessIPv6: '',
    'OS-DCF:diskConfig': 'MANUAL',
    progress: status === 'BUILD' ? 0 : status === 'ACTIVE' ? 100 : 0,
    'OS-EXT-AZ:availability_zone': view.zone ?? '',
    config_drive: '',
    key_name: null,
    'OS-SRV-USG:launched_at': status === 'BUILD' || status === 'ERROR' ? null : naiveTime(vm.createdAt),
    'OS-SRV-USG:terminated_at': null,
    security_groups: [{ name: 'default' }],
    'OS-EXT-STS:task_state': taskState,
    'OS-EXT-STS:vm_state': vmState,
    'OS-EXT-STS:power_state': powerState,
    'os-extended-volumes:volumes_attached': [],
  };
  if (view.version.minor >= 47) {
    body.flavor = {
      vcpus: vm.cpuCount,
      ram: vm.memoryMb,
      disk: flavor?.diskGb ?? Math.ceil(vm.diskBytes / GIB),
      ephemeral: 0,
      swap: 0,
      original_name: flavor?.name ?? `custom-${vm.cpuCount}-${vm.memoryMb}`,
      extra_specs: {},
    };
  } else {
    const id = flavor?.id ?? '';
    body.flavor = { id, links: [link('bookmark', `${view.base}/flavors/${id}`)] };
  }
  if (view.version.minor >= 9) body.locked = false;
  if (view.version.minor >= 19) body.description = null;
  if (view.version.minor >= 26) body.tags = [];
  if (view.version.minor >= 73) body.locked_reason = null;
  if (view.version.minor >= 90) body['OS-EXT-SRV-ATTR:hostname'] = vm.name;
  if (view.admin) {
    body['OS-EXT-SRV-ATTR:host'] = view.host?.name ?? null;
    body['OS-EXT-SRV-ATTR:hypervisor_hostname'] = view.host?.name ?? null;
    body['OS-EXT-SRV-ATTR:instance_name'] = `instance-${vm.seq.toString(16).padStart(8, '0')}`;
  }
  if (status === 'ERROR') {
    body.fault = { code: 500, created: zTime(vm.updatedAt), message: FAULT_TEXT[vm.build?.fault ?? ''] ?? vm.build?.fault ?? 'Unknown' };
  }
  return body;
}
