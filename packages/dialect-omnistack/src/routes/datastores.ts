import { Router } from 'express';
import { Datastore } from '@rosetta/core';
import { CollectionSpec, dateRange, ids, num, numberRange, objectBody, parseList, str, text } from '../parse';
import { fixedBool, morefFilter } from '../filters';
import { loadRefs } from '../refs';
import { moref, renderDatastore } from '../render';
import { sendJson } from '../wire';
import { consumes } from '../media';
import { badBody } from '../parse';
import { RouteContext, param, sendList, sendTask } from './context';

const MOUNT_PREFIX = '/mnt/svtfs/0/';

function datastoreSpec(ctx: RouteContext): CollectionSpec {
  const l = ctx.lookups;
  return {
    filters: {
      id: ids('id'),
      name: text('name'),
      min_size: numberRange('capacityBytes', 'gte'),
      max_size: numberRange('capacityBytes', 'lte'),
      created_after: dateRange('createdAt', 'gte'),
      created_before: dateRange('createdAt', 'lte'),
      omnistack_cluster_id: ids('clusterId'),
      omnistack_cluster_name: l.clusterByName('clusterId'),
      compute_cluster_parent_hypervisor_object_id: l.clusterBySite('clusterId', 'datacenter'),
      compute_cluster_parent_name: l.clusterBySite('clusterId', 'name'),
      hypervisor_management_system_name: l.clusterBySite('clusterId', 'hms'),
      cluster_group_id: l.clusterBySite('clusterId', 'id'),
      policy_id: ids('policyId'),
      policy_name: l.byName('policyId', (filter) => ctx.services.policies.list({ filter })),
      hypervisor_object_id: morefFilter('datastore-'),
      mount_directory: (raw, c, name) => text('name')(raw.split(',').map((d) => d.trim().replace(MOUNT_PREFIX, '')).join(','), c, name),
      single_replica: fixedBool(false),
    },
    sorts: { name: 'name', id: 'id', created_at: 'createdAt', size: 'capacityBytes', omnistack_cluster_id: 'clusterId', policy_id: 'policyId', hypervisor_object_id: 'seq' },
  };
}

async function renderDatastores(ctx: RouteContext, items: Datastore[], optional: boolean) {
  const refs = await loadRefs(ctx.services, { datastoreIds: items.map((d) => d.id), hostIds: items.flatMap((d) => d.sharedHostIds ?? []) });
  return (d: Datastore) => renderDatastore(d, refs, optional);
}

const size = (body: Record<string, unknown>): number => {
  const n = num(body, 'size', true)!;
  if (!Number.isSafeInteger(n) || n <= 0) throw badBody('size', 'must be a positive number of bytes');
  return n;
};

export function datastoreRoutes(router: Router, ctx: RouteContext): void {
  const { services, origin, settings } = ctx;
  const ops = services.operations;
  const spec = datastoreSpec(ctx);
  const min = (minor: number) => consumes(minor, settings.strictMediaTypes);

  router.get('/api/datastores', async (req, res) => {
    const parsed = await parseList(req, spec);
    const page = await services.datastores.page(parsed.query);
    sendList(res, 'datastores', parsed, page, await renderDatastores(ctx, page.items, parsed.showOptional));
  });

  router.post('/api/datastores', min(0), async (req, res) => {
    const body = objectBody(req);
    sendTask(
      res,
      await ops.createDatastore(origin, {
        name: str(body, 'name', true),
        clusterId: str(body, 'omnistack_cluster_id', true),
        policyId: str(body, 'policy_id', true),
        capacityBytes: size(body),
      }),
    );
  });

  router.get('/api/datastores/:id', async (req, res) => {
    const ds = await services.datastores.get(param(req, 'id'));
    sendJson(res, 200, { datastore: (await renderDatastores(ctx, [ds], true))(ds) });
  });

  router.delete('/api/datastores/:id', async (req, res) => {
    sendTask(res, await ops.deleteDatastore(origin, param(req, 'id')));
  });

  router.post('/api/datastores/:id/resize', min(0), async (req, res) => {
    sendTask(res, await ops.resizeDatastore(origin, param(req, 'id'), size(objectBody(req))));
  });

  router.post('/api/datastores/:id/share', min(8), async (req, res) => {
    sendTask(res, await ops.shareDatastore(origin, param(req, 'id'), str(objectBody(req), 'host_name', true), true));
  });

  router.post('/api/datastores/:id/unshare', min(8), async (req, res) => {
    sendTask(res, await ops.shareDatastore(origin, param(req, 'id'), str(objectBody(req), 'host_name', true), false));
  });

  /** Standard hosts: hosts of the datastore's site that belong to no cluster and can mount it over NFS. */
  router.get('/api/datastores/:id/standard_hosts', async (req, res) => {
    const ds = await services.datastores.get(param(req, 'id'));
    const cluster = await services.clusters.get(ds.clusterId);
    const hosts = await services.hosts.list({ filter: { all: [{ field: 'siteId', op: 'eq', value: cluster.siteId }, { field: 'clusterId', op: 'isnull', value: true }] }, order: [{ field: 'name', direction: 'asc' }] });
    const counts = await Promise.all(hosts.map((h) => services.vms.count({ field: 'hostId', op: 'eq', value: h.id })));
    sendJson(res, 200, {
      standard_hosts: hosts.map((h, i) => ({ hypervisor_object_id: moref.host(h), ip_address: h.managementAddress, name: h.name, shared: (ds.sharedHostIds ?? []).includes(h.id), virtual_machine_count: counts[i] })),
    });
  });

  router.post('/api/datastores/:id/set_policy', min(0), async (req, res) => {
    sendTask(res, await ops.setDatastorePolicy(origin, param(req, 'id'), str(objectBody(req), 'policy_id', true)));
  });
}
