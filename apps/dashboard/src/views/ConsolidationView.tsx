import { useEffect, useMemo, useState } from 'react';
import { AlignedData } from 'uplot';
import { ApiError, api, query } from '../api';
import { TimeChart } from '../components/TimeChart';
import { ErrorNote, Panel, Stat } from '../components/ui';
import { useFetch } from '../components/useFetch';
import { time } from '../format';
import { useClockNow, useLive } from '../live';
import { Host, Page, PowerPoint, Site } from '../types';

const RANGES: [string, number][] = [
  ['1 h', 3_600_000],
  ['6 h', 6 * 3_600_000],
  ['24 h', 24 * 3_600_000],
  ['7 d', 7 * 24 * 3_600_000],
];

/**
 * Where the points come from: the gateway's stored power samples (GET /samples/power, recorded
 * on the virtual clock by the consolidation engine), or, on a gateway without that endpoint,
 * readings this page takes itself from the hosts' power states while it is open.
 */
type Source = 'samples' | 'live';

/** Live readings per site, kept across view switches for as long as the page is open. */
const liveSeries = new Map<string, PowerPoint[]>();

async function readSite(siteId: string, at: string): Promise<PowerPoint> {
  let watts = 0;
  let hostsOn = 0;
  let hostsOff = 0;
  for (let offset = 0; ; offset += 1000) {
    const page = await api<Page<Host>>(`/objects/hosts${query({ siteId, limit: 1000, offset })}`);
    for (const h of page.items) {
      if (h.power === 'on') {
        hostsOn++;
        watts += h.powerIdleWatts;
      } else hostsOff++;
    }
    if (offset + 1000 >= page.total) break;
  }
  return { at, watts, hostsOn, hostsOff };
}

function toChart(points: PowerPoint[]): AlignedData {
  const sorted = [...points].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return [sorted.map((p) => Date.parse(p.at) / 1000), sorted.map((p) => p.watts), sorted.map((p) => p.hostsOn), sorted.map((p) => p.hostsOff)];
}

const SERIES = [
  { label: 'power draw (W)', color: '#ea580c', fill: true },
  { label: 'hosts on', color: '#16a34a', scale: 'y2' as const, stepped: true },
  { label: 'hosts off', color: '#94a3b8', scale: 'y2' as const, stepped: true },
];

function Farm({ site, source, rangeMs, nowMs, stamp, samplesStamp }: { site: Site; source: Source; rangeMs: number; nowMs: number; stamp: string; samplesStamp: string }) {
  // Stored samples are re-read every 15 s of clock time and every 5 s of real time (a sample is written
  // shortly after the clock reaches its instant), not on every clock tick.
  const bucket = Math.floor(nowMs / 15_000) * 15_000;
  const path = source === 'samples' ? `/samples/power${query({ site: site.id, since: new Date(bucket - rangeMs).toISOString(), until: new Date(bucket + 15_000).toISOString() })}` : null;
  const stored = useFetch<{ points: PowerPoint[] }>(path, samplesStamp);
  const points = source === 'samples' ? (stored.data?.points ?? []) : (liveSeries.get(site.id) ?? []).filter((p) => Date.parse(p.at) >= nowMs - rangeMs);
  const data = useMemo(() => toChart(points), [points]);
  const latest = points.length ? points.reduce((a, b) => (Date.parse(a.at) >= Date.parse(b.at) ? a : b)) : undefined;
  // The power states right now, whatever the sampling grid: two one-row pages read for their totals.
  const on = useFetch<Page<Host>>(`/objects/hosts${query({ siteId: site.id, power: 'on', limit: 1 })}`, stamp);
  const off = useFetch<Page<Host>>(`/objects/hosts${query({ siteId: site.id, power: 'off', limit: 1 })}`, stamp);
  return (
    <Panel title={`Farm ${site.name}`} testId={`farm-${site.name}`}>
      <div className="stats compact">
        <Stat label={latest ? `power draw at ${time(latest.at).slice(11, 16)}` : 'power draw'} value={latest ? `${latest.watts.toLocaleString('en', { maximumFractionDigits: 0 })} W` : '-'} />
        <Stat label="hosts on now" value={on.data?.total ?? '…'} tone="ok" testId={`farm-on-${site.name}`} />
        <Stat label="hosts off now" value={off.data?.total ?? '…'} testId={`farm-off-${site.name}`} />
        <Stat label="samples in range" value={points.length} testId={`farm-samples-${site.name}`} />
      </div>
      <ErrorNote error={stored.error ?? on.error} />
      {points.length === 0 && <div className="muted small">No samples in this range yet: one is taken per sampling interval of the virtual clock (advance the clock to see more).</div>}
      <TimeChart data={data} series={SERIES} height={220} yLabel="watts" y2Label="hosts" xRange={[(nowMs - rangeMs) / 1000, nowMs / 1000]} testId={`farm-chart-${site.name}`} />
    </Panel>
  );
}

export function ConsolidationView() {
  const { domainStamp } = useLive();
  const { now } = useClockNow();
  const nowMs = now?.getTime() ?? 0;
  const sites = useFetch<Page<Site>>('/objects/sites?limit=100', domainStamp);
  const [rangeMs, setRangeMs] = useState(RANGES[0][1]);
  const [source, setSource] = useState<Source | null>(null);
  const [, setLiveVersion] = useState(0);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), 5000);
    return () => clearInterval(t);
  }, []);

  // Whether this gateway stores samples: one probe; a control 404 for the route means it does not.
  useEffect(() => {
    const first = sites.data?.items[0];
    if (source || !first) return;
    api(`/samples/power${query({ site: first.id, since: new Date(0).toISOString(), until: new Date().toISOString() })}`)
      .then(() => setSource('samples'))
      .catch((err: unknown) => setSource(err instanceof ApiError && err.status === 404 && /no control route/.test(err.message) ? 'live' : 'samples'));
  }, [sites.data, source]);

  // Live fallback: a reading per farm whenever the domain changes, and every 10 s.
  const clockIso = now?.toISOString();
  const tenSeconds = Math.floor(tick / 2);
  useEffect(() => {
    if (source !== 'live' || !sites.data || !clockIso) return;
    let cancelled = false;
    void Promise.all(
      sites.data.items.map(async (site) => {
        const point = await readSite(site.id, clockIso);
        const list = liveSeries.get(site.id) ?? [];
        list.push(point);
        if (list.length > 5000) list.splice(0, list.length - 5000);
        liveSeries.set(site.id, list);
      }),
    ).then(() => !cancelled && setLiveVersion((v) => v + 1));
    return () => {
      cancelled = true;
    };
    // clockIso is read at the moment of the change; it is not itself a reason to read again.
  }, [source, sites.data, domainStamp, tenSeconds]);

  return (
    <div className="view consolidation" data-testid="view-consolidation">
      <div className="toolbar">
        <span className="muted">Range (virtual clock)</span>
        <div className="segmented">
          {RANGES.map(([label, ms]) => (
            <button key={label} className={rangeMs === ms ? 'active' : ''} onClick={() => setRangeMs(ms)}>
              {label}
            </button>
          ))}
        </div>
        <span className="muted" data-testid="power-source">
          {source === 'samples' ? 'Stored power samples (GET /_rosetta/samples/power)' : source === 'live' ? 'Live readings of host power states since this page opened (this gateway stores no samples); idle watts of powered hosts' : 'Looking for stored samples…'}
        </span>
      </div>
      <ErrorNote error={sites.error} />
      <div className="farms">
        {source &&
          (sites.data?.items ?? []).map((site) => <Farm key={site.id} site={site} source={source} rangeMs={rangeMs} nowMs={nowMs} stamp={domainStamp} samplesStamp={`${domainStamp}:${tick}`} />)}
      </div>
    </div>
  );
}
