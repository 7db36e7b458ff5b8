import { CoreError, coalescedReads, eq, isCoreError } from '@rosetta/core';
import { StampedCache } from '@rosetta/http';
import { HeketiContext, RouteTable, accepted, throttle } from '../context';
import { heketiError } from '../errors';
import { coreId } from '../ids';
import { Issues, STATE_REQUEST, TAGS_CHANGE, failValidation, idParam, isHeketiId, isHost, readBody, tagProblem } from '../parse';
import { HOST_STATE, renderNode } from '../render';
import { sendEncodedJson, sendJson } from '../reply';
import { GoMap, goEncode } from '../go-json';
import { stateIssues, tagsIssues } from './shared';

interface NodeAdd {
  zone: number;
  hostnames: { manage?: string[]; storage?: string[] };
  cluster: string;
  tags?: Record<string, string>;
}

const NODE_ADD = {
  struct: {
    zone: 'int',
    hostnames: { struct: { manage: { array: 'string' }, storage: { array: 'string' } } },
    cluster: 'string',
    tags: { map: 'string' },
  },
} as const;

function hostnameIssues(list: string[] | undefined, which: string): string | undefined {
  if (!list?.length) return 'cannot be blank';
  if (!list.every(isHost)) return `[${list.join(' ')}] is not a valid ${which} hostname`;
  return undefined;
}

function nodeAddIssues(body: NodeAdd): Issues {
  const issues: Issues = new Map();
  if (!body.zone) issues.set('zone', 'cannot be blank');
  else if (body.zone < 1) issues.set('zone', 'must be no less than 1');
  const names: Issues = new Map();
  const manage = hostnameIssues(body.hostnames.manage, 'manage');
  const storage = hostnameIssues(body.hostnames.storage, 'storage');
  if (manage) names.set('manage', manage);
  if (storage) names.set('storage', storage);
  if (names.size) issues.set('hostnames', names);
  if (!body.cluster) issues.set('cluster', 'cannot be blank');
  else if (!isHeketiId(body.cluster)) issues.set('cluster', `${body.cluster} is not a valid UUID`);
  const tags = tagProblem(body.tags);
  if (tags) issues.set('tags', tags);
  return issues;
}

/** Heketi nodes are core hosts that belong to a cluster. */
export function nodeRoutes(r: RouteTable, ctx: HeketiContext): void {
  const { services } = ctx;
  // heketi-cli's topology info reads every node: reuse them until their sources change.
  // Concurrent requests share one stamp read, which keeps a hot GET at a single cheap round trip.
  const stamp = coalescedReads(() => services.changes.stamp(['hosts', 'devices', 'bricks']));
  const rendered = new StampedCache();

  const clusteredHost = async (id: string) => {
    const host = await services.hosts.get(id);
    if (!host.clusterId) throw new CoreError('NOT_FOUND', 'host has no cluster', { kind: 'host', id });
    return host;
  };

  r.add('POST', '/nodes', async (req, res) => {
    const body = readBody<NodeAdd>(req, NODE_ADD);
    failValidation(nodeAddIssues(body));
    const clusterId = coreId(body.cluster);
    const missing = () => heketiError(404, 'Cluster id does not exist');
    if (!clusterId) throw missing();
    const manage = body.hostnames.manage!;
    const storage = body.hostnames.storage!;
    // addHost locks the cluster first, so its NOT_FOUND is the existence check (no read before).
    const added = await services.storage
      .addHost(
        { clusterId, zone: body.zone, managementAddress: manage[0], storageAddress: storage[0], addresses: [...manage, ...storage], tags: body.tags ?? {} },
        'heketi',
      )
      .catch((err: unknown) => {
        throw isCoreError(err) && err.code === 'NOT_FOUND' && err.details.kind === 'cluster' ? missing() : err;
      });
    accepted(req, res, added.job);
  });

  r.add('GET', '/nodes/:id', async (req, res, params) => {
    const id = idParam(params);
    const body = await rendered.get(id, await stamp(), async () => {
      const [host, devices, bricks] = await Promise.all([
        clusteredHost(id),
        services.devices.list({ filter: eq('hostId', id) }),
        services.storage.bricks(eq('hostId', id)),
      ]);
      return Buffer.from(goEncode(renderNode(host, devices.map((device) => ({ device, bricks: bricks.filter((b) => b.deviceId === device.id) })))));
    });
    sendEncodedJson(res, 200, body);
  });

  r.add('DELETE', '/nodes/:id', async (req, res, params) => {
    const host = await clusteredHost(idParam(params));
    await throttle(ctx);
    accepted(req, res, await services.storage.removeHost(host.id, 'heketi'));
  });

  r.add('POST', '/nodes/:id/state', async (req, res, params) => {
    const body = readBody<{ state: string; healcheck: string }>(req, STATE_REQUEST);
    failValidation(stateIssues(body));
    const host = await clusteredHost(idParam(params));
    if (body.state === 'failed') await throttle(ctx);
    accepted(req, res, await services.storage.setHostState(host.id, HOST_STATE[body.state], 'heketi', { healCheck: body.healcheck !== 'disable' }));
  });

  r.add('POST', '/nodes/:id/tags', async (req, res, params) => {
    const body = readBody<{ tags?: Record<string, string>; change_type: string }>(req, TAGS_CHANGE);
    failValidation(tagsIssues(body));
    const host = await clusteredHost(idParam(params));
    const tags = await services.storage.changeTags('host', host.id, body.change_type as 'set', body.tags ?? {});
    sendJson(res, 200, new GoMap(tags));
  });
}
