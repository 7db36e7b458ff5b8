import { Response, Router } from 'express';
import { Cluster, sampleSeries } from '@rosetta/core';
import { CollectionSpec, FilterBuilder, badBody, bool, boolValue, constant, ids, objectBody, parseList, queryValue, str, text } from '../parse';
import { fixedBool, fixedText, morefFilter } from '../filters';
import { loadRefs } from '../refs';
import { moref, renderCluster } from '../render';
import { isoSeconds, sendJson } from '../wire';
import { consumes } from '../media';
import { RouteContext, param, sendList, sendTask } from './context';
import { Window as MetricWindow, metricWindow, renderMetrics } from './metrics';

/** A cluster needs an arbiter exactly when it has two hosts (renderCluster): counted per cluster in SQL. */
function arbiterRequired(ctx: RouteContext): FilterBuilder {
  return async (raw, _c, name) => {
    const required = boolValue(raw, name);
    const hosts = await ctx.services.hosts.countBy('clusterId', { field: 'clusterId', op: 'isnull', value: false });
    const pairs = { field: 'id', op: 'in' as const, value: Object.keys(hosts).filter((id) => hosts[id] === 2) };
    return required ? pairs : { not: pairs };
  };
}

function clusterSpec(ctx: RouteContext): CollectionSpec {
  const l = ctx.lookups;
  return {
    filters: {
      id: ids('id'),
      name: text('name'),
      hypervisor_object_id: morefFilter('domain-c'),
      hypervisor_object_parent_id: l.bySite('siteId', 'datacenter'),
      hypervisor_object_parent_name: l.bySite('siteId', 'name'),
      hypervisor_management_system_name: l.bySite('siteId', 'hms'),
      type: constant({ OMNISTACK: true, EXTINCT_CLOUD_TYPE: false, UNKNOWN: false }),
      cluster_group_id: ids('siteId'),
      arbiter_connected: fixedBool(false),
      arbiter_configured: fixedBool(false),
      arbiter_required: arbiterRequired(ctx),
      // No arbiter is modelled: every cluster renders arbiter_address null, so no address matches.
      arbiter_address: fixedText(null),
    },
    sorts: { name: 'name', id: 'id', hypervisor_object_id: 'seq' },
  };
}

async function renderClusters(ctx: RouteContext, clusters: Cluster[], optional: boolean) {
  const refs = await loadRefs(ctx.services, { clusterIds: clusters.map((c) => c.id), capacity: optional });
  const env = ctx.env();
  return (c: Cluster) => renderCluster(c, refs, env, optional);
}

/**
 * Zones offered by set_time_zone: every IANA zone the runtime knows. The runtime lists canonical
 * zones only, without UTC, which clusters report until a zone is set: it is offered too.
 */
const timeZones = (): string[] => {
  const zones = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  return zones.includes('UTC') ? zones : [...zones, 'UTC'].sort();
};

export function clusterRoutes(router: Router, ctx: RouteContext): void {
  const { services, origin, settings } = ctx;
  const spec = clusterSpec(ctx);

  router.get('/api/omnistack_clusters', async (req, res) => {
    const parsed = await parseList(req, spec);
    const page = await services.clusters.page(parsed.query);
    sendList(res, 'omnistack_clusters', parsed, page, await renderClusters(ctx, page.items, parsed.showOptional));
  });

  router.get('/api/omnistack_clusters/time_zone_list', (_req, res) => {
    sendJson(res, 200, timeZones());
  });

  // Deprecated in v1.15 but still called by HPE's Prometheus connector: every connected pair.
  router.get('/api/omnistack_clusters/throughput', async (req, res) => {
    const window = metricWindow(req, services.clock.now());
    const clusters = await services.clusters.list({ order: [{ field: 'name', direction: 'asc' }] });
    sendThroughput(res, window, (await Promise.all(clusters.map((c) => throughputFrom(c, window, undefined)))).flat());
  });

  router.get('/api/omnistack_clusters/:id', async (req, res) => {
    const cluster = await services.clusters.get(param(req, 'id'));
    sendJson(res, 200, { omnistack_cluster: (await renderClusters(ctx, [cluster], true))(cluster) });
  });

  router.get('/api/omnistack_clusters/:id/connected_clusters', async (req, res) => {
    const cluster = await services.clusters.get(param(req, 'id'));
    // Clusters of one federation replicate to each other: the others of its site are connected.
    const peers = await services.clusters.list({ filter: { all: [{ field: 'siteId', op: 'eq', value: cluster.siteId }, { field: 'id', op: 'ne', value: cluster.id }] }, order: [{ field: 'name', direction: 'asc' }] });
    const render = await renderClusters(ctx, peers, false);
    sendJson(res, 200, { omnistack_clusters: peers.map(render) });
  });

  /**
   * Replication throughput to each connected cluster: the load model's write rate for the pair,
   * as replication carries the writes of the source's VMs.
   */
  const throughputFrom = async (source: Cluster, window: MetricWindow, destinationId: string | undefined) => {
    const peers = await services.clusters.list({
      filter: { all: [{ field: 'siteId', op: 'eq', value: source.siteId }, { field: 'id', op: 'ne', value: source.id }, ...(destinationId ? [{ field: 'id', op: 'eq' as const, value: destinationId }] : [])] },
      order: [{ field: 'name', direction: 'asc' }],
    });
    const site = await services.sites.find(source.siteId);
    const end = (c: Cluster, prefix: string) => ({
      [`${prefix}_omnistack_cluster_id`]: c.id,
      [`${prefix}_omnistack_cluster_name`]: c.name,
      [`${prefix}_omnistack_cluster_hypervisor_object_parent_id`]: site ? moref.datacenter(site) : null,
      [`${prefix}_omnistack_cluster_hypervisor_object_parent_name`]: site?.name ?? null,
    });
    return peers.map((dest) => {
      const points = sampleSeries({ id: `${source.id}->${dest.id}`, cpuUsagePct: 0, memoryUsagePct: 0, running: true }, window.from, window.to, window.stepMs).map((s) => ({ date: isoSeconds(s.at), value: s.writeBytesPerSec }));
      const max = points.reduce((a, p) => (p.value > a.value ? p : a), points[0] ?? { date: isoSeconds(window.to), value: 0 });
      const min = points.reduce((a, p) => (p.value < a.value ? p : a), points[0] ?? { date: isoSeconds(window.to), value: 0 });
      return {
        ...end(source, 'source'),
        ...end(dest, 'destination'),
        date: isoSeconds(window.to),
        average_throughput: points.length ? Math.round(points.reduce((n, p) => n + p.value, 0) / points.length) : 0,
        data: { data_points: points, maximum_throughput: max.value, date_of_maximum: max.date, minimum_throughput: min.value, date_of_minimum: min.date },
      };
    });
  };
  const sendThroughput = (res: Response, window: MetricWindow, throughput: unknown[]) =>
    sendJson(res, 200, { cluster_throughput: throughput, start_time: isoSeconds(window.from), end_time: isoSeconds(window.to) });

  router.get('/api/omnistack_clusters/:id/throughput', async (req, res) => {
    const source = await services.clusters.get(param(req, 'id'));
    const window = metricWindow(req, services.clock.now());
    sendThroughput(res, window, await throughputFrom(source, window, queryValue(req, 'destination_id')));
  });

  router.get('/api/omnistack_clusters/:id/metrics', async (req, res) => {
    const cluster = await services.clusters.get(param(req, 'id'));
    sendJson(res, 200, renderMetrics({ id: cluster.id, cpuUsagePct: 0, memoryUsagePct: 0, running: true }, metricWindow(req, services.clock.now())));
  });

  router.post('/api/omnistack_clusters/:id/set_iwo', consumes(16, settings.strictMediaTypes), async (req, res) => {
    const enabled = bool(objectBody(req), 'enabled');
    if (enabled === undefined) throw badBody('enabled', 'is required');
    sendTask(res, await services.operations.setClusterIwo(origin, param(req, 'id'), enabled));
  });

  router.post('/api/omnistack_clusters/:id/set_time_zone', consumes(0, settings.strictMediaTypes), async (req, res) => {
    sendTask(res, await services.operations.setClusterTimeZone(origin, param(req, 'id'), str(objectBody(req), 'time_zone', true)));
  });
}
