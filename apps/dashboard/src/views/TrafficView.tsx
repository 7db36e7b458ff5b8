import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../api';
import { TimeChart } from '../components/TimeChart';
import { Badge, ErrorNote, Panel } from '../components/ui';
import { DIALECTS, dialectColor } from '../dialects';
import { time } from '../format';
import { useJournalStream } from '../live';
import { JournalEntry } from '../types';
import { BUCKET_S, KEEP, isError, merge, percentile, rates, statusTone } from '../traffic-stats';
import { useVirtualizer } from '@tanstack/react-virtual';

function JournalTable({ entries }: { entries: JournalEntry[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: entries.length, getScrollElement: () => scroller.current, estimateSize: () => 28, overscan: 15 });
  const template = '70px 150px 110px 64px minmax(200px, 1fr) 64px 80px 110px';
  return (
    <div className="vtable" data-testid="journal-table">
      <div className="vtable-head" style={{ gridTemplateColumns: template }}>
        <div className="num">#</div>
        <div>Time (UTC)</div>
        <div>Dialect</div>
        <div>Method</div>
        <div>Path</div>
        <div className="num">Status</div>
        <div className="num">Latency</div>
        <div>Principal</div>
      </div>
      <div className="vtable-body" ref={scroller} style={{ height: 'calc(100vh - 560px)', minHeight: 200 }}>
        {entries.length === 0 && <div className="vtable-note">No requests yet.</div>}
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {v.getVirtualItems().map((item) => {
            const e = entries[item.index];
            return (
              <div key={e.seq} className="vtable-row" style={{ transform: `translateY(${item.start}px)`, height: 28, gridTemplateColumns: template }} data-testid="journal-row">
                <div className="num muted">{e.seq}</div>
                <div className="mono">{time(e.at)}</div>
                <div>
                  <span className="swatch" style={{ background: dialectColor(e.dialect) }} /> {e.dialect}
                </div>
                <div className="mono">{e.method}</div>
                <div className="mono ellipsis" title={e.path}>
                  {e.path}
                  {e.jobIds.length > 0 && <span className="chip small">job</span>}
                </div>
                <div className="num">
                  <Badge value={String(e.status || 'drop')} tone={statusTone(e.status)} />
                </div>
                <div className="num">{e.latencyMs.toFixed(1)} ms</div>
                <div className="muted ellipsis">{e.principal ?? ''}</div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

export function TrafficView() {
  const [entries, setEntries] = useState<JournalEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [dialect, setDialect] = useState('');
  const [status, setStatus] = useState('');
  const [nowS, setNowS] = useState(() => Date.now() / 1000);

  useEffect(() => {
    api<{ entries: JournalEntry[] }>(`/journal?limit=${KEEP}`)
      .then((body) => setEntries((live) => merge(body.entries, live)))
      .catch((err: Error) => setError(err.message));
    // Charts slide with real time (journal times are the gateway's wall clock).
    const t = setInterval(() => setNowS(Date.now() / 1000), BUCKET_S * 1000);
    return () => clearInterval(t);
  }, []);

  useJournalStream(
    useCallback((fresh: JournalEntry[], cleared: boolean) => {
      setEntries((old) => (cleared ? [] : merge([...fresh].reverse(), old)));
    }, []),
  );

  const dialects = useMemo(() => [...new Set([...DIALECTS, ...entries.map((e) => e.dialect)])], [entries]);
  const shown = useMemo(
    () =>
      entries.filter((e) => {
        if (dialect && e.dialect !== dialect) return false;
        if (!status) return true;
        if (status === 'errors') return isError(e);
        return Math.floor(e.status / 100) === Number(status[0]);
      }),
    [entries, dialect, status],
  );
  const charted = useMemo(() => (dialect ? [dialect] : dialects), [dialect, dialects]);
  const series = useMemo(() => charted.map((d) => ({ label: d, color: dialectColor(d) })), [charted]);
  const { requests, errors, window } = useMemo(() => rates(entries, charted, nowS), [entries, charted, nowS]);
  const latency = useMemo(
    () =>
      dialects
        .map((d) => {
          const mine = entries.filter((e) => e.dialect === d);
          const ms = mine.map((e) => e.latencyMs).sort((a, b) => a - b);
          return { d, n: mine.length, errors: mine.filter(isError).length, p50: percentile(ms, 50), p90: percentile(ms, 90), p99: percentile(ms, 99), max: ms[ms.length - 1] };
        })
        .filter((r) => r.n > 0),
    [entries, dialects],
  );

  return (
    <div className="view traffic" data-testid="view-traffic">
      <div className="toolbar">
        <label>
          Dialect{' '}
          <select value={dialect} onChange={(e) => setDialect(e.target.value)} data-testid="traffic-dialect">
            <option value="">all</option>
            {dialects.map((d) => (
              <option key={d}>{d}</option>
            ))}
          </select>
        </label>
        <label>
          Status{' '}
          <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="traffic-status">
            <option value="">all</option>
            <option value="2xx">2xx</option>
            <option value="3xx">3xx</option>
            <option value="4xx">4xx</option>
            <option value="5xx">5xx</option>
            <option value="errors">errors (5xx, dropped)</option>
          </select>
        </label>
        <span className="muted">
          {shown.length.toLocaleString('en')} of {entries.length.toLocaleString('en')} recent requests
        </span>
        <button onClick={() => void api('/journal', { method: 'DELETE' }).then(() => setEntries([]))}>Clear journal</button>
      </div>
      <ErrorNote error={error} />
      <div className="charts">
        <Panel title="Requests / s by dialect" className="chart-panel">
          <TimeChart data={requests} series={series} height={170} xRange={window} yLabel="req/s" testId="chart-requests" />
        </Panel>
        <Panel title="Errors / s (5xx and dropped)" className="chart-panel">
          <TimeChart data={errors} series={series} height={170} xRange={window} yLabel="errors/s" testId="chart-errors" />
        </Panel>
        <Panel title="Latency (recent requests)" className="chart-panel">
          <table className="table compact" data-testid="latency-table">
            <thead>
              <tr>
                <th>Dialect</th>
                <th className="num">Requests</th>
                <th className="num">Errors</th>
                <th className="num">p50</th>
                <th className="num">p90</th>
                <th className="num">p99</th>
                <th className="num">max</th>
              </tr>
            </thead>
            <tbody>
              {latency.map((r) => (
                <tr key={r.d}>
                  <td className="nowrap">
                    <span className="swatch" style={{ background: dialectColor(r.d) }} /> {r.d}
                  </td>
                  <td className="num">{r.n}</td>
                  <td className={`num${r.errors ? ' error-text' : ''}`}>{r.errors}</td>
                  <td className="num">{r.p50.toFixed(1)}</td>
                  <td className="num">{r.p90.toFixed(1)}</td>
                  <td className="num">{r.p99.toFixed(1)}</td>
                  <td className="num">{r.max.toFixed(1)}</td>
                </tr>
              ))}
              {latency.length === 0 && (
                <tr>
                  <td colSpan={7} className="muted">
                    No requests yet.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          <div className="muted small">milliseconds, over the requests kept in this page</div>
        </Panel>
      </div>
      <Panel title="Request journal (live)">
        <JournalTable entries={shown} />
      </Panel>
    </div>
  );
}
