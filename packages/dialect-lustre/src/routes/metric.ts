import { Filesystem, Host, Target, sampleLoad } from '@rosetta/core';
import { Method, ResourceDef, TastypieReply, ok } from '../tastypie';
import { LCtx, badPk, pkSeq } from './common';

/**
 * IML's MetricResource (`<res>/metric/` and `<res>/<pk>/metric/`) over the domain's load model:
 * the same object at the same moment reports the same figures in every dialect. Samples are 10 s
 * apart (IML's audit period), thinned to at most 1,000 points; a metric the object does not have
 * reads 0, as IML fills it in.
 */
const STEP_MS = 10_000;
const MAX_POINTS = 1000;

type Metrics = Record<string, number>;
type Series = { ts: string; data: Metrics }[];

const stamp = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;

function hostMetrics(h: Host, at: Date): Metrics {
  const s = sampleLoad({ id: h.id, cpuUsagePct: 0, memoryUsagePct: 0, running: h.power === 'on' }, at);
  const memTotal = h.memoryMb * 1024;
  return {
    cpu_total: h.power === 'on' ? 100 : 0,
    cpu_user: Math.round(s.cpuPct * 70) / 100,
    cpu_system: Math.round(s.cpuPct * 20) / 100,
    cpu_iowait: Math.round(s.cpuPct * 10) / 100,
    mem_MemTotal: memTotal,
    mem_MemFree: Math.round(memTotal * (1 - s.memoryPct / 100)),
    mem_SwapTotal: 0,
    mem_SwapFree: 0,
    net_bytes_recv: s.readBytesPerSec,
    net_bytes_sent: s.writeBytesPerSec,
  };
}

function targetMetrics(t: Target, sizeBytes: number, at: Date): Metrics {
  const s = sampleLoad({ id: t.id, cpuUsagePct: 0, memoryUsagePct: 0, running: t.state === 'mounted' }, at);
  const kbytes = Math.floor(sizeBytes / 1024);
  const files = Math.floor(sizeBytes / (t.kind === 'MDT' ? 2048 : 1048576));
  return {
    kbytestotal: kbytes,
    kbytesfree: kbytes,
    filestotal: files,
    filesfree: files,
    stats_read_bytes: t.kind === 'OST' ? s.readBytesPerSec : 0,
    stats_write_bytes: t.kind === 'OST' ? s.writeBytesPerSec : 0,
    stats_read_iops: t.kind === 'OST' ? s.readIops : 0,
    stats_write_iops: t.kind === 'OST' ? s.writeIops : 0,
    stats_open: t.kind === 'MDT' ? s.readIops : 0,
    stats_close: t.kind === 'MDT' ? s.readIops : 0,
    stats_getattr: t.kind === 'MDT' ? s.writeIops : 0,
  };
}

interface Window {
  metrics: string[];
  times: Date[];
}

function parseWindow(ctx: LCtx): Window {
  const params = new URLSearchParams(ctx.req.url.split('?')[1] ?? '');
  const errors: Record<string, string[]> = {};
  const flag = (name: string): boolean => ['true', '1'].includes((params.get(name) ?? '').toLowerCase());
  const latest = flag('latest');
  const update = flag('update');
  const metricsRaw = params.get('metrics');
  if (metricsRaw === null) errors.metrics = ['This field is mandatory'];
  const time = (name: string): Date | undefined => {
    const raw = params.get(name);
    if (raw === null) {
      errors[name] = ['This field is mandatory when latest=false'];
      return undefined;
    }
    const d = new Date(/(Z|[+-]\d\d:?\d\d)$/.test(raw) || !raw.includes('T') ? raw : `${raw}Z`);
    if (Number.isNaN(d.getTime())) errors[name] = ['Malformed time string'];
    return d;
  };
  let begin: Date | undefined;
  let end: Date | undefined;
  if (!latest) {
    begin = time('begin');
    end = time('end');
  }
  if (update && latest) errors.update = ['update and latest are mutually exclusive'];
  if (Object.keys(errors).length) throw new TastypieReply(400, errors);
  const now = ctx.services.clock.now();
  if (latest) return { metrics: metricsRaw!.split(','), times: [new Date(Math.floor(now.getTime() / STEP_MS) * STEP_MS)] };
  if (update) [begin, end] = [end, now];
  const from = Math.ceil(begin!.getTime() / STEP_MS) * STEP_MS;
  const to = Math.min(end!.getTime(), now.getTime());
  const span = Math.max(0, to - from);
  const step = Math.max(STEP_MS, Math.ceil(span / MAX_POINTS / STEP_MS) * STEP_MS);
  const times: Date[] = [];
  for (let t = from; t <= to; t += step) times.push(new Date(t));
  return { metrics: metricsRaw!.split(','), times };
}

function series(window: Window, sample: (at: Date) => Metrics): Series {
  return window.times.map((at) => {
    const all = sample(at);
    return { ts: stamp(at), data: Object.fromEntries(window.metrics.map((m) => [m, all[m] ?? 0])) };
  });
}

function reduce(window: Window, all: Series[], fn: string): Series {
  return window.times.map((at, i) => {
    const data: Metrics = Object.fromEntries(window.metrics.map((m) => [m, 0]));
    for (const s of all) for (const m of window.metrics) data[m] += s[i]?.data[m] ?? 0;
    if (fn === 'average' && all.length) for (const m of window.metrics) data[m] /= all.length;
    return { ts: stamp(at), data };
  });
}

/**
 * What `group_by` may name: the model attributes IML's getattr() would find, by value (a related
 * object by its id). An object without the attribute is left out of every group, as IML does.
 */
type Groups = Record<string, string | number>;

type Sampler = (ctx: LCtx, ids?: number[]) => Promise<{ seq: number; sample: (at: Date) => Metrics; groups: Groups }[]>;

const hostSampler: Sampler = async (ctx, ids) => {
  const filter = ids ? { field: 'seq', op: 'in' as const, value: ids } : { not: { field: 'lustreState', op: 'eq' as const, value: 'removed' } };
  return (await ctx.services.hosts.list({ filter, limit: MAX_POINTS })).map((h) => ({
    seq: h.seq,
    sample: (at: Date) => hostMetrics(h, at),
    groups: { id: h.seq, fqdn: h.name, nodename: h.name.split('.')[0], state: h.lustreState ?? 'managed' },
  }));
};

async function targetSamples(ctx: LCtx, targets: Target[]) {
  const devices = targets.length ? await ctx.services.devices.list({ filter: { field: 'id', op: 'in', value: targets.map((t) => t.deviceId) } }) : [];
  const size = new Map(devices.map((d) => [d.id, d.sizeBytes]));
  const fsIds = [...new Set(targets.map((t) => t.filesystemId).filter((id): id is string => id !== null))];
  const filesystems = fsIds.length ? await ctx.services.filesystems.list({ filter: { field: 'id', op: 'in', value: fsIds } }) : [];
  const fsSeq = new Map(filesystems.map((f) => [f.id, f.seq]));
  return targets.map((t) => {
    const groups: Groups = { id: t.seq, name: t.name, state: t.state };
    // Only MDTs and OSTs carry a `filesystem`; an MGT serves several and has none.
    const fs = t.filesystemId ? fsSeq.get(t.filesystemId) : undefined;
    if (t.kind !== 'MGT' && fs !== undefined) groups.filesystem = fs;
    return { seq: t.seq, sample: (at: Date) => targetMetrics(t, size.get(t.deviceId) ?? 0, at), groups };
  });
}

const targetSampler: Sampler = async (ctx, ids) =>
  targetSamples(ctx, await ctx.services.filesystems.targets.list({ filter: ids ? { field: 'seq', op: 'in', value: ids } : undefined, limit: MAX_POINTS }));

/** A filesystem's figures are the sums over its MDTs and OSTs. */
const filesystemSampler: Sampler = async (ctx, ids) => {
  const filesystems: Filesystem[] = await ctx.services.filesystems.list({ filter: ids ? { field: 'seq', op: 'in', value: ids } : undefined, limit: MAX_POINTS });
  const targets = filesystems.length ? await ctx.services.filesystems.targets.list({ filter: { field: 'filesystemId', op: 'in', value: filesystems.map((f) => f.id) } }) : [];
  const samples = await targetSamples(ctx, targets);
  return filesystems.map((f) => {
    const mine = samples.filter((_, i) => targets[i].filesystemId === f.id);
    return {
      seq: f.seq,
      groups: { id: f.seq, name: f.name, state: f.state },
      sample: (at: Date) => {
        const sum: Metrics = {};
        for (const s of mine) for (const [k, v] of Object.entries(s.sample(at))) sum[k] = (sum[k] ?? 0) + v;
        return sum;
      },
    };
  });
};

const GET: readonly Method[] = ['get'];

function metricRoutes(sampler: Sampler): Pick<ResourceDef<LCtx>, 'extra' | 'detailExtra'> {
  return {
    extra: {
      metric: {
        allowed: GET,
        async handle(ctx) {
          const window = parseWindow(ctx);
          const params = new URLSearchParams(ctx.req.url.split('?')[1] ?? '');
          const reduceFn = params.get('reduce_fn');
          const groupBy = params.get('group_by');
          if (groupBy !== null && !reduceFn) throw new TastypieReply(400, { reduce_fn: "This field is mandatory if 'group_by' is specified" });
          if (reduceFn && reduceFn !== 'sum' && reduceFn !== 'average') throw new TastypieReply(400, { reduce_fn: "Must be one of 'average', 'sum'" });
          const ids = params.get('id__in')?.split(',').map((v) => (/^\d+$/.test(v) ? Number(v) : NaN)).filter((n) => !Number.isNaN(n));
          const objects = await sampler(ctx, ids);
          if (reduceFn && groupBy !== null) {
            const bins = new Map<string | number, Series[]>();
            for (const o of objects) {
              if (!Object.prototype.hasOwnProperty.call(o.groups, groupBy)) continue;
              const key = o.groups[groupBy];
              bins.set(key, [...(bins.get(key) ?? []), series(window, o.sample)]);
            }
            return ok(Object.fromEntries([...bins].map(([key, all]) => [String(key), reduce(window, all, reduceFn)])));
          }
          if (reduceFn) return ok(reduce(window, objects.map((o) => series(window, o.sample)), reduceFn));
          return ok(Object.fromEntries(objects.map((o) => [String(o.seq), series(window, o.sample)])));
        },
      },
    },
    detailExtra: {
      metric: {
        allowed: GET,
        async handle(ctx, pk) {
          const seq = pkSeq(pk);
          if (seq === undefined) throw badPk();
          const window = parseWindow(ctx);
          const [object] = await sampler(ctx, [seq]);
          if (!object) return new TastypieReply(404);
          return ok(series(window, object.sample));
        },
      },
    },
  };
}

export const hostMetricRoutes = metricRoutes(hostSampler);
export const targetMetricRoutes = metricRoutes(targetSampler);
export const filesystemMetricRoutes = metricRoutes(filesystemSampler);
