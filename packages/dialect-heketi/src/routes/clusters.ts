import { coalescedReads, eq } from '@rosetta/core';
import { StampedCache } from '@rosetta/http';
import { HeketiContext, RouteTable, pendingVolumes } from '../context';
import { hexId, sortedHex } from '../ids';
import { idParam, readBody } from '../parse';
import { renderCluster } from '../render';
import { sendEmpty, sendEncodedJson, sendJson } from '../reply';
import { goEncode } from '../go-json';

const FLAGS = { struct: { block: 'bool', file: 'bool' } } as const;

/** Heketi clusters are core clusters; every core cluster is one. */
export function clusterRoutes(r: RouteTable, ctx: HeketiContext): void {
  const { services } = ctx;
  // heketi-cli's topology info reads every cluster: reuse them until their sources change. Concurrent
  // requests share one stamp read, which keeps a hot GET at a single cheap round trip.
  const stamp = coalescedReads(() => services.changes.stamp(['clusters', 'hosts', 'volumes', 'jobs']));
  const rendered = new StampedCache();

  r.add('POST', '/clusters', async (req, res) => {
    const body = readBody<{ block: boolean; file: boolean }>(req, FLAGS);
    // Heketi applies no server-side defaults: {} makes a cluster that takes no volumes at all.
    const cluster = await services.storage.createCluster({
      fileEnabled: body.file,
      blockEnabled: body.block,
      name: (id) => `cluster_${hexId(id)}`,
    });
    sendJson(res, 201, renderCluster(cluster, [], [], []));
  });

  r.add('POST', '/clusters/:id/flags', async (req, res, params) => {
    const body = readBody<{ block: boolean; file: boolean }>(req, FLAGS);
    await services.clusters.update(idParam(params), { fileEnabled: body.file, blockEnabled: body.block });
    sendEmpty(res, 200, { 'Content-Type': 'application/json; charset=UTF-8' });
  });

  r.add('GET', '/clusters', async (_req, res) => {
    const clusters = await services.clusters.list();
    sendJson(res, 200, { clusters: sortedHex(clusters.map((c) => c.id)) });
  });

  r.add('GET', '/clusters/:id', async (req, res, params) => {
    const id = idParam(params);
    const body = await rendered.get(id, await stamp(), async () => {
      const [cluster, hosts, volumes, pending] = await Promise.all([
        services.clusters.get(id),
        services.hosts.list({ filter: eq('clusterId', id) }),
        services.volumes.list({ filter: eq('clusterId', id) }),
        pendingVolumes(ctx),
      ]);
      const visible = volumes.filter((v) => !pending.has(v.id));
      return Buffer.from(
        goEncode(
          renderCluster(
            cluster,
            hosts.map((h) => h.id),
            visible.filter((v) => v.kind === 'file').map((v) => v.id),
            visible.filter((v) => v.kind === 'block').map((v) => v.id),
          ),
        ),
      );
    });
    sendEncodedJson(res, 200, body);
  });

  r.add('DELETE', '/clusters/:id', async (req, res, params) => {
    await services.clusters.remove(idParam(params));
    sendEmpty(res, 200);
  });
}
