import { Backup, Cluster, Datastore, Host, Job, Policy, PolicyRule, Site, Vm, datastoreFreeBytes, jobAffected, nameUuid } from '@rosetta/core';
import { Refs } from './refs';
import { EPOCH, isoSeconds } from './wire';
import { VENDOR_KIND, taskErrorCode } from './errors';

/** What rendering needs besides the objects: the appliance's version and the clock's time. */
export interface RenderEnv {
  svtfsVersion: string;
  now: Date;
}

type Wire = Record<string, unknown>;

const na = (d: Date | null | undefined): string => (d ? isoSeconds(d) : 'NA');

// ---- vSphere-side names: OmniStack reports the hypervisor's view of every object --------------

/** vCenter managed object ids are type prefix + a per-type counter: the core sequence number serves. */
export const moref = {
  vm: (v: { seq: number }) => `vm-${v.seq}`,
  host: (h: { seq: number }) => `host-${h.seq}`,
  datastore: (d: { seq: number }) => `datastore-${d.seq}`,
  cluster: (c: { seq: number }) => `domain-c${c.seq}`,
  datacenter: (s: { seq: number }) => `datacenter-${s.seq}`,
};
/** The vCenter of a federation: one per site, named after it. */
export const hmsName = (site: Site | undefined): string | null => (site ? `vcenter-${site.name}` : null);

interface Placement {
  cluster?: Cluster;
  site?: Site;
}

function placement(refs: Refs, clusterId: string | null | undefined, siteId?: string | null): Placement {
  const cluster = clusterId ? refs.clusters.get(clusterId) : undefined;
  const site = refs.sites.get(cluster?.siteId ?? siteId ?? '');
  return { cluster, site };
}

const hypervisorParent = ({ cluster, site }: Placement): Wire => ({
  omnistack_cluster_id: cluster?.id ?? null,
  omnistack_cluster_name: cluster?.name ?? null,
  compute_cluster_parent_hypervisor_object_id: site ? moref.datacenter(site) : null,
  compute_cluster_parent_name: site?.name ?? null,
  hypervisor_management_system: hmsName(site),
  hypervisor_management_system_name: hmsName(site),
});

const clusterGroups = ({ site }: Placement): string[] => (site ? [site.id] : []);

// ---- virtual_machine ------------------------------------------------------------------------

export const VM_POWER: Record<Vm['state'], string> = { running: 'ON', stopped: 'OFF', suspended: 'SUSPENDED' };

/** A VM's cluster is its host's; a VM without a host belongs to its datastore's cluster. */
export function vmClusterId(vm: Vm, refs: Refs): string | null {
  const host = vm.hostId ? refs.hosts.get(vm.hostId) : undefined;
  return host?.clusterId ?? (vm.datastoreId ? refs.datastores.get(vm.datastoreId)?.clusterId ?? null : null);
}

/** A second stable uuid for a VM: the id's groups reversed, still a well-formed uuid. */
export const biosUuid = (id: string): string => {
  const [a, b, c, d, e] = id.split('-');
  return `${e.slice(4)}-${e.slice(0, 4)}-${c}-${d}-${a}${b}`;
};

/**
 * VSS readiness from the guest account (backup_parameters): none set UNKNOWN, one the appliance
 * logged in with VALID_CREDS, one saved with override_guest_validation CAPABLE (not checked).
 */
export function appAwareStatus(vm: Vm, refs: Refs): string {
  const account = refs.guestAccounts.get(vm.id);
  return account ? (account.overrideValidation ? 'CAPABLE' : 'VALID_CREDS') : 'UNKNOWN';
}

export function renderVm(vm: Vm, refs: Refs, optional: boolean): Wire {
  const host = vm.hostId ? refs.hosts.get(vm.hostId) : undefined;
  const ds = vm.datastoreId ? refs.datastores.get(vm.datastoreId) : undefined;
  const policy = vm.policyId ? refs.policies.get(vm.policyId) : undefined;
  const where = placement(refs, vmClusterId(vm, refs), host?.siteId);
  // HA pairs: the VM's host holds the primary copy, the next host of the cluster the secondary.
  const peers = where.cluster ? (refs.clusterHosts.get(where.cluster.id) ?? []) : [];
  const secondary = peers.find((h) => h.id !== vm.hostId && h.state === 'up');
  const replicaSet = [...(host ? [{ id: host.id, role: 'PRIMARY' }] : []), ...(secondary ? [{ id: secondary.id, role: 'SECONDARY' }] : [])];
  const hostDown = host?.state !== 'up';
  const out: Wire = {
    id: vm.id,
    name: vm.name,
    created_at: isoSeconds(vm.createdAt),
    deleted_at: 'NA',
    state: 'ALIVE',
    ...hypervisorParent(where),
    policy_id: policy?.id ?? null,
    policy_name: policy?.name ?? null,
    datastore_id: ds?.id ?? null,
    datastore_name: ds?.name ?? null,
    hypervisor_object_id: moref.vm(vm),
    hypervisor_type: 'VSPHERE',
    app_aware_vm_status: appAwareStatus(vm, refs),
    cluster_group_ids: clusterGroups(where),
    host_id: host?.id ?? null,
    host_name: host?.name ?? null,
    replica_set: replicaSet,
    hypervisor_allocated_capacity: vm.diskBytes,
    hypervisor_allocated_cpu: host ? vm.cpuCount * host.cpuMhz : 0,
    hypervisor_consumed_cpu: host && vm.state === 'running' ? Math.round((vm.cpuCount * host.cpuMhz * vm.cpuUsagePct) / 100) : 0,
    hypervisor_consumed_memory: vm.state === 'running' ? Math.round((vm.memoryMb * vm.memoryUsagePct) / 100) : 0,
    hypervisor_cpu_count: vm.cpuCount,
    hypervisor_folder_name: 'vm',
    hypervisor_free_space: ds ? datastoreFreeBytes(ds) : 0,
    // vCenter's instance uuid is the VM's own id; the BIOS uuid a fixed permutation of it (no hashing per row).
    hypervisor_instance_id: vm.id,
    hypervisor_managed_by: null,
    hypervisor_total_memory: vm.memoryMb,
    hypervisor_uuid: biosUuid(vm.id),
    hypervisor_virtual_disk_count: vm.diskBytes > 0 ? 1 : 0,
    // The PowerShell module reads this spelling; the Swagger one is above.
    hypervisor_virtual_machine_disk_count: vm.diskBytes > 0 ? 1 : 0,
    network_interfaces: [],
  };
  if (optional) {
    out.ha_status = replicaSet.length < 2 ? 'DEGRADED' : hostDown ? 'DEGRADED' : 'SAFE';
    out.ha_resynchronization_progress = replicaSet.length < 2 ? 0 : 100;
    out.hypervisor_virtual_machine_power_state = VM_POWER[vm.state];
    out.hypervisor_is_template = false;
  }
  return out;
}

// ---- host and cluster capacity ----------------------------------------------------------------

interface Capacity {
  allocated: number;
  used: number;
  vmData: number;
}

function hostCapacity(host: Host, refs: Refs): Capacity {
  const devices = refs.hostDevices.get(host.id) ?? [];
  const deviceUsed = devices.reduce((n, d) => n + d.usedBytes, 0);
  const vmData = refs.vmBytesByHost.get(host.id) ?? 0;
  return {
    allocated: devices.reduce((n, d) => n + d.sizeBytes, 0),
    // Devices that record no usage under VM data (VMs placed on datastores, not carved from the
    // disks) would claim infinite savings: their VM data is then stored as is, at 1 : 1.
    used: deviceUsed > 0 ? deviceUsed : vmData,
    vmData,
  };
}

const ratio = (x: number): string => `${(Math.round(x * 10) / 10).toFixed(1)} : 1`;

/**
 * Capacity as OmniStack reports it: allocated is raw device space, used what devices hold;
 * VM data is what VMs address; savings come from deduplication, taken as VM data over used.
 */
function capacityFields(c: Capacity): Wire {
  const logical = Math.max(c.vmData, c.used);
  const efficiency = c.used > 0 ? logical / c.used : 1;
  return {
    allocated_capacity: c.allocated,
    used_capacity: c.used,
    free_space: Math.max(0, c.allocated - c.used),
    used_logical_capacity: logical,
    stored_virtual_machine_data: c.vmData,
    stored_uncompressed_data: logical,
    stored_compressed_data: c.used,
    capacity_savings: logical - c.used,
    compression_ratio: ratio(1),
    deduplication_ratio: ratio(efficiency),
    efficiency_ratio: ratio(efficiency),
    local_backup_capacity: 0,
    remote_backup_capacity: 0,
  };
}

export const HOST_STATE: Record<Host['state'], string> = { up: 'ALIVE', down: 'FAULTY', maintenance: 'SUSPECTED' };

/** Feature levels count OmniStack releases: 5.3.1 -> 531. */
const featureLevel = (version: string): number => Number(version.split('.').slice(0, 3).join('')) || 0;

/** The host's virtual controller VM, named after its management address as the installer names it. */
export const virtualControllerName = (host: Pick<Host, 'managementAddress' | 'name'>): string => `OmniStackVC-${(host.managementAddress ?? host.name).replace(/\./g, '-')}`;

export function renderHost(host: Host, refs: Refs, env: RenderEnv, optional: boolean): Wire {
  const where = placement(refs, host.clusterId, host.siteId);
  const level = featureLevel(env.svtfsVersion);
  const out: Wire = {
    id: host.id,
    name: host.name,
    type: 'OMNISTACK',
    model: host.model,
    version: env.svtfsVersion,
    state: HOST_STATE[host.state],
    omnistack_cluster_id: where.cluster?.id ?? null,
    cluster_group_ids: clusterGroups(where),
    hypervisor_object_id: moref.host(host),
    hypervisor_management_system: hmsName(where.site),
    hypervisor_management_system_name: hmsName(where.site),
    compute_cluster_name: where.cluster?.name ?? null,
    compute_cluster_hypervisor_object_id: where.cluster ? moref.cluster(where.cluster) : null,
    compute_cluster_parent_name: where.site?.name ?? null,
    compute_cluster_parent_hypervisor_object_id: where.site ? moref.datacenter(where.site) : null,
    management_ip: host.managementAddress,
    management_mask: null,
    management_mtu: null,
    storage_ip: host.storageAddress,
    storage_mask: null,
    storage_mtu: null,
    // The federation network is the storage network in a two-network deployment.
    federation_ip: host.storageAddress,
    federation_mask: null,
    federation_mtu: null,
    virtual_controller_name: virtualControllerName(host),
    policy_enabled: !where.cluster?.backupsSuspended,
    current_feature_level: level,
    potential_feature_level: level,
    cluster_feature_level: level,
    upgrade_state: 'SUCCESS',
    can_rollback: false,
    date: isoSeconds(env.now),
    availability_zone_planned: String(host.zone),
    availability_zone_effective: String(host.zone),
  };
  return optional ? { ...out, ...capacityFields(hostCapacity(host, refs)) } : out;
}

export function renderCluster(cluster: Cluster, refs: Refs, env: RenderEnv, optional: boolean): Wire {
  const where = placement(refs, cluster.id);
  const members = refs.clusterHosts.get(cluster.id) ?? [];
  const out: Wire = {
    id: cluster.id,
    name: cluster.name,
    type: 'OMNISTACK',
    version: env.svtfsVersion,
    members: members.map((h) => h.id),
    cluster_group_ids: clusterGroups(where),
    hypervisor_object_id: moref.cluster(cluster),
    hypervisor_object_parent_id: where.site ? moref.datacenter(where.site) : null,
    hypervisor_object_parent_name: where.site?.name ?? null,
    hypervisor_management_system: hmsName(where.site),
    hypervisor_management_system_name: hmsName(where.site),
    hypervisor_type: 'VSPHERE',
    // A two-host cluster needs an arbiter to break ties; none is modelled, so none is connected.
    arbiter_required: members.length === 2,
    arbiter_configured: false,
    arbiter_connected: false,
    arbiter_address: null,
    cluster_feature_level: featureLevel(env.svtfsVersion),
    iwo_enabled: cluster.iwoEnabled ?? false,
    // IWO balances VMs across hosts: it acts only when switched on and a second host is up.
    iwo_active: (cluster.iwoEnabled ?? false) && members.filter((h) => h.state === 'up').length >= 2,
    infosight_configuration: { infosight_enabled: false, infosight_registered: false, infosight_claim_tag: null, infosight_proxy_url: null, infosight_tenant_name: null },
  };
  if (!optional) return out;
  const total = members.map((h) => hostCapacity(h, refs)).reduce((a, c) => ({ allocated: a.allocated + c.allocated, used: a.used + c.used, vmData: a.vmData + c.vmData }), { allocated: 0, used: 0, vmData: 0 });
  return { ...out, ...capacityFields(total), time_zone: cluster.timeZone ?? 'UTC', upgrade_state: 'SUCCESS_COMMITTED', upgrade_task_id: null };
}

// ---- datastore ------------------------------------------------------------------------------

export function renderDatastore(ds: Datastore, refs: Refs, optional: boolean): Wire {
  const where = placement(refs, ds.clusterId);
  const policy = ds.policyId ? refs.policies.get(ds.policyId) : undefined;
  const out: Wire = {
    id: ds.id,
    name: ds.name,
    created_at: isoSeconds(ds.createdAt),
    size: ds.capacityBytes,
    ...hypervisorParent(where),
    policy_id: policy?.id ?? null,
    policy_name: policy?.name ?? null,
    cluster_group_ids: clusterGroups(where),
    hypervisor_object_id: moref.datastore(ds),
    hypervisor_type: 'VSPHERE',
    mount_directory: `/mnt/svtfs/0/${ds.name}`,
    shares: (ds.sharedHostIds ?? []).flatMap((id) => {
      const host = refs.hosts.get(id);
      return host ? [{ address: host.managementAddress, host: host.name, rw: true }] : [];
    }),
    single_replica: false,
    deleted: false,
  };
  if (optional) out.hypervisor_free_space = datastoreFreeBytes(ds);
  return out;
}

// ---- backup ---------------------------------------------------------------------------------

export const BACKUP_STATE: Record<Backup['state'], string> = { protected: 'PROTECTED', saving: 'SAVING', failed: 'FAILED', deleted: 'DELETED', canceling: 'CANCELING', canceled: 'CANCELED' };
export const CONSISTENCY: Record<string, string> = { none: 'NONE', default: 'DEFAULT', vss: 'VSS', failedvss: 'FAILEDVSS', not_applicable: 'NOT_APPLICABLE' };

export function renderBackup(backup: Backup, refs: Refs): Wire {
  const ds = backup.datastoreId ? refs.datastores.get(backup.datastoreId) : undefined;
  const vm = backup.vmId ? refs.vms.get(backup.vmId) : undefined;
  const where = placement(refs, ds?.clusterId);
  return {
    id: backup.id,
    name: backup.name,
    created_at: isoSeconds(backup.createdAt),
    state: BACKUP_STATE[backup.state],
    type: backup.trigger === 'policy' ? 'POLICY' : 'MANUAL',
    application_consistent: backup.appConsistent ?? false,
    consistency_type: CONSISTENCY[backup.consistency ?? 'none'] ?? 'NONE',
    expiration_time: backup.locked ? 'NA' : na(backup.expiresAt),
    size: backup.sizeBytes,
    // Unknown until calculate_unique_size works it out.
    unique_size_bytes: backup.uniqueSizeBytes ?? 0,
    unique_size_timestamp: na(backup.uniqueSizeAt),
    sent: 0,
    sent_completion_time: 'NA',
    sent_duration: 0,
    datastore_id: ds?.id ?? null,
    datastore_name: ds?.name ?? null,
    ...hypervisorParent(where),
    associated_cluster: where.cluster ? { id: where.cluster.id, name: where.cluster.name } : null,
    // A store unregistered since the backup was sent there is Unknown.
    backup_store_type: backup.externalStoreName ? (refs.externalStoreKinds.get(backup.externalStoreName) ?? 'Unknown') : 'SimplivityStore',
    external_store_name: backup.externalStoreName ?? null,
    cluster_group_ids: clusterGroups(where),
    hypervisor_type: 'VSPHERE',
    virtual_machine_id: backup.vmId,
    virtual_machine_name: vm?.name ?? null,
    virtual_machine_state: vm ? 'ALIVE' : 'DELETED',
    virtual_machine_type: 'VM',
  };
}

// ---- policy ---------------------------------------------------------------------------------

export function renderRule(rule: PolicyRule, index: number, refs: Refs): Wire {
  const remote = rule.destination && rule.destination !== 'local' ? refs.clusters.get(rule.destination) : undefined;
  return {
    id: rule.id,
    number: index,
    frequency: rule.frequencyMinutes,
    retention: rule.retentionMinutes,
    days: rule.days ?? 'All',
    start_time: rule.startTime ?? '00:00',
    end_time: rule.endTime ?? '00:00',
    destination_id: remote?.id ?? null,
    destination_name: remote?.name ?? '<local>',
    external_store_name: rule.externalStoreName ?? null,
    max_backups: rule.maxBackups ?? 0,
    application_consistent: rule.appConsistent ?? false,
    consistency_type: CONSISTENCY[(rule.consistency ?? 'none').toLowerCase()] ?? 'NONE',
  };
}

export function renderPolicy(policy: Policy, refs: Refs): Wire {
  return {
    id: policy.id,
    name: policy.name,
    owner_cluster_id: null,
    owner_cluster_name: null,
    cluster_group_ids: [...refs.sites.keys()],
    rules: policy.rules.map((r, i) => renderRule(r, i, refs)),
  };
}

// ---- task -----------------------------------------------------------------------------------

export const TASK_STATE: Record<Job['state'], string> = { queued: 'IN_PROGRESS', running: 'IN_PROGRESS', succeeded: 'COMPLETED', failed: 'FAILED', cancelled: 'FAILED' };

/**
 * Task ids are `<ovc>:<ovc>:<task>` (HPE's samples): the first two name the virtual controller
 * that ran it, here one per gateway installation, derived so every gateway agrees.
 */
export const OVC_ID = nameUuid('rosetta:omnistack:virtual-controller');
export const taskId = (job: Job): string => `${OVC_ID}:${OVC_ID}:${job.id}`;
/** The job id inside a task id: its last part, so a bare uuid is accepted too. */
export const jobIdOfTask = (id: string): string => id.split(':').pop() ?? id;

export function renderTask(job: Job): Wire {
  const state = TASK_STATE[job.state];
  const done = job.steps.filter((s) => s.state === 'succeeded').length;
  const out: Wire = {
    id: taskId(job),
    state,
    affected_objects: state === 'COMPLETED' ? jobAffected(job).map((o) => ({ object_type: VENDOR_KIND[o.kind] ?? o.kind, object_id: o.id })) : [],
    error_code: 0,
    start_time: isoSeconds(job.startedAt ?? job.createdAt),
    end_time: job.finishedAt ? isoSeconds(job.finishedAt) : EPOCH,
    percent_complete: state === 'COMPLETED' ? 100 : job.steps.length ? Math.floor((done * 100) / job.steps.length) : 0,
    name: taskKindOf(job.kind),
    type: taskKindOf(job.kind),
    owner_id: OVC_ID,
  };
  if (state === 'FAILED') {
    const message = job.state === 'cancelled' ? 'The task was canceled.' : (job.errorMessage ?? 'The task failed.');
    out.error_code = job.errorCode ? taskErrorCode(job.errorCode) : 1;
    out.message = message;
    out.error_message = message;
  }
  return out;
}

/** A task's type in vendor words: 'backup.create' -> 'CREATE_BACKUP', 'vm.power_on' -> 'POWER_ON_VIRTUAL_MACHINE'. */
export function taskKindOf(kind: Job['kind']): string {
  const [entity, verb] = kind.split('.');
  return `${verb}_${VENDOR_KIND[entity] ?? entity}`.toUpperCase();
}
