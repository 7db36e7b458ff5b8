import { CoreError, Volume, eq } from '@rosetta/core';
import { HeketiContext, RouteTable, accepted, pendingVolumes, throttle } from '../context';
import { heketiError } from '../errors';
import { coreId, sortedHex } from '../ids';
import { Issues, VOLUME_NAME, failValidation, idParam, readBody } from '../parse';
import { mountHosts, renderBlockVolume } from '../render';
import { sendError, sendJson } from '../reply';
import { IN_USE, allocating, placementOf, volumeOptions } from './shared';

interface BlockVolumeCreate {
  size: number;
  clusters?: string[];
  name: string;
  hacount: number;
  auth: boolean;
}

const BLOCK_CREATE = {
  struct: { size: 'int', clusters: { array: 'string' }, name: 'string', hacount: 'int', auth: 'bool' },
} as const;

function sizeIssue(issues: Issues, field: string, value: number): void {
  if (!value) issues.set(field, 'cannot be blank');
  else if (value < 1) issues.set(field, 'must be no less than 1');
}

/** Heketi block volumes are core block volumes carved out of a block-hosting file volume. */
export function blockVolumeRoutes(r: RouteTable, ctx: HeketiContext): void {
  const { services, settings } = ctx;

  const visible = async (id: string): Promise<Volume> => {
    const [volume, pending] = await Promise.all([services.volumes.get(id), pendingVolumes(ctx)]);
    if (volume.kind !== 'block' || pending.has(id)) {
      throw new CoreError('NOT_FOUND', 'block volume pending', { kind: 'block_volume', id });
    }
    return volume;
  };

  r.add('POST', '/blockvolumes', async (req, res) => {
    const body = readBody<BlockVolumeCreate>(req, BLOCK_CREATE);
    const issues: Issues = new Map();
    sizeIssue(issues, 'size', body.size);
    if (body.name && !VOLUME_NAME.test(body.name)) issues.set('name', 'must be in a valid format');
    if (body.hacount && body.hacount < 1) issues.set('hacount', 'must be no less than 1');
    failValidation(issues);
    if ((await services.clusters.count()) === 0) throw heketiError(400, 'No clusters configured');
    const clusterIds: string[] = [];
    for (const given of body.clusters ?? []) {
      const id = coreId(given);
      if (!id || !(await services.clusters.find(id))) throw heketiError(400, `Cluster id ${given} not found`);
      clusterIds.push(id);
    }
    await throttle(ctx);
    const created = await allocating('Failed to allocate new block volume', { hostingSizeGb: settings.blockHostingVolumeSizeGb }, () =>
      services.storage.createBlockVolume(
        {
          clusterIds,
          name: body.name || undefined,
          defaultName: (id) => `blockvol_${id.replace(/-/g, '')}`,
          sizeGib: body.size,
          haCount: body.hacount,
          auth: body.auth,
          autoCreate: settings.autoCreateBlockHostingVolume
            ? {
                sizeGib: settings.blockHostingVolumeSizeGb,
                defaultName: (id) => `vol_${id.replace(/-/g, '')}`,
                placement: placementOf([], settings),
                options: volumeOptions(settings, true, []),
              }
            : undefined,
        },
        'heketi',
      ),
    );
    accepted(req, res, created.job);
  });

  r.add('GET', '/blockvolumes', async (_req, res) => {
    const [volumes, pending] = await Promise.all([services.volumes.list({ filter: eq('kind', 'block') }), pendingVolumes(ctx)]);
    sendJson(res, 200, { blockvolumes: sortedHex(volumes.filter((v) => !pending.has(v.id)).map((v) => v.id)) });
  });

  r.add('GET', '/blockvolumes/:id', async (_req, res, params) => {
    const volume = await visible(idParam(params));
    const hosts = await services.hosts.list({ filter: eq('clusterId', volume.clusterId) });
    sendJson(res, 200, renderBlockVolume(volume, mountHosts(hosts)));
  });

  r.add('DELETE', '/blockvolumes/:id', async (req, res, params) => {
    const id = idParam(params);
    const [volume, pending] = await Promise.all([services.volumes.get(id), pendingVolumes(ctx)]);
    if (volume.kind !== 'block') throw new CoreError('NOT_FOUND', 'not a block volume', { kind: 'block_volume', id });
    if (pending.has(id)) {
      sendError(res, 500, `Failed to set up block volume delete: ${IN_USE}`);
      return;
    }
    await throttle(ctx);
    accepted(req, res, await services.storage.deleteBlockVolume(volume.id, 'heketi'));
  });

  r.add('POST', '/blockvolumes/:id/expand', async (req, res, params) => {
    const body = readBody<{ new_size: number }>(req, { struct: { new_size: 'int' } });
    const issues: Issues = new Map();
    sizeIssue(issues, 'new_size', body.new_size);
    failValidation(issues);
    const volume = await visible(idParam(params));
    await throttle(ctx);
    const job = await allocating('Failed to allocate block volume expansion', {}, () =>
      services.storage.expandBlockVolume(volume.id, body.new_size, 'heketi'),
    );
    accepted(req, res, job);
  });
}
