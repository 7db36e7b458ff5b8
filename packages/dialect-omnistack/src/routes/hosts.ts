import { Router } from 'express';
import { Host } from '@rosetta/core';
import { CollectionSpec, FilterBuilder, bool, boolValue, constant, enumOf, ids, objectBody, parseList, text, badParam, queryValue } from '../parse';
import { consumes } from '../media';
import { derivedText, fixedBool, fixedNumber, fixedText, morefFilter } from '../filters';
import { loadRefs } from '../refs';
import { renderHost, virtualControllerName } from '../render';
import { renderHostHardware } from '../hardware';
import { sendJson, isoSeconds } from '../wire';
import { RouteContext, param, sendList, sendTask } from './context';
import { metricWindow, renderMetrics } from './metrics';

const featureLevel = (version: string): number => Number(version.split('.').slice(0, 3).join('')) || 0;

/** Zones are the core's failure-zone numbers, shown as strings: a name that is no number matches no host. */
const zoneFilter: FilterBuilder = (raw) => ({ field: 'zone', op: 'in', value: raw.split(',').map((v) => v.trim()).filter((v) => /^\d+$/.test(v)).map(Number) });

function hostSpec(ctx: RouteContext): CollectionSpec {
  const l = ctx.lookups;
  const level = featureLevel(ctx.settings.svtfsVersion);
  const levels = Object.fromEntries(
    ['current_feature_level', 'potential_feature_level', 'cluster_feature_level'].flatMap((f) => [
      [`${f}_min`, fixedNumber(level, 'gte')],
      [`${f}_max`, fixedNumber(level, 'lte')],
    ]),
  );
  return {
    filters: {
      id: ids('id'),
      name: text('name'),
      type: constant({ OMNISTACK: true, EXTINCT_CLOUD_TYPE: false, UNKNOWN: false }),
      model: text('model'),
      version: fixedText(ctx.settings.svtfsVersion),
      hypervisor_management_system: l.bySite('siteId', 'hms'),
      hypervisor_management_system_name: l.bySite('siteId', 'hms'),
      hypervisor_object_id: morefFilter('host-'),
      compute_cluster_name: l.clusterByName('clusterId'),
      compute_cluster_hypervisor_object_id: l.clusterByMoref('clusterId'),
      compute_cluster_parent_name: l.bySite('siteId', 'name'),
      compute_cluster_parent_hypervisor_object_id: l.bySite('siteId', 'datacenter'),
      management_ip: text('managementAddress'),
      storage_ip: text('storageAddress'),
      federation_ip: text('storageAddress'),
      virtual_controller_name: derivedText(() => ctx.services.hosts.list(), virtualControllerName),
      // Policy backups are suspended per cluster: hosts of suspended clusters report policy_enabled false.
      policy_enabled: async (raw, _c, name) => {
        const enabled = boolValue(raw, name);
        const suspended = (await ctx.services.clusters.list({ filter: { field: 'backupsSuspended', op: 'eq', value: true } })).map((c) => c.id);
        const inSuspended = { field: 'clusterId', op: 'in' as const, value: suspended };
        return enabled ? { not: inSuspended } : inSuspended;
      },
      upgrade_state: constant({ SUCCESS: true, FAIL: false, IN_PROGRESS: false, NOOP: false, UNKNOWN: false }),
      can_rollback: fixedBool(false),
      omnistack_cluster_id: ids('clusterId'),
      cluster_group_id: ids('siteId'),
      state: enumOf('state', { ALIVE: 'up', FAULTY: 'down', SUSPECTED: 'maintenance', MANAGED: null, REMOVED: null, UNKNOWN: null }),
      availability_zone_planned: zoneFilter,
      availability_zone_effective: zoneFilter,
      ...levels,
    },
    sorts: {
      name: 'name',
      id: 'id',
      model: 'model',
      state: 'state',
      management_ip: 'managementAddress',
      storage_ip: 'storageAddress',
      omnistack_cluster_id: 'clusterId',
      hypervisor_object_id: 'seq',
    },
  };
}

async function renderHosts(ctx: RouteContext, hosts: Host[], optional: boolean) {
  const refs = await loadRefs(ctx.services, { hostIds: hosts.map((h) => h.id), capacity: optional });
  const env = ctx.env();
  return (h: Host) => renderHost(h, refs, env, optional);
}

const CAPACITY_NAMES = [
  'allocated_capacity',
  'capacity_savings',
  'compression_ratio',
  'deduplication_ratio',
  'efficiency_ratio',
  'free_space',
  'local_backup_capacity',
  'remote_backup_capacity',
  'stored_compressed_data',
  'stored_uncompressed_data',
  'stored_virtual_machine_data',
  'used_capacity',
  'used_logical_capacity',
];

export function hostRoutes(router: Router, ctx: RouteContext): void {
  const { services } = ctx;
  const spec = hostSpec(ctx);

  router.get('/api/hosts', async (req, res) => {
    const parsed = await parseList(req, spec);
    const page = await services.hosts.page(parsed.query);
    sendList(res, 'hosts', parsed, page, await renderHosts(ctx, page.items, parsed.showOptional));
  });

  router.get('/api/hosts/:id', async (req, res) => {
    const host = await services.hosts.get(param(req, 'id'));
    sendJson(res, 200, { host: (await renderHosts(ctx, [host], true))(host) });
  });

  router.get('/api/hosts/:id/hardware', async (req, res) => {
    const host = await services.hosts.get(param(req, 'id'));
    const devices = await services.devices.list({ filter: { field: 'hostId', op: 'eq', value: host.id }, order: [{ field: 'seq', direction: 'asc' }] });
    sendJson(res, 200, { host: renderHostHardware(host, devices) });
  });

  router.post('/api/hosts/:id/remove_from_federation', consumes(9, ctx.settings.strictMediaTypes), async (req, res) => {
    sendTask(res, await services.operations.removeHostFromCluster(ctx.origin, param(req, 'id'), bool(objectBody(req), 'force') ?? false));
  });

  // Not tasks: the appliance answers these at once. Shutdowns complete immediately here, so none is
  // ever in progress and there is never one to cancel.
  router.post('/api/hosts/:id/shutdown_virtual_controller', consumes(0, ctx.settings.strictMediaTypes), async (req, res) => {
    const outcome = await services.operations.shutdownStorageController(param(req, 'id'), bool(objectBody(req), 'ha_wait') ?? true);
    sendJson(res, 200, { shutdown_status: { status: outcome === 'done' ? 'SUCCESS' : 'FAILURE' } });
  });

  router.post('/api/hosts/:id/cancel_virtual_controller_shutdown', async (req, res) => {
    await services.hosts.get(param(req, 'id'));
    sendJson(res, 200, { cancellation_status: { status: 'FAILURE' } });
  });

  router.get('/api/hosts/:id/virtual_controller_shutdown_status', async (req, res) => {
    await services.hosts.get(param(req, 'id'));
    sendJson(res, 200, { shutdown_status: { status: 'NONE' } });
  });

  router.get('/api/hosts/:id/metrics', async (req, res) => {
    const host = await services.hosts.get(param(req, 'id'));
    sendJson(res, 200, renderMetrics({ id: host.id, cpuUsagePct: 0, memoryUsagePct: 0, running: host.power === 'on' }, metricWindow(req, services.clock.now())));
  });

  /**
   * Capacity history: the core keeps current capacity only, so every point of the window shows
   * today's figures, which is what a freshly built appliance would show.
   */
  router.get('/api/hosts/:id/capacity', async (req, res) => {
    const host = await services.hosts.get(param(req, 'id'));
    const window = metricWindow(req, services.clock.now());
    const fieldsRaw = queryValue(req, 'fields');
    const names = fieldsRaw ? fieldsRaw.split(',').map((f) => f.trim()).filter(Boolean) : CAPACITY_NAMES;
    const unknown = names.find((n) => !CAPACITY_NAMES.includes(n));
    if (unknown) throw badParam('fields', `${unknown} is not a capacity metric`);
    const rendered = (await renderHosts(ctx, [host], true))(host);
    const dates: string[] = [];
    for (let t = Math.ceil(window.from.getTime() / window.stepMs) * window.stepMs; t <= window.to.getTime(); t += window.stepMs) dates.push(isoSeconds(new Date(t)));
    sendJson(res, 200, { metrics: names.map((name) => ({ name, data_points: dates.map((date) => ({ value: rendered[name], date })) })) });
  });
}
