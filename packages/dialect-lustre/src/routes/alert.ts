import { Job } from '@rosetta/core';
import { FILTER_ENUM, FILTER_INT, FILTER_STR, ListRequest, ResourceDef, TastypieReply, memoryPage, noContent } from '../tastypie';
import { commandMessage, uri } from '../render';
import { awareIso } from '../wire-json';
import { LCtx, badPk, byIds, jsonBody, pkSeq } from './common';

/**
 * Alerts are read off the domain as it stands (hosts down, LNet not up, targets unmounted in a
 * running filesystem) and off ended commands. Ids pack the alert kind into the low three bits of
 * the subject's integer id, so each alert keeps its id for as long as its subject exists.
 */
const SLOT = { command: 0, host: 1, lnet: 2, target: 3, failover: 4 } as const;
const alertId = (seq: number, slot: number): number => seq * 8 + slot;

export const ALERT_TYPES: Record<string, string> = {
  HostOfflineAlert: 'Host offline',
  LNetOfflineAlert: 'LNet offline',
  TargetOfflineAlert: 'Target offline',
  TargetFailoverAlert: 'Target running on secondary server',
  CommandRunningAlert: 'Command running',
  CommandErroredAlert: 'Command failed',
  CommandCancelledAlert: 'Command cancelled',
};

interface Raw {
  id: number;
  type: keyof typeof ALERT_TYPES;
  severity: 'INFO' | 'WARNING' | 'ERROR';
  message: string;
  active: boolean;
  begin: Date;
  end: Date | null;
  item: { resource: string; seq: number; label: string };
  dismissed?: boolean;
}

function render(base: string, a: Raw) {
  const itemUri = uri(base, a.item.resource, a.item.seq);
  return {
    _message: null,
    active: a.active ? true : null,
    affected: [itemUri],
    alert_item: itemUri,
    alert_item_id: a.item.seq,
    alert_item_str: a.item.label,
    alert_type: a.type,
    begin: awareIso(a.begin),
    dismissed: a.dismissed === true,
    end: awareIso(a.end ?? a.begin),
    id: a.id,
    lustre_pid: null,
    message: a.message,
    record_type: a.type,
    resource_uri: uri(base, 'alert', a.id),
    severity: a.severity,
    variant: '{}',
  };
}

function commandAlert(job: Job): Raw | null {
  const item = { resource: 'command', seq: job.seq, label: commandMessage(job) };
  const base = { id: alertId(job.seq, SLOT.command), begin: job.createdAt, item };
  switch (job.state) {
    case 'queued':
    case 'running':
      return { ...base, type: 'CommandRunningAlert', severity: 'INFO', message: `Command ${item.label} running`, active: true, end: null };
    case 'failed':
      return { ...base, type: 'CommandErroredAlert', severity: 'ERROR', message: `Command ${item.label} failed`, active: false, end: job.finishedAt };
    case 'cancelled':
      return { ...base, type: 'CommandCancelledAlert', severity: 'WARNING', message: `Command ${item.label} cancelled`, active: false, end: job.finishedAt };
    case 'succeeded':
      return null;
  }
}

async function allAlerts(ctx: LCtx): Promise<Raw[]> {
  const out: Raw[] = [];
  const hosts = await ctx.services.hosts.list({ filter: { not: { field: 'lustreState', op: 'eq', value: 'removed' } } });
  for (const h of hosts) {
    const item = { resource: 'host', seq: h.seq, label: h.name };
    if (h.state === 'down') out.push({ id: alertId(h.seq, SLOT.host), type: 'HostOfflineAlert', severity: 'WARNING', message: `Host is offline ${h.name}`, active: true, begin: h.updatedAt, end: null, item });
    if (h.lustreState === 'managed' && h.lnetState !== 'lnet_up') {
      out.push({ id: alertId(h.seq, SLOT.lnet), type: 'LNetOfflineAlert', severity: 'INFO', message: `LNet offline on server ${h.name}`, active: true, begin: h.updatedAt, end: null, item });
    }
  }
  const targets = await ctx.services.filesystems.targets.list({ filter: { field: 'state', op: 'eq', value: 'unmounted' } });
  const filesystems = await byIds(ctx.services.filesystems, targets.map((t) => t.filesystemId));
  for (const t of targets) {
    const fs = t.filesystemId ? filesystems.get(t.filesystemId) : undefined;
    if (fs?.state === 'stopped') continue;
    out.push({ id: alertId(t.seq, SLOT.target), type: 'TargetOfflineAlert', severity: 'ERROR', message: `Target ${t.name} offline`, active: true, begin: t.updatedAt, end: null, item: { resource: 'target', seq: t.seq, label: t.name } });
  }
  // A target failed over runs on its secondary server until it fails back.
  const failedOver = await ctx.services.filesystems.targets.list({ filter: { all: [{ field: 'state', op: 'eq', value: 'mounted' }, { field: 'activeHostId', op: 'isnull', value: false }] } });
  for (const t of failedOver.filter((x) => x.activeHostId !== x.hostId)) {
    const item = { resource: 'target', seq: t.seq, label: t.name };
    out.push({ id: alertId(t.seq, SLOT.failover), type: 'TargetFailoverAlert', severity: 'WARNING', message: `Target ${t.name} running on secondary server`, active: true, begin: t.updatedAt, end: null, item });
  }
  const jobs = await ctx.services.jobs.list({ filter: { field: 'state', op: 'in', value: ['queued', 'running', 'failed', 'cancelled'] } });
  for (const j of jobs) {
    const a = commandAlert(j);
    if (a) out.push(a);
  }
  const dismissed = new Set((await ctx.services.lustre.dismissals(out.map((a) => a.id))).map((d) => `${d.alertId}@${d.begin.getTime()}`));
  for (const a of out) a.dismissed = dismissed.has(`${a.id}@${a.begin.getTime()}`);
  return out;
}

/** Django's BooleanField.to_python: what IML accepts for `dismissed`. */
function dismissedValue(value: unknown): boolean {
  if (value === true || value === false) return value;
  if (value === 't' || value === 'True' || value === '1' || value === 1) return true;
  if (value === 'f' || value === 'False' || value === '0' || value === 0) return false;
  throw new TastypieReply(400, { dismissed: [`'${String(value)}' value must be either True or False.`] });
}

/** PUT or PATCH of one alert: only `dismissed` is writable; the alert itself is the domain's. */
async function updateAlert(ctx: LCtx, pk: string, status: number): Promise<TastypieReply> {
  const seq = pkSeq(pk);
  if (seq === undefined) throw badPk();
  const found = (await allAlerts(ctx)).find((a) => a.id === seq);
  if (!found) return new TastypieReply(404);
  const body = jsonBody(ctx);
  if (body.dismissed !== undefined) {
    const want = dismissedValue(body.dismissed);
    const ref = { alertId: found.id, begin: found.begin };
    if (want && !found.dismissed) await ctx.services.lustre.dismissAlerts([ref]);
    if (!want && found.dismissed) await ctx.services.lustre.undismissAlert(ref);
  }
  return new TastypieReply(status);
}

export const alertResource: ResourceDef<LCtx> = {
  name: 'alert',
  fields: {
    _message: { type: 'string', nullable: true },
    active: { type: 'boolean', nullable: true },
    affected: { type: 'list', nullable: true, help: 'List of objects which are affected by the alert (e.g. a target alert also affects the file system to which the target belongs)' },
    alert_item: { type: 'string', help: 'URI of affected item' },
    alert_item_id: { type: 'integer', nullable: true },
    alert_item_str: { type: 'string', help: 'A human readable noun describing the object that is the subject of the alert' },
    alert_type: { type: 'string' },
    begin: { type: 'datetime', help: 'Time at which the alert started' },
    dismissed: { type: 'boolean' },
    end: { type: 'datetime', nullable: true, help: 'Time at which the alert was resolved if active is false, else time that the alert was last checked (e.g. time when we last checked an offline target was still not offline)' },
    id: { type: 'integer', readonly: true, unique: true },
    lustre_pid: { type: 'integer', nullable: true },
    message: { type: 'string', help: 'Human readable description of the alert, about one sentence' },
    record_type: { type: 'string', enumeration: Object.keys(ALERT_TYPES) },
    resource_uri: { type: 'string', readonly: true },
    severity: { type: 'string', help: 'String indicating the severity of the alert, one of INFO, DEBUG, CRITICAL, WARNING, ERROR', enumeration: ['INFO', 'DEBUG', 'CRITICAL', 'WARNING', 'ERROR'] },
    variant: { type: 'string' },
  },
  filtering: {
    active: ['exact'], alert_item_id: FILTER_INT, alert_type: FILTER_ENUM, begin: FILTER_INT, created_at: FILTER_INT, dismissed: ['exact'],
    end: FILTER_INT, id: FILTER_INT, lustre_pid: FILTER_INT, message: FILTER_STR, record_type: FILTER_ENUM, severity: FILTER_ENUM,
  },
  ordering: ['begin', 'end', 'active'],
  listAllowed: ['get'],
  detailAllowed: ['get', 'patch', 'put'],
  async list(ctx, q: ListRequest) {
    const objects = (await allAlerts(ctx)).map((a) => render(ctx.base, a));
    const order = q.order.length ? q.order : [{ field: 'begin', desc: true }];
    return memoryPage(objects, { ...q, order });
  },
  async detail(ctx, pk) {
    const seq = pkSeq(pk);
    if (seq === undefined) throw badPk();
    const found = (await allAlerts(ctx)).find((a) => a.id === seq);
    return found && render(ctx.base, found);
  },
  // Tastypie without always_return_data: PATCH answers 202 and PUT 204, both without a body.
  patch: (ctx, pk) => updateAlert(ctx, pk, 202),
  put: (ctx, pk) => updateAlert(ctx, pk, 204),
  extra: {
    dismiss_all: {
      allowed: ['put'],
      async handle(ctx) {
        await ctx.services.lustre.dismissAlerts((await allAlerts(ctx)).filter((a) => !a.dismissed).map((a) => ({ alertId: a.id, begin: a.begin })));
        return noContent();
      },
    },
  },
};

/** An alert type as the alert_type resource shows it (id: the class name in lower case). */
export const renderAlertType = (base: string, name: string) => ({ description: ALERT_TYPES[name], id: name.toLowerCase(), resource_uri: uri(base, 'alert_type', name.toLowerCase()) });

export const alertTypeResource: ResourceDef<LCtx> = {
  name: 'alert_type',
  fields: { description: { type: 'string' }, id: { type: 'string' }, resource_uri: { type: 'string', readonly: true } },
  listAllowed: ['get'],
  detailAllowed: ['get'],
  async list(ctx, q) {
    return memoryPage(Object.keys(ALERT_TYPES).map((name) => renderAlertType(ctx.base, name)), q);
  },
  async detail(ctx, pk) {
    const name = Object.keys(ALERT_TYPES).find((n) => n.toLowerCase() === pk);
    return name && renderAlertType(ctx.base, name);
  },
};
