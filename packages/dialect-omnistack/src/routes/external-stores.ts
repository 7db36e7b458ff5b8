import { Router } from 'express';
import { ExternalStore } from '@rosetta/core';
import { CollectionSpec, badBody, ids, num, objectBody, parseList, str, text } from '../parse';
import { RouteContext, sendList, sendTask } from './context';
import { consumes } from '../media';

/** HPE StoreOnce's documented default ports. */
const MANAGEMENT_PORT = 9387;
const STORAGE_PORT = 9388;

function spec(ctx: RouteContext): CollectionSpec {
  return {
    filters: {
      name: text('name'),
      omnistack_cluster_id: ids('clusterId'),
      management_ip: text('managementAddress'),
      cluster_group_id: ctx.lookups.clusterBySite('clusterId', 'id'),
    },
    sorts: { name: 'name', management_ip: 'managementAddress', omnistack_cluster_id: 'clusterId', type: 'kind' },
  };
}

const port = (body: Record<string, unknown>, name: string, fallback: number): number => {
  const n = num(body, name) ?? fallback;
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw badBody(name, 'must be a TCP port');
  return n;
};

export function externalStoreRoutes(router: Router, ctx: RouteContext): void {
  const { services, origin, settings } = ctx;
  const stores = services.externalStores;

  router.get('/api/external_stores', async (req, res) => {
    const parsed = await parseList(req, spec(ctx));
    const page = await stores.page(parsed.query);
    const clusters = page.items.length ? await services.clusters.list({ filter: { field: 'id', op: 'in', value: page.items.map((s) => s.clusterId) } }) : [];
    // The password is a secret: never part of the representation.
    sendList(res, 'external_stores', parsed, page, (s: ExternalStore) => ({
      name: s.name,
      omnistack_cluster_id: s.clusterId,
      cluster_group_ids: clusters.filter((c) => c.id === s.clusterId).map((c) => c.siteId),
      management_ip: s.managementAddress,
      management_port: s.managementPort,
      storage_port: s.storagePort,
      type: s.kind,
    }));
  });

  router.post('/api/external_stores', consumes(11, settings.strictMediaTypes), async (req, res) => {
    const body = objectBody(req);
    sendTask(
      res,
      await stores.register(origin, {
        name: str(body, 'name', true),
        clusterId: str(body, 'omnistack_cluster_id', true),
        kind: str(body, 'type') ?? 'StoreOnceOnPrem',
        managementAddress: str(body, 'management_ip', true),
        managementPort: port(body, 'management_port', MANAGEMENT_PORT),
        storagePort: port(body, 'storage_port', STORAGE_PORT),
        username: str(body, 'username', true),
        password: str(body, 'password', true),
      }),
    );
  });

  router.post('/api/external_stores/unregister', consumes(15, settings.strictMediaTypes), async (req, res) => {
    const body = objectBody(req);
    sendTask(res, await stores.unregister(origin, str(body, 'name', true), str(body, 'omnistack_cluster_id', true)));
  });

  router.post('/api/external_stores/update_credentials', consumes(15, settings.strictMediaTypes), async (req, res) => {
    const body = objectBody(req);
    sendTask(res, await stores.updateCredentials(origin, str(body, 'name', true), { username: str(body, 'username', true), password: str(body, 'password', true), managementAddress: str(body, 'management_ip') }));
  });
}
