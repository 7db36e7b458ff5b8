import { Request, Router } from 'express';
import { Backup, Filter, Page, notFound } from '@rosetta/core';
import {
  CollectionSpec,
  ParsedList,
  bool,
  boolFilter,
  boolValue,
  constant,
  dateRange,
  enumOf,
  idList,
  ids,
  num,
  numberRange,
  objectBody,
  parseList,
  queryValue,
  str,
  text,
} from '../parse';
import { fixedNumber, fixedText, never } from '../filters';
import { Refs, loadRefs } from '../refs';
import { renderBackup } from '../render';
import { sendJson } from '../wire';
import { consumes } from '../media';
import { RouteContext, param, sendList, sendTask } from './context';

function backupSpec(ctx: RouteContext): CollectionSpec {
  const l = ctx.lookups;
  const s = ctx.services;
  return {
    filters: {
      id: ids('id'),
      name: text('name'),
      state: enumOf('state', { PROTECTED: 'protected', SAVING: 'saving', FAILED: 'failed', DELETED: 'deleted', NEW: null, UNKNOWN: null, CANCELING: null, CANCELED: null, QUEUED: null, REBUILDING: null, DEGRADED: null }),
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
      unique_size_bytes_min: numberRange('sizeBytes', 'gte'),
      unique_size_bytes_max: numberRange('sizeBytes', 'lte'),
      sent_min: fixedNumber(0, 'gte'),
      sent_max: fixedNumber(0, 'lte'),
      sent_duration_min: fixedNumber(0, 'gte'),
      sent_duration_max: fixedNumber(0, 'lte'),
      sent_completion_after: never,
      sent_completion_before: never,
      application_consistent: boolFilter('appConsistent'),
      consistency_type: enumOf('consistency', { NONE: 'none', DEFAULT: 'default', VSS: 'vss', FAILEDVSS: 'failedvss', NOT_APPLICABLE: 'not_applicable' }),
      external_store_name: never,
      backup_store_type: fixedText('SimplivityStore'),
    },
    sorts: {
      name: 'name',
      id: 'id',
      created_at: 'createdAt',
      state: 'state',
      type: 'trigger',
      size: 'sizeBytes',
      unique_size_bytes: 'sizeBytes',
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
  const refs = await loadRefs(ctx.services, { vmIds: page.items.map((b) => b.vmId), datastoreIds: page.items.map((b) => b.datastoreId) });
  return { parsed, page, refs };
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
    const refs = await loadRefs(services, { vmIds: outcome.wouldExpire.map((b) => b.vmId), datastoreIds: outcome.wouldExpire.map((b) => b.datastoreId) });
    sendJson(res, 200, { backups: outcome.wouldExpire.map((b) => renderBackup(b, refs)) });
  });

  router.get('/api/backups/:id', async (req, res) => {
    const backup = await liveBackup(ctx, param(req, 'id'));
    const refs = await loadRefs(services, { vmIds: [backup.vmId], datastoreIds: [backup.datastoreId] });
    sendJson(res, 200, { backup: renderBackup(backup, refs) });
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
}
