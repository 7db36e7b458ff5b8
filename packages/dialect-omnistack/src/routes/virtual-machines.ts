import { Router } from 'express';
import { Filter, Vm } from '@rosetta/core';
import { StampedCache } from '@rosetta/http';
import { CollectionSpec, FilterBuilder, badBody, badParam, bool, constant, dateRange, enumOf, idList, ids, num, objectBody, parseList, str, text } from '../parse';
import { renderImpactReport } from '../reports';
import { morefFilter } from '../filters';
import { loadRefs, vmStamp } from '../refs';
import { renderBackup, renderVm } from '../render';
import { sendEncoded, sendJson } from '../wire';
import { consumes } from '../media';
import { RouteContext, listBody, param, sendList, sendTask } from './context';
import { metricWindow, renderMetrics } from './metrics';
import { backupsPage } from './backups';

const CONSISTENCY: Record<string, string | null> = { NONE: 'none', DEFAULT: 'default', VSS: 'vss', FAILEDVSS: 'failedvss', NOT_APPLICABLE: 'not_applicable' };

function vmSpec(ctx: RouteContext): CollectionSpec {
  const l = ctx.lookups;
  const s = ctx.services;
  return {
    filters: {
      id: ids('id'),
      name: text('name'),
      omnistack_cluster_id: l.vmCluster('id'),
      omnistack_cluster_name: l.vmCluster('name'),
      compute_cluster_parent_hypervisor_object_id: l.vmCluster('site-datacenter'),
      compute_cluster_parent_name: l.vmCluster('site-name'),
      hypervisor_management_system: l.vmCluster('site-hms'),
      hypervisor_management_system_name: l.vmCluster('site-hms'),
      cluster_group_id: l.vmCluster('site-id'),
      datastore_id: ids('datastoreId'),
      datastore_name: l.byName('datastoreId', (filter) => s.datastores.list({ filter })),
      policy_id: ids('policyId'),
      policy_name: l.byName('policyId', (filter) => s.policies.list({ filter })),
      hypervisor_object_id: morefFilter('vm-'),
      host_id: ids('hostId'),
      created_after: dateRange('createdAt', 'gte'),
      created_before: dateRange('createdAt', 'lte'),
      state: constant({ ALIVE: true, REMOVED: false, DELETED: false }),
      app_aware_vm_status: appAwareFilter(ctx),
      hypervisor_is_template: constant({ FALSE: true, TRUE: false }),
      hypervisor_virtual_machine_power_state: enumOf('state', { ON: 'running', OFF: 'stopped', SUSPENDED: 'suspended', UNKNOWN: null }),
    },
    sorts: {
      name: 'name',
      id: 'id',
      created_at: 'createdAt',
      host_id: 'hostId',
      datastore_id: 'datastoreId',
      policy_id: 'policyId',
      hypervisor_object_id: 'seq',
      hypervisor_cpu_count: 'cpuCount',
      hypervisor_total_memory: 'memoryMb',
      hypervisor_allocated_capacity: 'diskBytes',
    },
  };
}

export async function renderVms(ctx: RouteContext, vms: Vm[], optional: boolean) {
  const refs = await loadRefs(ctx.services, { vmIds: [], hostIds: vms.map((v) => v.hostId), datastoreIds: vms.map((v) => v.datastoreId), policyIds: vms.map((v) => v.policyId), guestVmIds: vms.map((v) => v.id) });
  return (vm: Vm) => renderVm(vm, refs, optional);
}

const APP_AWARE_STATUSES = ['UNKNOWN', 'CAPABLE', 'INVALID_CREDS', 'VALID_CREDS', 'VMWARE_TOOLS_UNAVAILABLE', 'INVALID_OS', 'UNKNOWN_FAULT'];

/** app_aware_vm_status follows the guest account (see appAwareStatus): UNKNOWN without one, VALID_CREDS or CAPABLE with one. */
function appAwareFilter(ctx: RouteContext): FilterBuilder {
  return async (raw, _c, name) => {
    const wanted = raw.split(',').map((v) => v.trim().toUpperCase()).filter(Boolean);
    const bad = wanted.find((v) => !APP_AWARE_STATUSES.includes(v));
    if (bad) throw badParam(name, `${bad} is not one of ${APP_AWARE_STATUSES.join(', ')}`);
    const accounts = await ctx.services.vms.guestAccounts();
    const ids = (override: boolean) => accounts.filter((a) => a.overrideValidation === override).map((a) => a.id);
    const any: Filter[] = [];
    if (wanted.includes('UNKNOWN')) any.push({ not: { field: 'id', op: 'in', value: accounts.map((a) => a.id) } });
    if (wanted.includes('VALID_CREDS')) any.push({ field: 'id', op: 'in', value: ids(false) });
    if (wanted.includes('CAPABLE')) any.push({ field: 'id', op: 'in', value: ids(true) });
    return { any };
  };
}

const APP_AWARE_TYPES: Record<string, string> = { NONE: 'none', DEFAULT: 'default', FAILEDVSS: 'failedvss', NOT_APPLICABLE: 'not_applicable', VSS: 'vss' };

export function virtualMachineRoutes(router: Router, ctx: RouteContext): void {
  const { services, origin, settings } = ctx;
  const ops = services.operations;
  const spec = vmSpec(ctx);
  const min = (minor: number) => consumes(minor, settings.strictMediaTypes);

  // VM bodies are computed only from VM_TABLES, so they are reused until one of those is written:
  // the same request over the same data gives the same bytes (nothing in them depends on the clock
  // or the caller).
  const bodies = new StampedCache(64 * 1024 * 1024);

  router.get('/api/virtual_machines', async (req, res) => {
    const body = await bodies.get(`list ${req.url}`, await vmStamp(services), async () => {
      const parsed = await parseList(req, spec);
      const page = await services.vms.page(parsed.query);
      return Buffer.from(JSON.stringify(listBody('virtual_machines', parsed, page, await renderVms(ctx, page.items, parsed.showOptional))));
    });
    sendEncoded(res, 200, body);
  });

  // Not a task: what applying a policy to these VMs would do to the federation's backup schedule.
  router.post('/api/virtual_machines/policy_impact_report/apply_policy', min(9), async (req, res) => {
    const body = objectBody(req);
    const change = await services.backupImpact.compare({ kind: 'apply', policyId: str(body, 'policy_id', true), vmIds: idList(body, 'virtual_machine_id') });
    sendJson(res, 200, renderImpactReport(change, settings));
  });

  router.post('/api/virtual_machines/set_policy', min(0), async (req, res) => {
    const body = objectBody(req);
    sendTask(res, await ops.setVmPolicy(origin, idList(body, 'virtual_machine_id'), str(body, 'policy_id', true)));
  });

  // Single-object GETs carry the optional fields: HPE's Python SDK reads the power state from them.
  router.get('/api/virtual_machines/:id', async (req, res) => {
    const body = await bodies.get(`one ${param(req, 'id')}`, await vmStamp(services), async () => {
      const vm = await services.vms.get(param(req, 'id'));
      return Buffer.from(JSON.stringify({ virtual_machine: (await renderVms(ctx, [vm], true))(vm) }));
    });
    sendEncoded(res, 200, body);
  });

  router.post('/api/virtual_machines/:id/backup', min(0), async (req, res) => {
    const body = objectBody(req);
    const consistency = str(body, 'consistency_type');
    const retention = num(body, 'retention');
    sendTask(
      res,
      await ops.backupVm(origin, param(req, 'id'), {
        name: str(body, 'backup_name'),
        datastoreId: await destinationDatastore(ctx, param(req, 'id'), str(body, 'destination_id')),
        retentionMinutes: retention,
        appConsistent: bool(body, 'app_consistent'),
        consistency: consistency ? (CONSISTENCY[consistency.toUpperCase()] ?? 'none') : undefined,
        externalStoreName: str(body, 'external_store_name'),
      }),
    );
  });

  router.post('/api/virtual_machines/:id/clone', min(0), async (req, res) => {
    const body = objectBody(req);
    sendTask(res, await ops.cloneVm(origin, param(req, 'id'), str(body, 'virtual_machine_name', true)));
  });

  router.post('/api/virtual_machines/:id/move', min(0), async (req, res) => {
    const body = objectBody(req);
    sendTask(res, await ops.moveVm(origin, param(req, 'id'), str(body, 'destination_datastore_id', true), str(body, 'virtual_machine_name')));
  });

  router.post('/api/virtual_machines/:id/set_policy', min(0), async (req, res) => {
    const body = objectBody(req);
    sendTask(res, await ops.setVmPolicy(origin, [param(req, 'id')], str(body, 'policy_id', true)));
  });

  router.post('/api/virtual_machines/:id/power_on', min(9), async (req, res) => {
    sendTask(res, await ops.powerVm(origin, param(req, 'id'), true));
  });

  router.post('/api/virtual_machines/:id/power_off', min(9), async (req, res) => {
    sendTask(res, await ops.powerVm(origin, param(req, 'id'), false));
  });

  // GO sends override_validation, PY and PowerShell override_guest_validation.
  router.post('/api/virtual_machines/:id/backup_parameters', min(8), async (req, res) => {
    const body = objectBody(req);
    const type = str(body, 'app_aware_type');
    if (type !== undefined && !APP_AWARE_TYPES[type.toUpperCase()]) throw badBody('app_aware_type', `must be one of ${Object.keys(APP_AWARE_TYPES).join(', ')}`);
    sendTask(
      res,
      await ops.setGuestCredentials(origin, param(req, 'id'), {
        username: str(body, 'guest_username', true),
        password: str(body, 'guest_password', true),
        overrideValidation: bool(body, 'override_guest_validation') ?? bool(body, 'override_validation') ?? false,
        appAwareType: type === undefined ? null : APP_AWARE_TYPES[type.toUpperCase()],
      }),
    );
  });

  // Not a task: the appliance answers at once.
  router.post('/api/virtual_machines/:id/validate_backup_credentials', min(8), async (req, res) => {
    const body = objectBody(req);
    const status = await ops.checkGuestCredentials(param(req, 'id'), str(body, 'guest_username', true), str(body, 'guest_password', true));
    sendJson(res, 200, { credentials_validation: { status: status === 'powered_off' ? 'VM_POWERED_OFF' : status.toUpperCase() } });
  });

  // GO expects the list envelope here, PY only the backups key: the envelope satisfies both.
  router.get('/api/virtual_machines/:id/backups', async (req, res) => {
    const vm = await services.vms.get(param(req, 'id'));
    const { parsed, page, refs } = await backupsPage(ctx, req, { field: 'vmId', op: 'eq', value: vm.id });
    sendList(res, 'backups', parsed, page, (b) => renderBackup(b, refs));
  });

  router.get('/api/virtual_machines/:id/metrics', async (req, res) => {
    const vm = await services.vms.get(param(req, 'id'));
    const window = metricWindow(req, services.clock.now());
    sendJson(res, 200, renderMetrics({ id: vm.id, cpuUsagePct: vm.cpuUsagePct, memoryUsagePct: vm.memoryUsagePct, running: vm.state === 'running' }, window));
  });
}

/**
 * destination_id names an omnistack_cluster (PowerShell always sends the VM's own): the backup
 * lands on the VM's datastore when that is in the cluster, else on the cluster's first datastore.
 */
async function destinationDatastore(ctx: RouteContext, vmId: string, clusterId: string | undefined): Promise<string | undefined> {
  if (!clusterId) return undefined;
  const cluster = await ctx.services.clusters.get(clusterId);
  const vm = await ctx.services.vms.get(vmId);
  const own = vm.datastoreId ? await ctx.services.datastores.find(vm.datastoreId) : undefined;
  if (own && own.clusterId === cluster.id) return own.id;
  const [first] = await ctx.services.datastores.list({ filter: { field: 'clusterId', op: 'eq', value: cluster.id }, order: [{ field: 'seq', direction: 'asc' }], limit: 1 });
  return first?.id ?? own?.id;
}
