import { Brick, Cluster, CoreError, Device, Host, Volume, brickSpaceKib, KIB } from '@rosetta/core';
import { HeketiContext, RouteTable, activeJobs, pendingVolumes } from '../context';
import { heketiDbFile } from '../bolt/heketi-db-file';
import { GoMap } from '../go-json';
import { hexId, sortedHex } from '../ids';
import { NODE_STATE, mountHosts, renderBlockVolume, renderBrick, renderCluster, renderDevice, renderVolume } from '../render';
import { sendBytes, sendJson } from '../reply';

/** Everything Heketi keeps in its BoltDB, read from the core as one consistent state. */
interface HeketiState {
  clusters: Cluster[];
  hosts: Host[];
  devices: Device[];
  files: Volume[];
  blocks: Volume[];
  bricks: Brick[];
}

// Jobs are left out: every dialect's job steps write them, and they only decide which volumes
// are still being created, which a concurrent write cannot tear.
const STATE_TABLES = ['clusters', 'hosts', 'devices', 'volumes', 'bricks'] as const;
const CONSISTENT_READ_ATTEMPTS = 8;

/**
 * Heketi reads its dump inside one BoltDB read transaction. Here the reads are several queries,
 * so they are taken between two equal change stamps over their tables: no write committed in
 * between, hence one consistent state. Under a constant stream of writes Heketi's own failure
 * text answers rather than a torn state.
 */
async function readState(ctx: HeketiContext): Promise<HeketiState> {
  const { services } = ctx;
  for (let attempt = 0; attempt < CONSISTENT_READ_ATTEMPTS; attempt++) {
    const before = await services.changes.stamp([...STATE_TABLES]);
    const [clusters, hosts, devices, volumes, bricks, pending] = await Promise.all([
      services.clusters.list(),
      services.hosts.list({ filter: { field: 'clusterId', op: 'isnull', value: false } }),
      services.devices.list(),
      services.volumes.list(),
      services.storage.bricks(),
      pendingVolumes(ctx),
    ]);
    if ((await services.changes.stamp([...STATE_TABLES])) !== before) continue;
    const hostIds = new Set(hosts.map((h) => h.id));
    const visible = volumes.filter((v) => !pending.has(v.id));
    const fileIds = new Set(visible.filter((v) => v.kind === 'file').map((v) => v.id));
    return {
      clusters,
      hosts,
      devices: devices.filter((d) => hostIds.has(d.hostId)),
      files: visible.filter((v) => v.kind === 'file'),
      blocks: visible.filter((v) => v.kind === 'block'),
      bricks: bricks.filter((b) => fileIds.has(b.volumeId)),
    };
  }
  throw new CoreError('UNAVAILABLE', 'Could not construct dump from DB: the database kept changing while it was read', { reason: 'dump' });
}

const NOT_PENDING = { Id: '' };

/**
 * The flags Heketi's UpgradeDB records once a database has each format change. A heketi.db
 * restored from /backup/db must carry them: without DB_CLUSTER_HAS_FILE_BLOCK_FLAG, Heketi's
 * start-up upgrade would turn every cluster's block and file flags on. (DB_GENERATION_ID, a
 * random id Heketi records on first start, is left for Heketi to make.)
 */
const DB_ATTRIBUTES = ['DB_BRICK_HAS_SUBTYPE_FIELD', 'DB_CLUSTER_HAS_FILE_BLOCK_FLAG', 'DB_HAS_PENDING_OPS_BUCKET'];

/** Heketi's Db struct (app_db.go): its buckets keyed by hex id, entries as the Go structs. */
function dumpOf(state: HeketiState) {
  const { clusters, hosts, devices, files, blocks, bricks } = state;
  const keyed = <T extends { id: string }>(items: T[], entry: (item: T) => unknown): Record<string, unknown> =>
    Object.fromEntries(items.map((item) => [hexId(item.id), entry(item)]));
  const byId = new Map<string, Volume>(files.map((v) => [v.id, v]));
  const hostsOf = (clusterId: string) => mountHosts(hosts.filter((h) => h.clusterId === clusterId));
  return {
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
        Bricks: sortedHex(bricks.filter((b) => b.volumeId === v.id).map((b) => b.id)),
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
        LvmThinPool: `tp_${hexId(b.poolBrickId ?? b.id)}`,
        LvmLv: '',
        SubType: 1,
      };
    }),
    nodeentries: keyed(hosts, (h) => {
      const node = { zone: h.zone, hostnames: { manage: [h.managementAddress ?? h.name], storage: [h.storageAddress ?? h.name] } };
      return {
        State: NODE_STATE[h.state],
        Info: { ...node, cluster: hexId(h.clusterId!), tags: Object.keys(h.tags).length ? new GoMap(h.tags) : undefined, id: hexId(h.id) },
        Devices: sortedHex(devices.filter((d) => d.hostId === h.id).map((d) => d.id)),
      };
    }),
    deviceentries: keyed(devices, (d) => {
      const { name, tags, storage, id, state } = renderDevice(d, []);
      return {
        State: state,
        Info: { name, tags, storage, id },
        Bricks: sortedHex(bricks.filter((b) => b.deviceId === d.id).map((b) => b.id)),
        NodeId: hexId(d.hostId),
        ExtentSize: 4096,
      };
    }),
    blockvolumeentries: keyed(blocks, (v) => {
      const { size, name, hacount, ...rest } = renderBlockVolume(v, hostsOf(v.clusterId));
      return { Info: { size, name, hacount, auth: v.authEnabled || undefined, ...rest }, Pending: NOT_PENDING };
    }),
    dbattributeentries: Object.fromEntries(DB_ATTRIBUTES.map((Key) => [Key, { Key, Value: 'yes' }])),
    pendingoperations: {},
  };
}

/** Go encodes every bucket as a map: keys sorted. */
const encodeDump = (dump: ReturnType<typeof dumpOf>) =>
  Object.fromEntries(Object.entries(dump).map(([bucket, entries]) => [bucket, new GoMap(entries)]));

interface BucketCheck {
  total: number;
  pending: number;
  ok: number;
  notok: number;
  inconsistencies: string[] | null;
}

/**
 * dbCheckConsistency (db_operations.go) over the dump: each entry's links are checked both ways
 * and each device's used space against its bricks, with Heketi's texts. Go walks its maps in
 * random order; the lists here are in id order.
 */
export function checkDump(dump: ReturnType<typeof dumpOf>) {
  type Entries = Record<string, Record<string, unknown>>;
  const d = dump as unknown as Record<string, Entries>;
  const clusters = d.clusterentries as Record<string, { Info: ReturnType<typeof renderCluster> }>;
  const volumes = d.volumeentries as Record<string, { Info: { id: string; cluster: string; block?: boolean; size: number; mount: { glusterfs: { hosts: string[] } }; blockinfo: { freesize?: number; reservedsize?: number; blockvolume?: string[] } }; Bricks: string[] }>;
  const bricks = d.brickentries as Record<string, { Info: ReturnType<typeof renderBrick>; TpSize: number; PoolMetadataSize: number; LvmThinPool: string }>;
  const nodes = d.nodeentries as Record<string, { Info: { id: string; cluster: string }; Devices: string[] }>;
  const devices = d.deviceentries as Record<string, { Info: { id: string; storage: { used: number } }; Bricks: string[]; NodeId: string }>;
  const blockvolumes = d.blockvolumeentries as Record<string, { Info: { id: string; size: number; cluster: string; blockhostingvolume: string } }>;

  const bucket = <T>(entries: Record<string, T>, check: (entry: T) => string[]): BucketCheck => {
    const result: BucketCheck = { total: 0, pending: 0, ok: 0, notok: 0, inconsistencies: null };
    for (const key of Object.keys(entries).sort()) {
      result.total++;
      const problems = check(entries[key]);
      if (problems.length) {
        result.inconsistencies = [...(result.inconsistencies ?? []), ...problems];
        result.notok++;
      } else result.ok++;
    }
    return result;
  };
  const links = (what: string, id: string, list: string[], kind: string, table: Record<string, unknown>, back: (e: never) => boolean): string[] =>
    list.flatMap((other) => {
      const entry = table[other];
      if (!entry) return [`${what} ${id} unknown ${kind} ${other}`];
      return back(entry as never) ? [] : [`${what} ${id} no link back to ${what.toLowerCase()} from ${kind} ${other}`];
    });

  const volumeCheck = bucket(volumes, (v) => {
    const out: string[] = [];
    const cluster = clusters[v.Info.cluster];
    if (!cluster) out.push(`Volume ${v.Info.id} unknown cluster ${v.Info.cluster}`);
    else {
      if (!cluster.Info.volumes.includes(v.Info.id)) out.push(`Volume ${v.Info.id} no link back to volume from cluster ${v.Info.cluster}`);
      if (v.Info.mount.glusterfs.hosts.length !== cluster.Info.nodes.length) {
        out.push(`Volume ${v.Info.id} mount hosts list([${v.Info.mount.glusterfs.hosts.join(' ')}]) is not same as list of all nodes of the cluster([${cluster.Info.nodes.join(' ')}])`);
      }
    }
    out.push(...links('Volume', v.Info.id, v.Bricks, 'brick', bricks, (b: { Info: { volume: string } }) => b.Info.volume === v.Info.id));
    let aggregate = 0;
    for (const bv of v.Info.blockinfo.blockvolume ?? []) {
      const entry = blockvolumes[bv];
      if (!entry) out.push(`Volume ${v.Info.id} unknown blockvolume ${bv}`);
      else {
        if (entry.Info.blockhostingvolume !== v.Info.id) out.push(`Volume ${v.Info.id} no link back to volume from blockvolume ${bv}`);
        aggregate += entry.Info.size;
      }
    }
    const free = v.Info.blockinfo.freesize ?? 0;
    const reserved = v.Info.blockinfo.reservedsize ?? 0;
    if (v.Info.block) {
      if (aggregate !== v.Info.size - free - reserved) {
        out.push(`Volume ${v.Info.id} blocksize differs aggregateSize ${aggregate} != volumeSize ${v.Info.size} - freeSize ${free} - reservedSize ${reserved}`);
      }
    } else if (aggregate !== 0) out.push(`Volume ${v.Info.id} has blockvolumes but not block flag`);
    return out;
  });
  const clusterCheck = bucket(clusters, (c) => [
    ...links('Cluster', c.Info.id, c.Info.nodes, 'node', nodes, (n: { Info: { cluster: string } }) => n.Info.cluster === c.Info.id),
    ...links('Cluster', c.Info.id, c.Info.volumes, 'volume', volumes, (v: { Info: { cluster: string } }) => v.Info.cluster === c.Info.id),
    ...links('Cluster', c.Info.id, c.Info.blockvolumes, 'blockvolume', blockvolumes, (v: { Info: { cluster: string } }) => v.Info.cluster === c.Info.id),
  ]);
  const nodeCheck = bucket(nodes, (n) => {
    const out = links('Node', n.Info.id, n.Devices, 'device', devices, (dv: { NodeId: string }) => dv.NodeId === n.Info.id);
    const cluster = clusters[n.Info.cluster];
    if (!cluster) out.push(`Node ${n.Info.id} unknown cluster ${n.Info.cluster}`);
    else if (!cluster.Info.nodes.includes(n.Info.id)) out.push(`Node ${n.Info.id} no link back to node from cluster ${n.Info.cluster}`);
    return out;
  });
  const deviceCheck = bucket(devices, (dv) => {
    const out: string[] = [];
    const node = nodes[dv.NodeId];
    if (!node) out.push(`Device ${dv.Info.id} unknown node ${dv.NodeId}`);
    else if (!node.Devices.includes(dv.Info.id)) out.push(`Device ${dv.Info.id} no link back to device from node ${dv.NodeId}`);
    out.push(...links('Device', dv.Info.id, dv.Bricks, 'brick', bricks, (b: { Info: { device: string } }) => b.Info.device === dv.Info.id));
    // A clone's brick lives in its origin's thin pool and takes no space of its own.
    const aggregate = dv.Bricks.reduce((sum, id) => {
      const b = bricks[id];
      return b && b.LvmThinPool === `tp_${id}` ? sum + b.TpSize + b.PoolMetadataSize : sum;
    }, 0);
    if (dv.Info.storage.used !== aggregate) out.push(`Device ${dv.Info.id} size values differ Used(${dv.Info.storage.used}) != aggregateBricksSize(${aggregate})`);
    return out;
  });
  const blockCheck = bucket(blockvolumes, (bv) => {
    const out: string[] = [];
    const cluster = clusters[bv.Info.cluster];
    if (!cluster) out.push(`BlockVolume ${bv.Info.id} unknown cluster ${bv.Info.cluster}`);
    else if (!cluster.Info.blockvolumes.includes(bv.Info.id)) out.push(`BlockVolume ${bv.Info.id} no link back to blockVolume from cluster ${bv.Info.cluster}`);
    const host = volumes[bv.Info.blockhostingvolume];
    if (!host) out.push(`BlockVolume ${bv.Info.id} unknown block hosting volume ${bv.Info.blockhostingvolume}`);
    else if (!(host.Info.blockinfo.blockvolume ?? []).includes(bv.Info.id)) {
      out.push(`BlockVolume ${bv.Info.id} no link back to blockVolume from volume ${bv.Info.blockhostingvolume}`);
    }
    return out;
  });
  const brickCheck = bucket(bricks, (b) => {
    const out: string[] = [];
    if (!nodes[b.Info.node]) out.push(`Brick ${b.Info.id} unknown node ${b.Info.node}`);
    const volume = volumes[b.Info.volume];
    if (!volume) out.push(`Brick ${b.Info.id} unknown volume ${b.Info.volume}`);
    else if (!volume.Bricks.includes(b.Info.id)) out.push(`Brick ${b.Info.id} no link back to brick from volume ${b.Info.volume}`);
    const device = devices[b.Info.device];
    if (!device) out.push(`Brick ${b.Info.id} unknown device ${b.Info.device}`);
    else if (!device.Bricks.includes(b.Info.id)) out.push(`Brick ${b.Info.id} no link back to brick from device ${b.Info.device}`);
    return out;
  });
  const empty = (): BucketCheck => ({ total: 0, pending: 0, ok: 0, notok: 0, inconsistencies: null });
  const response = {
    clusters: clusterCheck,
    volumes: volumeCheck,
    bricks: brickCheck,
    nodes: nodeCheck,
    devices: deviceCheck,
    blockvolumes: blockCheck,
    // dbCheckConsistency never fills these two buckets: Heketi reports them zero.
    dbattributes: empty(),
    pendingoperations: bucket(dump.pendingoperations as Record<string, unknown>, () => []),
    totalinconsistencies: 0,
  };
  response.totalinconsistencies = [volumeCheck, clusterCheck, nodeCheck, deviceCheck, blockCheck, brickCheck].reduce(
    (n, b) => n + (b.inconsistencies?.length ?? 0),
    0,
  );
  return response;
}

/** gluster's volume type names, indexed as `gluster volume info --xml` numbers them. */
const GLUSTER_TYPES = ['Distribute', 'Stripe', 'Replicate', 'Striped-Replicate', 'Disperse', 'Tier', 'Distributed-Stripe', 'Distributed-Replicate', 'Distributed-Striped-Replicate', 'Distributed-Disperse'];
const xmlName = (local: string) => ({ Space: '', Local: local });

/**
 * `gluster volume info --xml` as executors.VolInfo decodes it (Go field names, XMLName filled),
 * for the volumes a cluster's glusterd knows: its file volumes and their bricks.
 */
function glusterVolumeInfo(state: HeketiState, clusterId: string) {
  const hostById = new Map(state.hosts.map((h) => [h.id, h]));
  const volumes = state.files
    .filter((v) => v.clusterId === clusterId)
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((v) => {
      const bricks = state.bricks.filter((b) => b.volumeId === v.id).sort((a, b) => (hexId(a.id) < hexId(b.id) ? -1 : 1));
      const perSet = v.durability.type === 'replicate' ? v.durability.replica : v.durability.type === 'disperse' ? v.durability.disperseData + v.durability.disperseRedundancy : 1;
      const distributed = bricks.length > perSet;
      const base = v.durability.type === 'replicate' ? 2 : v.durability.type === 'disperse' ? 4 : 0;
      const type = base && distributed ? base + 5 : base;
      const options = (v.options ?? [])
        .map((o) => o.trim())
        .filter((o) => o)
        .map((o) => {
          const [Name, ...rest] = o.split(/\s+/);
          return { Name, Value: rest.join(' ') };
        });
      return {
        XMLName: xmlName('volume'),
        VolumeName: v.name,
        ID: v.id,
        Status: 1,
        StatusStr: 'Started',
        BrickCount: bricks.length,
        DistCount: perSet,
        StripeCount: 1,
        ReplicaCount: v.durability.type === 'replicate' ? v.durability.replica : 1,
        ArbiterCount: 0,
        DisperseCount: v.durability.type === 'disperse' ? perSet : 0,
        RedundancyCount: v.durability.type === 'disperse' ? v.durability.disperseRedundancy : 0,
        Type: type,
        TypeStr: GLUSTER_TYPES[type],
        Transport: 0,
        Bricks: {
          XMLName: xmlName('bricks'),
          BrickList: bricks.map((b) => {
            const host = hostById.get(b.hostId);
            return { UUID: b.id, Name: `${host?.storageAddress ?? host?.name ?? ''}:${b.path}`, HostUUID: b.hostId, IsArbiter: 0 };
          }),
        },
        OptCount: options.length,
        Options: { XMLName: xmlName('options'), OptionList: options.length ? options : null },
      };
    });
  return { XMLName: xmlName('volInfo'), Volumes: { XMLName: xmlName('volumes'), Count: volumes.length, VolumeList: volumes.length ? volumes : null } };
}

/**
 * The on-demand examiner (examiner.go): the dump, then what each node's glusterd reports, then
 * the comparison. A failed node's glusterd does not answer, as a powered-off peer would not.
 */
function examine(state: HeketiState, dump: ReturnType<typeof dumpOf>, inFlight: number) {
  const report = [`OnDemand Examiner invoked while ${inFlight} ops are in flight`];
  const clusters = [...state.clusters].sort((a, b) => (hexId(a.id) < hexId(b.id) ? -1 : 1)).map((cluster) => {
    const nodes = state.hosts.filter((h) => h.clusterId === cluster.id).sort((a, b) => (hexId(a.id) < hexId(b.id) ? -1 : 1));
    const info = glusterVolumeInfo(state, cluster.id);
    const nodesData = nodes.map((h) => {
      if (h.state === 'down') report.push(`could not fetch data from node ${h.managementAddress ?? h.name}`);
      return { NodeHeketiID: hexId(h.id), VolumeInfo: h.state === 'down' ? null : info };
    });
    if (!nodesData.length) report.push(`not able to fetch any data from cluster ${hexId(cluster.id)}`);
    const heketiNames = state.files.filter((v) => v.clusterId === cluster.id).map((v) => v.name).sort().join('\n');
    const mismatches = nodesData.flatMap((n) => {
      if (!n.VolumeInfo) return [`heketi volume list could not be compared with volume list of node ${n.NodeHeketiID} due to missing info`];
      const names = (n.VolumeInfo.Volumes.VolumeList ?? []).map((v) => v.VolumeName).sort().join('\n');
      return names === heketiNames ? [] : [`heketi volume list does not match with volume list of node ${n.NodeHeketiID}`];
    });
    report.push(...(mismatches.length ? mismatches : ['heketi volume list matches with volume list of all nodes']));
    return { ClusterHeketiID: hexId(cluster.id), NodesData: nodesData.length ? nodesData : null };
  });
  return { heketidb: encodeDump(dump), report, clusters: clusters.length ? clusters : null };
}

/** GET /db/dump, /db/check, /backup/db (app_db.go, app.go) and the gluster examiner (app_examiner.go). */
export function dbRoutes(r: RouteTable, ctx: HeketiContext): void {
  r.add('GET', '/db/dump', async (_req, res) => {
    sendJson(res, 200, encodeDump(dumpOf(await readState(ctx))), true);
  });

  r.add('GET', '/db/check', async (_req, res) => {
    sendJson(res, 200, checkDump(dumpOf(await readState(ctx))), true);
  });

  // Heketi streams its BoltDB file (Tx.WriteTo): the same file, written from one consistent
  // read, every entry gob-encoded into its bucket.
  r.add('GET', '/backup/db', async (_req, res) => {
    const body = heketiDbFile(dumpOf(await readState(ctx)));
    sendBytes(res, 200, { 'Content-Type': 'application/octet-stream', 'Content-Disposition': 'attachment; filename="heketi.db"' }, body);
  });

  r.add('GET', '/internal/state/examine/gluster', async (_req, res) => {
    const [state, jobs] = await Promise.all([readState(ctx), activeJobs(ctx)]);
    sendJson(res, 200, examine(state, dumpOf(state), jobs.length), true);
  });
}
