import { ReactNode } from 'react';
import { bytes, pct } from '../format';

const TONE: Record<string, string> = {
  up: 'ok', on: 'ok', online: 'ok', running: 'info', succeeded: 'ok', active: 'ok', mounted: 'ok', normal: 'ok',
  maintenance: 'warn', queued: 'muted', pending: 'muted', paused: 'warn', manual: 'warn', suspended: 'warn', unmounted: 'warn', offline: 'warn', cancelled: 'muted',
  down: 'bad', off: 'muted', failed: 'bad', error: 'bad',
};

/** A state word in its colour: green healthy, amber attention, red broken, grey idle. */
export function Badge({ value, tone, testId }: { value: string; tone?: string; testId?: string }) {
  return (
    <span className={`badge ${tone ?? TONE[value] ?? 'muted'}`} data-testid={testId}>
      {value}
    </span>
  );
}

export function Dot({ value }: { value: string }) {
  return <span className={`dot ${TONE[value] ?? 'muted'}`} title={value} />;
}

/** Used and free of a capacity, as a bar with the numbers beside it. */
export function CapacityBar({ used, size }: { used: number; size: number }) {
  const p = pct(used, size);
  return (
    <div className="capacity" title={`${bytes(used)} used of ${bytes(size)} (${p.toFixed(1)}%)`}>
      <div className="capacity-track">
        <div className={`capacity-fill ${p > 90 ? 'bad' : p > 75 ? 'warn' : 'ok'}`} style={{ width: `${p}%` }} />
      </div>
      <span className="capacity-text">
        {bytes(used)} used · {bytes(Math.max(0, size - used))} free
      </span>
    </div>
  );
}

export function Panel({ title, actions, children, className, testId }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string; testId?: string }) {
  return (
    <section className={`panel ${className ?? ''}`} data-testid={testId}>
      {(title || actions) && (
        <header className="panel-head">
          <h2>{title}</h2>
          <div className="panel-actions">{actions}</div>
        </header>
      )}
      <div className="panel-body">{children}</div>
    </section>
  );
}

export function Stat({ label, value, tone, testId }: { label: string; value: ReactNode; tone?: string; testId?: string }) {
  return (
    <div className={`stat ${tone ?? ''}`}>
      <div className="stat-value" data-testid={testId}>
        {value}
      </div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

export function KeyValues({ rows, single }: { rows: [string, ReactNode][]; single?: boolean }) {
  return (
    <dl className={`kv${single ? ' single' : ''}`}>
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function ErrorNote({ error }: { error: string | null }) {
  return error ? <div className="note error">{error}</div> : null;
}
