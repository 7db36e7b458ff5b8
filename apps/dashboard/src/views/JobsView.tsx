import { useState } from 'react';
import { api } from '../api';
import { Badge, ErrorNote, KeyValues, Panel } from '../components/ui';
import { Column, VirtualTable } from '../components/VirtualTable';
import { usePagedRows } from '../components/paged';
import { useFetch } from '../components/useFetch';
import { span, time } from '../format';
import { setMode, useLive } from '../live';
import { ExecutionMode, Job, JobState } from '../types';

const STATES: (JobState | 'all')[] = ['all', 'queued', 'running', 'succeeded', 'failed', 'cancelled'];
const TERMINAL: JobState[] = ['succeeded', 'failed', 'cancelled'];

function Progress({ job }: { job: Job }) {
  const done = job.steps.filter((s) => s.state === 'succeeded').length;
  const total = job.steps.length;
  const width = total ? (done / total) * 100 : job.state === 'succeeded' ? 100 : 0;
  return (
    <div className="progress" title={`${done} of ${total} steps`}>
      <div className="progress-track">
        <div className={`progress-fill ${job.state}`} style={{ width: `${width}%` }} />
      </div>
      <span className="progress-text" data-testid="job-progress">
        {done}/{total}
      </span>
    </div>
  );
}

const columns: Column<Job>[] = [
  { header: '#', width: '48px', align: 'right', render: (j) => <span className="muted">{j.seq}</span> },
  { header: 'Kind', width: 'minmax(120px, 1fr)', render: (j) => <span className="strong">{j.kind}</span> },
  { header: 'From', width: '84px', render: (j) => j.origin },
  { header: 'State', width: '92px', render: (j) => <Badge value={j.state} testId={`job-state-${j.id}`} /> },
  { header: 'Steps', width: '130px', render: (j) => <Progress job={j} /> },
  { header: 'Created', width: '112px', render: (j) => <span className="mono">{time(j.createdAt).slice(5)}</span> },
  { header: 'Took', width: '64px', align: 'right', render: (j) => span(j.startedAt, j.finishedAt) },
];

function ModeSwitch() {
  const { mode } = useLive();
  const [error, setError] = useState<string | null>(null);
  const choose = async (next: ExecutionMode) => {
    try {
      const body = await api<{ mode: ExecutionMode }>('/jobs/execution', { method: 'PUT', body: { mode: next } });
      setMode(body.mode);
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <div className="mode-switch" data-testid="mode-switch">
      <span className="muted">Execution</span>
      <div className="segmented">
        {(['normal', 'paused', 'manual'] as ExecutionMode[]).map((m) => (
          <button key={m} className={mode === m ? 'active' : ''} onClick={() => void choose(m)} data-testid={`mode-${m}`}>
            {m}
          </button>
        ))}
      </div>
      <ErrorNote error={error} />
    </div>
  );
}

function JobDetail({ id, stamp }: { id: string; stamp: string }) {
  const { mode } = useLive();
  const job = useFetch<Job>(`/jobs/${id}`, stamp);
  const [message, setMessage] = useState('failed from the dashboard');
  const [error, setError] = useState<string | null>(null);
  const act = async (path: string, body?: unknown) => {
    try {
      await api(path, { method: 'POST', body });
      setError(null);
      job.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const j = job.data;
  if (!j) return <Panel title="Job">{job.error ? <ErrorNote error={job.error} /> : <div className="muted">Loading…</div>}</Panel>;
  const open = !TERMINAL.includes(j.state);
  return (
    <div className="detail" data-testid="job-detail">
      <Panel
        title={
          <>
            <span data-testid="job-detail-kind">{j.kind}</span> <Badge value={j.state} testId="job-detail-state" />
          </>
        }
        actions={
          <>
            <button onClick={() => void act(`/jobs/${j.id}/step`, { steps: 1 })} disabled={!open || mode !== 'manual'} title={mode === 'manual' ? 'Let the job run one more step' : 'Steps are granted in manual mode'} data-testid="job-step">
              Step
            </button>
            <button onClick={() => void act(`/jobs/${j.id}/cancel`)} disabled={!open} data-testid="job-cancel">
              Cancel
            </button>
            <input className="inline" value={message} onChange={(e) => setMessage(e.target.value)} aria-label="failure message" />
            <button className="danger" onClick={() => void act(`/jobs/${j.id}/fail`, { message })} disabled={!open} data-testid="job-fail">
              Fail
            </button>
          </>
        }
      >
        <ErrorNote error={error} />
        {j.errorMessage && (
          <div className="note error">
            <strong>{j.errorCode}</strong> {j.errorMessage}
          </div>
        )}
        <KeyValues single rows={[['Id', <code key="id">{j.id}</code>]]} />
        <KeyValues
          rows={[
            ['From', j.origin],
            ['Created', time(j.createdAt)],
            ['Started', time(j.startedAt)],
            ['Finished', time(j.finishedAt)],
            ['Attempts', j.attempts],
          ]}
        />
      </Panel>
      <Panel title={`Steps (${j.steps.length})`}>
        <table className="table compact" data-testid="job-steps">
          <thead>
            <tr>
              <th>#</th>
              <th>Step</th>
              <th>State</th>
              <th className="num">Planned</th>
              <th>Started</th>
              <th className="num">Took</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {j.steps.map((s) => (
              <tr key={s.index}>
                <td className="muted">{s.index + 1}</td>
                <td>{s.name}</td>
                <td>
                  <Badge value={s.state} />
                </td>
                <td className="num">{s.seconds} s</td>
                <td className="mono">{time(s.startedAt)}</td>
                <td className="num">{span(s.startedAt, s.finishedAt)}</td>
                <td className="error-text">{s.error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      <Panel title={`Affected objects (${j.affected.length})`}>
        {j.affected.length === 0 ? (
          <div className="muted">None recorded.</div>
        ) : (
          <ul className="plain">
            {j.affected.map((a) => (
              <li key={`${a.kind}:${a.id}`}>
                <span className="muted">{a.kind}</span> <code>{a.id}</code>
              </li>
            ))}
          </ul>
        )}
      </Panel>
      <Panel title="Input and result">
        <pre className="json">{JSON.stringify({ input: j.input, result: j.result }, null, 2)}</pre>
      </Panel>
    </div>
  );
}

export function JobsView() {
  const { jobsStamp } = useLive();
  const [state, setState] = useState<JobState | 'all'>('all');
  const [selected, setSelected] = useState<string | null>(null);
  const jobs = usePagedRows<Job>('/jobs', { state: state === 'all' ? undefined : state }, jobsStamp, 100, 'jobs');
  return (
    <div className="view jobs" data-testid="view-jobs">
      <div className="toolbar">
        <ModeSwitch />
        <div className="chips">
          {STATES.map((s) => (
            <button key={s} className={`chip${state === s ? ' active' : ''}`} onClick={() => setState(s)}>
              {s}
            </button>
          ))}
        </div>
      </div>
      <div className="split">
        <Panel title={`Jobs (${jobs.total ?? '…'})`} className="list-panel">
          <VirtualTable rows={jobs} columns={columns} rowKey={(j) => j.id} selected={selected} onSelect={(j) => setSelected(j.id)} height="calc(100vh - 230px)" empty="No jobs yet: start one through any vendor API." testId="job-table" />
        </Panel>
        <div className="detail-column">{selected ? <JobDetail id={selected} stamp={jobsStamp} /> : <Panel title="Job"><div className="muted">Select a job to see its steps, timings, error and affected objects.</div></Panel>}</div>
      </div>
    </div>
  );
}
