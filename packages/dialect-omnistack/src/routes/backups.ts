import { Request, Router } from 'express';
import { Backup, Filter, Page, backupDisks, backupFiles, backupPartitions, notFound } from '@rosetta/core';
import {
  CollectionSpec,
  FilterBuilder,
  ParsedList,
  badParam,
  bool,
  boolFilter,
  boolValue,
  constant,
  dateRange,
  enumOf,
  idList,
  ids,
  intQuery,
  requiredQuery,
  stringList,
  num,
  numberRange,
  objectBody,
  parseList,
  queryValue,
  str,
  text,
} from '../parse';
import { fixedNumber, never } from '../filters';
import { Refs, loadRefs } from '../refs';
import { renderBackup } from '../render';
import { isoSeconds, sendJson } from '../wire';
import { consumes } from '../media';
import { RouteContext, param, sendList, sendTask } from './context';

/** A backup shows unique_size_bytes 0 until calculate_unique_size stores one: the bounds treat it so. */
function uncalculatedAsZero(op: 'gte' | 'lte'): FilterBuilder {
  return async (raw, c, name) => {
    const bound = (await numberRange('uniqueSizeBytes', op)(raw, c, name)) as Filter & { value: number };
    const zeroInside = op === 'gte' ? bound.value <= 0 : bound.value >= 0;
    return zeroInside ? { any: [bound, { field: 'uniqueSizeBytes', op: 'isnull', value: true }] } : bound;
  };
}

function backupSpec(ctx: RouteContext): CollectionSpec {
  const l = ctx.lookups;
  const s = ctx.services;
  return {
    filters: {
      id: ids('id'),
      name: text('name'),
      state: enumOf('state', { PROTECTED: 'protected', SAVING: 'saving', FAILED: 'failed', DELETED: 'deleted', CANCELING: 'canceling', CANCELED: 'canceled', NEW: null, UNKNOWN: null, QUEUED: null, REBUILDING: null, DEGRADED: null }),
      type: enumOf('trigger', { MANUAL: 'manual', POLICY: 'policy', UNSPECIFIED: null }),
      omnistack_cluster_id: l.backupCluster('id'),
      omnistack_cluster_name: l.backupCluster('name'),
      associated_cluster: l.backupCluster('id'),
      compute_cluster_parent_hypervisor_object_id: l.backupCluster('site-datacenter'),
      compute_cluster_parent_name: l.backupCluster('site-name'),
      cluster_group_id: l.backupCluster('site-id'),
      datastore_id: ids('datastoreId'),
      datastore_name: l.byName('datastoreId', (filter) => s.datastores.list({ filter })),
      virtual_machine_id: ids('vmId'),
      virtual_machine_name: l.byName('vmId', (filter) => s.vms.list({ filter })),
      virtual_machine_type: constant({ VM: true, TEMPLATE: false, UNKNOWN: false }),
      virtual_machine_state: (raw, _c, name) => {
        const alive = constant({ ALIVE: true, REMOVED: false, DELETED: false })(raw, _c, name) as Filter;
        const gone = constant({ ALIVE: false, REMOVED: true, DELETED: true })(raw, _c, name) as Filter;
        return { any: [...('all' in alive ? [{ field: 'vmId', op: 'isnull' as const, value: false }] : []), ...('all' in gone ? [{ field: 'vmId', op: 'isnull' as const, value: true }] : [])] };
      },
      created_after: dateRange('createdAt', 'gte'),
      created_before: dateRange('createdAt', 'lte'),
      expires_after: dateRange('expiresAt', 'gte'),
      expires_before: dateRange('expiresAt', 'lte'),
      size_min: numberRange('sizeBytes', 'gte'),
      size_max: numberRange('sizeBytes', 'lte'),
      unique_size_bytes_min: uncalculatedAsZero('gte'),
      unique_size_bytes_max: uncalculatedAsZero('lte'),
      sent_min: fixedNumber(0, 'gte'),
      sent_max: fixedNumber(0, 'lte'),
      sent_duration_min: fixedNumber(0, 'gte'),
      sent_duration_max: fixedNumber(0, 'lte'),
      sent_completion_after: never,
      sent_completion_before: never,
      application_consistent: boolFilter('appConsistent'),
      consistency_type: enumOf('consistency', { NONE: 'none', DEFAULT: 'default', VSS: 'vss', FAILEDVSS: 'failedvss', NOT_APPLICABLE: 'not_applicable' }),
      external_store_name: text('externalStoreName'),
      backup_store_type: storeTypeFilter(ctx),
    },
    sorts: {
      name: 'name',
      id: 'id',
      created_at: 'createdAt',
      state: 'state',
      type: 'trigger',
      size: 'sizeBytes',
      unique_size_bytes: 'uniqueSizeBytes',
      expiration_time: 'expiresAt',
      virtual_machine_id: 'vmId',
      datastore_id: 'datastoreId',
      application_consistent: 'appConsistent',
      consistency_type: 'consistency',
    },
    // HPE sorts backup names case-insensitively whatever `case` says.
    alwaysCi: ['name'],
  };
}

/** Live backups (retention not yet past on the clock) matching the request, with what they name. */
export async function backupsPage(ctx: RouteContext, req: Request, base?: Filter): Promise<{ parsed: ParsedList; page: Page<Backup>; refs: Refs }> {
  await ctx.services.backupSchedule.catchUp();
  const live = ctx.services.operations.liveBackups();
  const parsed = await parseList(req, backupSpec(ctx), base ? { all: [live, base] } : live);
  const page = await ctx.services.backups.page(parsed.query);
  return { parsed, page, refs: await backupRefs(ctx, page.items) };
}

/** What a set of backups names: their VMs, datastores and (for backups kept on one) external stores. */
const backupRefs = (ctx: RouteContext, backups: Backup[]): Promise<Refs> =>
  loadRefs(ctx.services, { vmIds: backups.map((b) => b.vmId), datastoreIds: backups.map((b) => b.datastoreId), externalStores: backups.some((b) => !!b.externalStoreName) });

const STORE_TYPES = ['SimplivityStore', 'StoreOnceOnPrem', 'StoreOnceCloud', 'Unknown'];

/** SimplivityStore: kept in the cluster; StoreOnce types: kept on a registered store of that kind. */
function storeTypeFilter(ctx: RouteContext): FilterBuilder {
  return async (raw, _c, name) => {
    const wanted = raw.split(',').map((v) => v.trim()).filter(Boolean);
    const bad = wanted.find((v) => !STORE_TYPES.some((t) => t.toLowerCase() === v.toLowerCase()));
    if (bad) throw badParam(name, `${bad} is not one of ${STORE_TYPES.join(', ')}`);
    const is = (t: string) => wanted.some((v) => v.toLowerCase() === t.toLowerCase());
    const stores = await ctx.services.externalStores.list();
    const names = stores.filter((s) => is(s.kind)).map((s) => s.name);
    const any: Filter[] = [];
    if (is('SimplivityStore')) any.push({ field: 'externalStoreName', op: 'isnull', value: true });
    if (names.length) any.push({ field: 'externalStoreName', op: 'in', value: names });
    if (is('Unknown')) any.push({ all: [{ field: 'externalStoreName', op: 'isnull', value: false }, { not: { field: 'externalStoreName', op: 'in', value: stores.map((s) => s.name) } }] });
    return { any };
  };
}

async function liveBackup(ctx: RouteContext, id: string): Promise<Backup> {
  const [backup] = await ctx.services.backups.list({ filter: { all: [{ field: 'id', op: 'eq', value: id }, ctx.services.operations.liveBackups()] }, limit: 1 });
  if (!backup) throw notFound('backup', id);
  return backup;
}

export function backupRoutes(router: Router, ctx: RouteContext): void {
  const { services, origin, settings } = ctx;
  const ops = services.operations;
  const min = (minor: number) => consumes(minor, settings.strictMediaTypes);

  router.get('/api/backups', async (req, res) => {
    const { parsed, page, refs } = await backupsPage(ctx, req);
    sendList(res, 'backups', parsed, page, (b) => renderBackup(b, refs));
  });

  router.post('/api/backups/delete', min(0), async (req, res) => {
    sendTask(res, await ops.deleteBackups(origin, idList(objectBody(req), 'backup_id')));
  });

  router.post('/api/backups/set_retention', min(0), async (req, res) => {
    const body = objectBody(req);
    const forever = bool(body, 'forever') ?? false;
    const retention = forever ? null : (num(body, 'retention', true) ?? 0);
    const outcome = await ops.setBackupRetention(origin, idList(body, 'backup_id'), retention === 0 ? null : retention, bool(body, 'force') ?? false);
    if ('job' in outcome) return sendTask(res, outcome.job);
    // Without force, the backups the new retention would remove at once come back instead of a task.
    const refs = await backupRefs(ctx, outcome.wouldExpire);
    sendJson(res, 200, { backups: outcome.wouldExpire.map((b) => renderBackup(b, refs)) });
  });

  router.get('/api/backups/:id', async (req, res) => {
    const backup = await liveBackup(ctx, param(req, 'id'));
    sendJson(res, 200, { backup: renderBackup(backup, await backupRefs(ctx, [backup])) });
  });

  router.delete('/api/backups/:id', async (req, res) => {
    sendTask(res, await ops.deleteBackups(origin, [param(req, 'id')]));
  });

  router.post('/api/backups/:id/restore', min(0), async (req, res) => {
    const body = objectBody(req);
    const original = boolValue(queryValue(req, 'restore_original'), 'restore_original') ?? !str(body, 'virtual_machine_name');
    const target = original
      ? ({ original: true } as const)
      : ({ original: false, name: str(body, 'virtual_machine_name', true), datastoreId: str(body, 'datastore_id') } as const);
    sendTask(res, await ops.restoreBackup(origin, param(req, 'id'), target));
  });

  router.post('/api/backups/:id/copy', min(0), async (req, res) => {
    const body = objectBody(req);
    // PY sends one of the two; a store named wins (the copy goes to StoreOnce, not to a cluster).
    const storeName = str(body, 'external_store_name');
    if (storeName) return sendTask(res, await ops.copyBackupToExternalStore(origin, param(req, 'id'), storeName));
    const destination = str(body, 'destination_id');
    let datastoreId: string | undefined;
    if (destination) {
      // The destination is a cluster: the copy lands on its first datastore.
      const cluster = await services.clusters.get(destination);
      const [ds] = await services.datastores.list({ filter: { field: 'clusterId', op: 'eq', value: cluster.id }, order: [{ field: 'seq', direction: 'asc' }], limit: 1 });
      datastoreId = ds?.id;
    }
    sendTask(res, await ops.copyBackup(origin, param(req, 'id'), datastoreId));
  });

  router.post('/api/backups/:id/lock', min(0), async (req, res) => {
    sendTask(res, await ops.lockBackup(origin, param(req, 'id')));
  });

  router.post('/api/backups/:id/rename', min(0), async (req, res) => {
    const body = objectBody(req);
    sendTask(res, await ops.renameBackup(origin, param(req, 'id'), str(body, 'backup_name', true)));
  });

  router.post('/api/backups/:id/cancel', min(7), async (req, res) => {
    sendTask(res, await ops.cancelBackup(origin, param(req, 'id')));
  });

  router.post('/api/backups/:id/calculate_unique_size', min(7), async (req, res) => {
    sendTask(res, await ops.calculateBackupUniqueSize(origin, param(req, 'id')));
  });

  router.post('/api/backups/:id/restore_files', min(9), async (req, res) => {
    const body = objectBody(req);
    sendTask(res, await ops.restoreBackupFiles(origin, param(req, 'id'), str(body, 'virtual_machine_id', true), stringList(body, 'paths')));
  });

  // File-level restore browsing: not tasks. The contents derive from the backup (core backup-contents).
  router.get('/api/backups/:id/virtual_disks', async (req, res) => {
    const backup = await browsable(ctx, param(req, 'id'));
    sendJson(res, 200, { virtual_disks: backupDisks(backup).map((d) => d.name) });
  });

  router.get('/api/backups/:id/virtual_disk_partitions', async (req, res) => {
    const backup = await browsable(ctx, param(req, 'id'));
    const partitions = backupPartitions(backup, requiredQuery(req, 'virtual_disk'));
    sendJson(res, 200, { partitions: partitions.map((p) => ({ partition_number: p.number, size: p.sizeBytes, disk_type: p.diskType, mountable: p.mountable })) });
  });

  router.get('/api/backups/:id/virtual_disk_partition_files', async (req, res) => {
    const backup = await browsable(ctx, param(req, 'id'));
    const disk = requiredQuery(req, 'virtual_disk');
    const partition = intQuery(req, 'partition_number');
    const files = backupFiles(backup, disk, partition, queryValue(req, 'file_path') ?? '/');
    sendJson(res, 200, {
      virtual_disk_partition_files: files.map((f) => ({
        name: f.name,
        directory: f.directory,
        symbolic_link: f.symbolicLink,
        size: f.sizeBytes,
        last_modified: isoSeconds(f.modifiedAt),
        file_level_restore_available: f.restorable,
      })),
    });
  });
}

const browsable = (ctx: RouteContext, id: string): Promise<Backup> => ctx.services.operations.browsableBackup(id);
