import { FormEvent, useCallback, useState } from 'react';
import { api } from '../api';
import { Badge, ErrorNote, Panel } from '../components/ui';
import { useFetch } from '../components/useFetch';
import { DIALECTS } from '../dialects';
import { time } from '../format';
import { setClock, useClockNow, useJournalStream, useLive } from '../live';
import { ClockView, ErrorCode, FaultEffect, FaultRule, Snapshot } from '../types';

const ERROR_CODES: ErrorCode[] = ['UNAVAILABLE', 'NOT_FOUND', 'ALREADY_EXISTS', 'INVALID_STATE', 'VALIDATION', 'PERMISSION_DENIED', 'UNAUTHENTICATED', 'CAPACITY', 'CONFLICT'];
const METHODS = ['', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Runs a control call, reporting its failure in the panel rather than throwing. */
function useAction(): [string | null, (fn: () => Promise<unknown>) => Promise<boolean>] {
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setError(null);
      return true;
    } catch (err) {
      setError((err as Error).message);
      return false;
    }
  };
  return [error, run];
}

function describeEffect(e: FaultEffect): string {
  switch (e.type) {
    case 'error':
      return `error ${e.code}: ${e.message}`;
    case 'delay':
      return `delay ${e.ms} ms${e.jitterMs ? ` ± ${e.jitterMs}` : ''}`;
    case 'drop':
      return 'drop the connection';
    case 'fail_step':
      return `fail step: ${e.message}`;
    default:
      return 'unknown';
  }
}

function FaultForm({ onAdded }: { onAdded(): void }) {
  const [target, setTarget] = useState<'request' | 'step'>('request');
  const [dialect, setDialect] = useState('heketi');
  const [method, setMethod] = useState('');
  const [route, setRoute] = useState('');
  const [jobKind, setJobKind] = useState('');
  const [step, setStep] = useState('');
  const [effect, setEffect] = useState<FaultEffect['type']>('error');
  const [code, setCode] = useState<ErrorCode>('UNAVAILABLE');
  const [message, setMessage] = useState('injected by the dashboard');
  const [ms, setMs] = useState('500');
  const [count, setCount] = useState('');
  const [probability, setProbability] = useState('');
  const [error, run] = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const effectBody: FaultEffect =
      effect === 'error' ? { type: 'error', code, message } : effect === 'delay' ? { type: 'delay', ms: Number(ms) } : effect === 'drop' ? { type: 'drop' } : { type: 'fail_step', message };
    const body: Record<string, unknown> =
      target === 'request'
        ? { target, dialect: dialect || undefined, method: method || undefined, route: route || undefined, effect: effectBody }
        : { target, jobKind: jobKind || undefined, step: step || undefined, effect: effectBody };
    if (count) body.count = Number(count);
    if (probability) body.probability = Number(probability);
    if (await run(() => api('/faults', { method: 'POST', body }))) onAdded();
  };

  const effects: FaultEffect['type'][] = target === 'request' ? ['error', 'delay', 'drop'] : ['fail_step', 'delay'];
  return (
    <form className="form" onSubmit={(e) => void submit(e)} data-testid="fault-form">
      <div className="form-row">
        <label>
          Target
          <select
            value={target}
            onChange={(e) => {
              const t = e.target.value as 'request' | 'step';
              setTarget(t);
              setEffect(t === 'request' ? 'error' : 'fail_step');
            }}
            name="target"
          >
            <option value="request">vendor request</option>
            <option value="step">job step</option>
          </select>
        </label>
        {target === 'request' ? (
          <>
            <label>
              Dialect
              <select value={dialect} onChange={(e) => setDialect(e.target.value)} name="dialect">
                <option value="">any</option>
                {DIALECTS.map((d) => (
                  <option key={d}>{d}</option>
                ))}
              </select>
            </label>
            <label>
              Method
              <select value={method} onChange={(e) => setMethod(e.target.value)} name="method">
                {METHODS.map((m) => (
                  <option key={m} value={m}>
                    {m || 'any'}
                  </option>
                ))}
              </select>
            </label>
            <label className="grow">
              Route (glob, * only)
              <input value={route} onChange={(e) => setRoute(e.target.value)} placeholder="/volumes*" name="route" />
            </label>
          </>
        ) : (
          <>
            <label className="grow">
              Job kind (glob)
              <input value={jobKind} onChange={(e) => setJobKind(e.target.value)} placeholder="volume.*" name="jobKind" />
            </label>
            <label className="grow">
              Step (glob)
              <input value={step} onChange={(e) => setStep(e.target.value)} placeholder="allocate*" name="step" />
            </label>
          </>
        )}
      </div>
      <div className="form-row">
        <label>
          Effect
          <select value={effect} onChange={(e) => setEffect(e.target.value as FaultEffect['type'])} name="effect">
            {effects.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        {effect === 'error' && (
          <label>
            Code
            <select value={code} onChange={(e) => setCode(e.target.value as ErrorCode)} name="code">
              {ERROR_CODES.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
        )}
        {(effect === 'error' || effect === 'fail_step') && (
          <label className="grow">
            Message
            <input value={message} onChange={(e) => setMessage(e.target.value)} name="message" />
          </label>
        )}
        {effect === 'delay' && (
          <label>
            Delay (ms)
            <input value={ms} onChange={(e) => setMs(e.target.value)} inputMode="numeric" name="ms" />
          </label>
        )}
        <label>
          Count
          <input value={count} onChange={(e) => setCount(e.target.value)} placeholder="∞" inputMode="numeric" name="count" className="narrow" />
        </label>
        <label>
          Probability
          <input value={probability} onChange={(e) => setProbability(e.target.value)} placeholder="1" inputMode="decimal" name="probability" className="narrow" />
        </label>
        <button type="submit" className="primary" data-testid="fault-add">
          Add rule
        </button>
      </div>
      <ErrorNote error={error} />
    </form>
  );
}

function Faults() {
  const { faults: hits } = useLive();
  // The rule list is re-read when rules come or go; hit counts arrive live in between.
  const ids = hits.map((h) => h.id).join(',');
  const rules = useFetch<{ faults: FaultRule[] }>('/faults', ids);
  const [error, run] = useAction();
  const live = new Map(hits.map((h) => [h.id, h]));
  return (
    <Panel
      title="Fault and latency rules"
      actions={
        <button onClick={() => void run(() => api('/faults', { method: 'DELETE' })).then(rules.reload)} disabled={!rules.data?.faults.length}>
          Remove all
        </button>
      }
      testId="faults-panel"
    >
      <FaultForm onAdded={rules.reload} />
      <ErrorNote error={error ?? rules.error} />
      <table className="table" data-testid="fault-table">
        <thead>
          <tr>
            <th>Rule</th>
            <th>Matches</th>
            <th>Effect</th>
            <th className="num">Hits</th>
            <th className="num">Left</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(rules.data?.faults ?? []).map((r) => {
            const h = live.get(r.id);
            const remaining = h ? h.remaining : r.remaining;
            return (
              <tr key={r.id} data-testid="fault-row" data-rule={r.id}>
                <td>
                  <code>{r.id.slice(0, 8)}</code> <Badge value={r.target} tone="info" />
                </td>
                <td className="mono">
                  {r.target === 'request' ? `${r.dialect ?? 'any'} ${r.method ?? '*'} ${r.route ?? '*'}` : `${r.jobKind ?? '*'} / ${r.step ?? '*'}`}
                  {r.probability !== null && <span className="muted"> p={r.probability}</span>}
                </td>
                <td>{describeEffect(r.effect)}</td>
                <td className="num strong" data-testid="fault-hits">
                  {h ? h.hits : r.hits}
                </td>
                <td className="num">{remaining === null ? '∞' : remaining}</td>
                <td className="num">
                  <button className="link danger" onClick={() => void run(() => api(`/faults/${r.id}`, { method: 'DELETE' })).then(rules.reload)} data-testid="fault-remove">
                    Remove
                  </button>
                </td>
              </tr>
            );
          })}
          {rules.data?.faults.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                No rules: every request and step runs normally.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </Panel>
  );
}

function Clock() {
  const { now, frozen } = useClockNow();
  const [amount, setAmount] = useState('15m');
  const [error, run] = useAction();
  const call = (path: string, body?: unknown) => run(async () => setClock(await api<ClockView>(path, { method: 'POST', body })));
  return (
    <Panel title="Virtual clock" testId="clock-panel">
      <div className="clock-big">
        <span className="mono" data-testid="clock-panel-now">
          {time(now)}
        </span>{' '}
        <Badge value={frozen ? 'frozen' : 'running'} tone={frozen ? 'warn' : 'ok'} testId="clock-state" />
      </div>
      <div className="button-row">
        <button onClick={() => void call('/clock/freeze')} disabled={frozen} data-testid="clock-freeze">
          Freeze
        </button>
        <button onClick={() => void call('/clock/resume')} disabled={!frozen} data-testid="clock-resume">
          Resume
        </button>
        <button onClick={() => void call('/clock/real')}>Real time</button>
      </div>
      <div className="button-row">
        {['1m', '15m', '1h', '1d'].map((d) => (
          <button key={d} onClick={() => void call('/clock/advance', { duration: d })} data-testid={`clock-advance-${d}`}>
            +{d}
          </button>
        ))}
        <input className="narrow" value={amount} onChange={(e) => setAmount(e.target.value)} aria-label="advance by" data-testid="clock-amount" />
        <button onClick={() => void call('/clock/advance', { duration: amount })} data-testid="clock-advance">
          Advance
        </button>
      </div>
      <div className="muted small">Token expiry, task timestamps, retention, delayed jobs and consolidation rounds all follow this clock.</div>
      <ErrorNote error={error} />
    </Panel>
  );
}

function Snapshots() {
  const { domainStamp } = useLive();
  const list = useFetch<{ snapshots: Snapshot[] }>('/snapshots', domainStamp);
  const [name, setName] = useState('baseline');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, run] = useAction();
  const [done, setDone] = useState<string | null>(null);
  const act = async (label: string, fn: () => Promise<unknown>) => {
    setBusy(label);
    setDone(null);
    if (await run(fn)) setDone(`${label} done`);
    setBusy(null);
    list.reload();
  };
  return (
    <Panel title="Snapshots" testId="snapshots-panel">
      <form
        className="button-row"
        onSubmit={(e) => {
          e.preventDefault();
          void act('save', () => api('/snapshots', { method: 'POST', body: { name, replace: true } }));
        }}
      >
        <input value={name} onChange={(e) => setName(e.target.value)} aria-label="snapshot name" data-testid="snapshot-name" />
        <button type="submit" className="primary" disabled={!!busy} data-testid="snapshot-save">
          Save snapshot
        </button>
      </form>
      <ErrorNote error={error ?? list.error} />
      <table className="table compact" data-testid="snapshot-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Saved (UTC)</th>
            <th className="num">Rows</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(list.data?.snapshots ?? []).map((s) => (
            <tr key={s.name} data-testid="snapshot-row" data-name={s.name}>
              <td className="strong">{s.name}</td>
              <td className="mono nowrap">{time(s.createdAt)}</td>
              <td className="num">{s.rows.toLocaleString('en')}</td>
              <td className="num">
                <button className="link" disabled={!!busy} data-testid="snapshot-restore" onClick={() => void act('restore', () => api(`/snapshots/${encodeURIComponent(s.name)}/restore`, { method: 'POST' }))}>
                  Restore
                </button>{' '}
                <button className="link danger" disabled={!!busy} onClick={() => void act('delete', () => api(`/snapshots/${encodeURIComponent(s.name)}`, { method: 'DELETE' }))}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
          {list.data?.snapshots.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                No snapshots yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {busy && <div className="muted small">{busy}…</div>}
      {done && !busy && (
        <div className="note ok" data-testid="snapshot-done">
          {done}
        </div>
      )}
    </Panel>
  );
}

function ResetSeed() {
  const [fixture, setFixture] = useState('demo');
  const [result, setResult] = useState<string | null>(null);
  const [error, run] = useAction();
  const reset = () =>
    run(async () => {
      const body = await api<{ loaded: Record<string, number> | null }>('/reset', { method: 'POST', body: { fixture } });
      setResult(body.loaded ? `Loaded ${fixture}: ${Object.entries(body.loaded).map(([k, n]) => `${n} ${k}`).join(', ')}` : 'Emptied the domain.');
    });
  return (
    <Panel title="Reset and seed" testId="reset-panel">
      <div className="button-row">
        <select value={fixture} onChange={(e) => setFixture(e.target.value)} aria-label="fixture">
          <option value="demo">demo fixture</option>
          <option value="large">large fixture (1,000 hosts, 50,000 VMs)</option>
          <option value="empty">empty</option>
        </select>
        <button
          className="danger"
          onClick={() => {
            if (window.confirm(`Replace the whole domain with "${fixture}"? Fault rules are removed and jobs return to normal execution.`)) void reset();
          }}
          data-testid="reset"
        >
          Reset
        </button>
      </div>
      <div className="muted small">Reset empties every table (jobs included), removes fault rules, then loads the fixture with its fixed seed: names and ids are identical on every run.</div>
      {result && <div className="note ok">{result}</div>}
      <ErrorNote error={error} />
    </Panel>
  );
}

function JournalSettings() {
  // Re-read as entries arrive on the live stream, so the count stays current.
  const [arrivals, setArrivals] = useState(0);
  useJournalStream(useCallback(() => setArrivals((n) => n + 1), []));
  const journal = useFetch<{ size: number; count: number; captureBodies: boolean }>('/journal?limit=1', arrivals);
  const [error, run] = useAction();
  const capture = journal.data?.captureBodies ?? false;
  return (
    <Panel title="Request journal">
      <div className="button-row">
        <span>
          {journal.data ? `${journal.data.count.toLocaleString('en')} of ${journal.data.size.toLocaleString('en')} entries kept` : '…'}
        </span>
        <label className="check">
          <input type="checkbox" checked={capture} onChange={() => void run(() => api('/journal/settings', { method: 'PUT', body: { captureBodies: !capture } })).then(journal.reload)} /> capture request bodies (secrets redacted)
        </label>
      </div>
      <ErrorNote error={error} />
    </Panel>
  );
}

export function ControlsView() {
  return (
    <div className="view controls" data-testid="view-controls">
      <Faults />
      <div className="controls-grid">
        <Clock />
        <Snapshots />
        <ResetSeed />
        <JournalSettings />
      </div>
    </div>
  );
}
