import { CoreError, Durability, GIB_KIB, Volume, coalescedReads, eq } from '@rosetta/core';
import { StampedCache } from '@rosetta/http';
import { HeketiContext, RouteTable, accepted, pendingVolumes, throttle } from '../context';
import { heketiError } from '../errors';
import { IN_USE, allocating, placementOf, volumeOptions } from './shared';
import { coreId, sortedHex } from '../ids';
import { Issues, VOLUME_NAME, failValidation, idParam, readBody } from '../parse';
import { mountHosts, renderVolume } from '../render';
import { sendEncodedJson, sendError } from '../reply';
import { goEncode } from '../go-json';

interface VolumeCreate {
  size: number;
  clusters?: string[];
  name: string;
  durability: { type: string; replicate: { replica: number }; disperse: { data: number; redundancy: number } };
  gid: number;
  glustervolumeoptions?: string[];
  block: boolean;
  snapshot: { enable: boolean; factor: number };
}

const VOLUME_CREATE = {
  struct: {
    size: 'int',
    clusters: { array: 'string' },
    name: 'string',
    durability: {
      struct: {
        type: 'string',
        replicate: { struct: { replica: 'int' } },
        disperse: { struct: { data: 'int', redundancy: 'int' } },
      },
    },
    gid: 'int',
    glustervolumeoptions: { array: 'string' },
    block: 'bool',
    snapshot: { struct: { enable: 'bool', factor: 'float' } },
  },
} as const;

const DISPERSIONS = new Set(['2+1', '4+2', '8+3', '8+4']);
const HEKETI_DB_VOLUME = 'heketidbstorage';

function sizeIssues(size: number, field: string): Issues {
  const issues: Issues = new Map();
  if (!size) issues.set(field, 'cannot be blank');
  else if (size < 1) issues.set(field, 'must be no less than 1');
  return issues;
}

/** Heketi's VolumeCreate checks, in its order; the first failure answers. */
function checkCreate(body: VolumeCreate): Durability {
  const issues = sizeIssues(body.size, 'size');
  if (body.name && !VOLUME_NAME.test(body.name)) issues.set('name', 'must be in a valid format');
  failValidation(issues);
  if (body.gid < 0) throw heketiError(400, 'Bad group id less than zero');
  if (body.gid >= 2147483647) throw heketiError(400, 'Bad group id equal or greater than 2**32');
  const type = body.durability.type || 'none';
  if (!['none', 'replicate', 'disperse'].includes(type)) throw heketiError(400, 'Unknown durability type');
  const factor = Math.fround(body.snapshot.factor);
  if (body.snapshot.enable && (factor < 1 || factor > 100)) throw heketiError(400, 'Invalid snapshot factor');
  const { replica } = body.durability.replicate;
  const { data, redundancy } = body.durability.disperse;
  if (type === 'replicate' && replica > 3) throw heketiError(400, 'Invalid replica value');
  if (type === 'disperse' && !DISPERSIONS.has(`${data}+${redundancy}`)) {
    throw heketiError(400, `Invalid dispersion combination: ${data}+${redundancy}`);
  }
  const requested = { replica, disperseData: data, disperseRedundancy: redundancy };
  if (type === 'replicate') return { type, replica: replica > 0 ? replica : 2, disperseData: 0, disperseRedundancy: 0, requested };
  if (type === 'disperse') return { type, replica: 1, disperseData: data, disperseRedundancy: redundancy, requested };
  return { type: 'none', replica: 1, disperseData: 0, disperseRedundancy: 0, requested };
}


/** Heketi file volumes are core file volumes; block volumes are listed under /blockvolumes. */
export function volumeRoutes(r: RouteTable, ctx: HeketiContext): void {
  const { services } = ctx;
  // Everything a volume's info and the volume list are computed from; pending jobs hide volumes.
  // Concurrent requests share one stamp read, which keeps a hot GET at a single cheap round trip.
  const stamp = coalescedReads(() => services.changes.stamp(['volumes', 'bricks', 'hosts', 'jobs']));
  const rendered = new StampedCache();

  const visibleVolume = async (id: string): Promise<Volume> => {
    const [volume, pending] = await Promise.all([services.volumes.get(id), pendingVolumes(ctx)]);
    if (volume.kind !== 'file' || pending.has(id)) throw new CoreError('NOT_FOUND', 'volume pending', { kind: 'volume', id });
    return volume;
  };

  /** Two waves of reads: what the id alone names, then what the volume's cluster names. */
  const info = async (id: string) => {
    const [volume, bricks] = await Promise.all([visibleVolume(id), services.storage.bricks(eq('volumeId', id))]);
    const [hosts, blocks] = await Promise.all([
      services.hosts.list({ filter: eq('clusterId', volume.clusterId) }),
      volume.blockHosting ? services.volumes.list({ filter: eq('hostingVolumeId', volume.id) }) : Promise.resolve([]),
    ]);
    return renderVolume(volume, bricks, mountHosts(hosts), blocks.map((b) => b.id));
  };

  r.add('POST', '/volumes', async (req, res) => {
    const body = readBody<VolumeCreate>(req, VOLUME_CREATE);
    const durability = checkCreate(body);
    if ((await services.clusters.count()) === 0) throw heketiError(400, 'No clusters configured');
    const clusterIds: string[] = [];
    for (const given of body.clusters ?? []) {
      const id = coreId(given);
      if (!id || !(await services.clusters.find(id))) throw heketiError(400, `Cluster id ${given} not found`);
      clusterIds.push(id);
    }
    const minGib = durability.type === 'disperse' ? durability.disperseData : 1;
    if (body.size < minGib) {
      throw heketiError(400, `Requested volume size (${body.size} GB) is smaller than the minimum supported volume size (${minGib * GIB_KIB})`);
    }
    await throttle(ctx);
    const options = volumeOptions(ctx.settings, body.block, body.glustervolumeoptions ?? []);

    const created = await allocating('Failed to allocate new volume', { volumeName: body.name, maxVolumesPerCluster: ctx.settings.maxVolumesPerCluster }, () =>
      services.storage.createVolume(
        {
          clusterIds,
          name: body.name || undefined,
          defaultName: (id) => `vol_${id.replace(/-/g, '')}`,
          sizeGib: body.size,
          durability,
          snapshotEnabled: body.snapshot.enable,
          snapshotFactor: body.snapshot.enable ? Math.fround(body.snapshot.factor) : 1,
          gid: body.gid,
          options,
          blockHosting: body.block,
          placement: placementOf(options, ctx.settings),
          maxVolumesPerCluster: ctx.settings.maxVolumesPerCluster,
        },
        'heketi',
      ),
    );
    accepted(req, res, created.job);
  });

  r.add('GET', '/volumes', async (_req, res) => {
    const body = await rendered.get('', await stamp(), async () => {
      const [volumes, pending] = await Promise.all([services.volumes.list({ filter: eq('kind', 'file') }), pendingVolumes(ctx)]);
      return Buffer.from(goEncode({ volumes: sortedHex(volumes.filter((v) => !pending.has(v.id)).map((v) => v.id)) }));
    });
    sendEncodedJson(res, 200, body);
  });

  r.add('GET', '/volumes/:id', async (req, res, params) => {
    const id = idParam(params);
    sendEncodedJson(res, 200, await rendered.get(id, await stamp(), async () => Buffer.from(goEncode(await info(id)))));
  });

  r.add('POST', '/volumes/:id/expand', async (req, res, params) => {
    const body = readBody<{ expand_size: number }>(req, { struct: { expand_size: 'int' } });
    failValidation(sizeIssues(body.expand_size, 'expand_size'));
    const volume = await visibleVolume(idParam(params));
    await throttle(ctx);
    const expanded = await allocating('Failed to allocate volume expansion', { volumeName: volume.name }, () =>
      services.storage.expandVolume(volume.id, body.expand_size, placementOf(volume.options ?? [], ctx.settings), 'heketi'),
    );
    accepted(req, res, expanded.job);
  });

  r.add('POST', '/volumes/:id/clone', async (req, res, params) => {
    const body = readBody<{ name: string }>(req, { struct: { name: 'string' } });
    if (body.name && !VOLUME_NAME.test(body.name)) failValidation(new Map([['name', 'must be in a valid format']]));
    const volume = await visibleVolume(idParam(params));
    await throttle(ctx);
    const cloned = await allocating(`Failed clone volume ${params.id}`, {}, () =>
      services.storage.cloneVolume(volume.id, body.name || undefined, (id) => `vol_${id.replace(/-/g, '')}`, 'heketi'),
    );
    accepted(req, res, cloned.job);
  });

  r.add('POST', '/volumes/:id/block-restriction', async (req, res, params) => {
    const body = readBody<{ restriction: string }>(req, { struct: { restriction: 'string' } });
    if (!['', 'locked'].includes(body.restriction)) failValidation(new Map([['restriction', 'must be a valid value']]));
    const volume = await visibleVolume(idParam(params));
    await throttle(ctx);
    const job = await allocating('Failed to set block restriction', {}, () =>
      services.storage.setBlockRestriction(volume.id, body.restriction || null, 'heketi'),
    );
    accepted(req, res, job);
  });

  r.add('DELETE', '/volumes/:id', async (req, res, params) => {
    const id = idParam(params);
    const [volume, pending] = await Promise.all([services.volumes.get(id), pendingVolumes(ctx)]);
    if (volume.kind !== 'file') throw new CoreError('NOT_FOUND', 'not a file volume', { kind: 'volume', id });
    if (pending.has(id)) {
      // Heketi finds the volume but refuses to start a second operation on it.
      sendError(res, 500, `Failed to set up volume delete: ${IN_USE}`);
      return;
    }
    if (volume.name === HEKETI_DB_VOLUME) {
      sendError(res, 409, 'Cannot delete volume containing the Heketi database');
      return;
    }
    await throttle(ctx);
    accepted(req, res, await services.storage.deleteVolume(volume.id, 'heketi'));
  });
}
