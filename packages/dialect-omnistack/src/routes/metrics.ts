import { Request } from 'express';
import { LoadBasis, sampleSeries } from '@rosetta/core';
import { badParam, parseDate, queryValue } from '../parse';
import { isoSeconds } from '../wire';

const RESOLUTION_MS: Record<string, number> = { SECOND: 5_000, MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 };
const MAX_POINTS = 20_000;

export interface Window {
  from: Date;
  to: Date;
  stepMs: number;
}

/** time_offset (seconds back, or an ISO date), range (seconds), resolution (any case: the Prometheus connector sends "Minute"). */
export function metricWindow(req: Request, now: Date): Window {
  const offsetRaw = queryValue(req, 'time_offset');
  const rangeRaw = queryValue(req, 'range');
  const resolutionRaw = (queryValue(req, 'resolution') ?? 'MINUTE').toUpperCase();
  const stepMs = RESOLUTION_MS[resolutionRaw];
  if (!stepMs) throw badParam('resolution', 'must be SECOND, MINUTE, HOUR or DAY');
  let to = now;
  if (offsetRaw !== undefined) {
    if (/^\d+$/.test(offsetRaw)) to = new Date(now.getTime() - Number(offsetRaw) * 1000);
    else {
      const d = parseDate(offsetRaw);
      if (!d) throw badParam('time_offset', 'must be seconds or an ISO-8601 date');
      to = d;
    }
  }
  if (rangeRaw !== undefined && !/^\d+$/.test(rangeRaw)) throw badParam('range', 'must be a number of seconds');
  const rangeS = rangeRaw === undefined ? 43_200 : Number(rangeRaw);
  if ((rangeS * 1000) / stepMs > MAX_POINTS) throw badParam('range', `spans more than ${MAX_POINTS} points at ${resolutionRaw} resolution`);
  return { from: new Date(to.getTime() - rangeS * 1000), to, stepMs };
}

/** iops, throughput (bytes/s) and latency (microseconds), each with reads and writes per point. */
export function renderMetrics(basis: LoadBasis, w: Window) {
  const samples = sampleSeries(basis, w.from, w.to, w.stepMs);
  const series = (name: string, reads: (s: (typeof samples)[number]) => number, writes: (s: (typeof samples)[number]) => number) => ({
    name,
    data_points: samples.map((s) => ({ reads: reads(s), writes: writes(s), date: isoSeconds(s.at) })),
  });
  return {
    metrics: [
      series('iops', (s) => s.readIops, (s) => s.writeIops),
      series('throughput', (s) => s.readBytesPerSec, (s) => s.writeBytesPerSec),
      series('latency', (s) => s.readLatencyUs, (s) => s.writeLatencyUs),
    ],
  };
}
