import { useEffect, useState } from 'react';
import { adminToken, onRefused, setAdminToken } from './api';
import { Badge } from './components/ui';
import { time } from './format';
import { restartLive, startLive, useClockNow, useLive } from './live';
import { ConsolidationView } from './views/ConsolidationView';
import { ControlsView } from './views/ControlsView';
import { JobsView } from './views/JobsView';
import { TopologyView } from './views/TopologyView';
import { TrafficView } from './views/TrafficView';

const VIEWS = {
  topology: { label: 'Topology', render: () => <TopologyView /> },
  jobs: { label: 'Jobs', render: () => <JobsView /> },
  traffic: { label: 'Traffic', render: () => <TrafficView /> },
  consolidation: { label: 'Consolidation', render: () => <ConsolidationView /> },
  controls: { label: 'Controls', render: () => <ControlsView /> },
} as const;
type ViewName = keyof typeof VIEWS;

/** Views live in the URL hash (#/jobs), so a link or a reload lands on the same view without server routes. */
function viewFromHash(): ViewName {
  const name = window.location.hash.replace(/^#\/?/, '');
  return name in VIEWS ? (name as ViewName) : 'topology';
}

function TokenPrompt() {
  const [value, setValue] = useState(adminToken());
  return (
    <form
      className="token-bar"
      onSubmit={(e) => {
        e.preventDefault();
        setAdminToken(value.trim());
        restartLive();
        window.location.reload();
      }}
    >
      <span>The control API refused this page: enter the gateway's admin token (ROSETTA_ADMIN_TOKEN).</span>
      <input type="password" value={value} onChange={(e) => setValue(e.target.value)} aria-label="admin token" />
      <button type="submit" className="primary">
        Use token
      </button>
    </form>
  );
}

function StatusBar() {
  const live = useLive();
  const { now, frozen } = useClockNow();
  return (
    <div className="status">
      <span className="status-item" title="virtual clock (UTC)">
        <span className="muted">clock</span>{' '}
        <span className="mono strong" data-testid="clock-now">
          {time(now)}
        </span>
        {frozen && <Badge value="frozen" tone="warn" />}
      </span>
      <span className="status-item">
        <span className="muted">jobs</span> <Badge value={live.mode ?? '…'} testId="mode-badge" />
      </span>
      <span className="status-item" title={live.problem ?? 'server-sent events connected'} data-testid="live-status">
        <span className={`dot ${live.connected ? 'ok live' : 'bad'}`} /> {live.connected ? 'live' : (live.problem ?? 'connecting')}
      </span>
    </div>
  );
}

export function App() {
  const [view, setView] = useState<ViewName>(viewFromHash);
  const [refused, setRefused] = useState(false);
  useEffect(() => {
    startLive();
    const onHash = () => setView(viewFromHash());
    window.addEventListener('hashchange', onHash);
    const off = onRefused(() => setRefused(true));
    return () => {
      window.removeEventListener('hashchange', onHash);
      off();
    };
  }, []);
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="logo">R</span> Rosetta <span className="muted">ops</span>
        </div>
        <nav className="tabs">
          {(Object.keys(VIEWS) as ViewName[]).map((name) => (
            <a key={name} href={`#/${name}`} className={view === name ? 'active' : ''} data-testid={`tab-${name}`}>
              {VIEWS[name].label}
            </a>
          ))}
        </nav>
        <StatusBar />
      </header>
      {refused && <TokenPrompt />}
      <main>{VIEWS[view].render()}</main>
    </div>
  );
}
