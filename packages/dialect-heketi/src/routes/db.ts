import { Brick, Volume, brickSpaceKib, KIB } from '@rosetta/core';
import { HeketiContext, RouteTable, pendingVolumes } from '../context';
import { GoMap } from '../go-json';
import { hexId, sortedHex } from '../ids';
import { NODE_STATE, mountHosts, renderBlockVolume, renderBrick, renderCluster, renderDevice, renderVolume } from '../render';
import { sendJson } from '../reply';

const keyed = <T extends { id: string }>(items: T[], entry: (item: T) => unknown): GoMap =>
  new GoMap(Object.fromEntries(items.map((item) => [hexId(item.id), entry(item)])));

const NOT_PENDING = { Id: '' };

/** GET /db/dump (app_db.go): Heketi's database buckets as JSON, indented four spaces. */
export function dbRoutes(r: RouteTable, ctx: HeketiContext): void {
  const { services } = ctx;

  r.add('GET', '/db/dump', async (_req, res) => {
    const [clusters, hosts, devices, volumes, bricks, pending] = await Promise.all([
      services.clusters.list(),
      services.hosts.list({ filter: { field: 'clusterId', op: 'isnull', value: false } }),
      services.devices.list(),
      services.volumes.list(),
      services.storage.bricks(),
      pendingVolumes(ctx),
    ]);
    const hostIds = new Set(hosts.map((h) => h.id));
    const ownDevices = devices.filter((d) => hostIds.has(d.hostId));
    const bricksOf = (pick: (b: Brick) => string, id: string) => bricks.filter((b) => pick(b) === id);
    const byId = new Map<string, Volume>(volumes.map((v) => [v.id, v]));
    const files = volumes.filter((v) => v.kind === 'file' && !pending.has(v.id));
    const blocks = volumes.filter((v) => v.kind === 'block' && !pending.has(v.id));
    const hostsOf = (clusterId: string) => mountHosts(hosts.filter((h) => h.clusterId === clusterId));
    const dump = {
      clusterentries: keyed(clusters, (c) => ({
        Info: renderCluster(
          c,
          hosts.filter((h) => h.clusterId === c.id).map((h) => h.id),
          files.filter((v) => v.clusterId === c.id).map((v) => v.id),
          blocks.filter((v) => v.clusterId === c.id).map((v) => v.id),
        ),
      })),
      volumeentries: keyed(files, (v) => {
        const { bricks: _bricks, size, ...info } = renderVolume(
          v,
          [],
          hostsOf(v.clusterId),
          blocks.filter((b) => b.hostingVolumeId === v.id).map((b) => b.id),
        );
        return {
          Info: { size, clusters: [hexId(v.clusterId)], ...info },
          Bricks: sortedHex(bricksOf((b) => b.volumeId, v.id).map((b) => b.id)),
          GlusterVolumeOptions: v.options ?? [],
          Pending: NOT_PENDING,
        };
      }),
      brickentries: keyed(bricks, (b) => {
        const { pool, metadata } = brickSpaceKib(Math.floor(b.sizeBytes / KIB), byId.get(b.volumeId)?.snapshotFactor ?? 1);
        return {
          Info: renderBrick(b),
          TpSize: pool,
          PoolMetadataSize: metadata,
          Pending: NOT_PENDING,
          LvmThinPool: `tp_${hexId(b.id)}`,
          LvmLv: '',
          SubType: 1,
        };
      }),
      nodeentries: keyed(hosts, (h) => {
        const node = { zone: h.zone, hostnames: { manage: [h.managementAddress ?? h.name], storage: [h.storageAddress ?? h.name] } };
        return {
          State: NODE_STATE[h.state],
          Info: { ...node, cluster: hexId(h.clusterId!), tags: Object.keys(h.tags).length ? new GoMap(h.tags) : undefined, id: hexId(h.id) },
          Devices: sortedHex(ownDevices.filter((d) => d.hostId === h.id).map((d) => d.id)),
        };
      }),
      deviceentries: keyed(ownDevices, (d) => {
        const { name, tags, storage, id, state } = renderDevice(d, []);
        return {
          State: state,
          Info: { name, tags, storage, id },
          Bricks: sortedHex(bricksOf((b) => b.deviceId, d.id).map((b) => b.id)),
          NodeId: hexId(d.hostId),
          ExtentSize: 4096,
        };
      }),
      blockvolumeentries: keyed(blocks, (v) => {
        const { size, name, hacount, ...rest } = renderBlockVolume(v, hostsOf(v.clusterId));
        return { Info: { size, name, hacount, auth: v.authEnabled || undefined, ...rest }, Pending: NOT_PENDING };
      }),
      dbattributeentries: new GoMap({ DB_BRICK_HAS_SUBTYPE_FIELD: { Key: 'DB_BRICK_HAS_SUBTYPE_FIELD', Value: 'yes' } }),
      pendingoperations: new GoMap({}),
    };
    sendJson(res, 200, dump, true);
  });
}

