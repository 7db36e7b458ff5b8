import { useMemo, useState } from 'react';
import { query } from '../api';
import { Badge, CapacityBar, Dot, ErrorNote, KeyValues, Panel, Stat } from '../components/ui';
import { Column, VirtualTable } from '../components/VirtualTable';
import { usePagedRows } from '../components/paged';
import { useFetch } from '../components/useFetch';
import { bytes, hexId, mb } from '../format';
import { useLive } from '../live';
import { Brick, Cluster, Device, Host, Page, Site, Target, Vm } from '../types';

type Scope = { kind: 'all' } | { kind: 'site'; id: string; name: string } | { kind: 'cluster'; id: string; name: string } | { kind: 'unclustered'; siteId: string; name: string };

const total = (p: Page<unknown> | undefined): string => (p ? p.total.toLocaleString('en') : '…');

/** Counts at a glance, each a one-row page read for its total. */
function Summary({ stamp }: { stamp: string }) {
  const sites = useFetch<Page<Site>>('/objects/sites?limit=1', stamp);
  const clusters = useFetch<Page<Cluster>>('/objects/clusters?limit=1', stamp);
  const hosts = useFetch<Page<Host>>('/objects/hosts?limit=1', stamp);
  const down = useFetch<Page<Host>>('/objects/hosts?limit=1&state=down', stamp);
  const maint = useFetch<Page<Host>>('/objects/hosts?limit=1&state=maintenance', stamp);
  const off = useFetch<Page<Host>>('/objects/hosts?limit=1&power=off', stamp);
  const vms = useFetch<Page<Vm>>('/objects/vms?limit=1', stamp);
  const devices = useFetch<Page<Device>>('/objects/devices?limit=1', stamp);
  return (
    <div className="stats" data-testid="topology-summary">
      <Stat label="sites" value={total(sites.data)} testId="count-sites" />
      <Stat label="clusters" value={total(clusters.data)} />
      <Stat label="hosts" value={total(hosts.data)} testId="count-hosts" />
      <Stat label="hosts down" value={total(down.data)} tone={down.data?.total ? 'bad' : undefined} />
      <Stat label="in maintenance" value={total(maint.data)} tone={maint.data?.total ? 'warn' : undefined} />
      <Stat label="powered off" value={total(off.data)} />
      <Stat label="VMs" value={total(vms.data)} testId="count-vms" />
      <Stat label="devices" value={total(devices.data)} />
    </div>
  );
}

function ScopeTree({ scope, onScope, stamp }: { scope: Scope; onScope(s: Scope): void; stamp: string }) {
  const sites = useFetch<Page<Site>>('/objects/sites?limit=1000', stamp);
  const clusters = useFetch<Page<Cluster>>('/objects/clusters?limit=1000', stamp);
  const bySite = useMemo(() => {
    const map = new Map<string, Cluster[]>();
    for (const c of clusters.data?.items ?? []) map.set(c.siteId, [...(map.get(c.siteId) ?? []), c]);
    return map;
  }, [clusters.data]);
  const is = (kind: Scope['kind'], id?: string) => scope.kind === kind && (id === undefined || ('id' in scope ? scope.id === id : 'siteId' in scope && scope.siteId === id));
  return (
    <nav className="tree" data-testid="scope-tree">
      <button className={`tree-item${is('all') ? ' active' : ''}`} onClick={() => onScope({ kind: 'all' })}>
        All hosts
      </button>
      {(sites.data?.items ?? []).map((site) => (
        <div key={site.id} className="tree-group">
          <button className={`tree-item site${is('site', site.id) ? ' active' : ''}`} onClick={() => onScope({ kind: 'site', id: site.id, name: site.name })}>
            <span className="tree-icon">▾</span> {site.name}
          </button>
          {(bySite.get(site.id) ?? []).map((c) => (
            <button key={c.id} className={`tree-item cluster${is('cluster', c.id) ? ' active' : ''}`} onClick={() => onScope({ kind: 'cluster', id: c.id, name: c.name })}>
              {c.name}
            </button>
          ))}
          <button className={`tree-item cluster muted${is('unclustered', site.id) ? ' active' : ''}`} onClick={() => onScope({ kind: 'unclustered', siteId: site.id, name: `${site.name}: no cluster` })}>
            (no cluster)
          </button>
        </div>
      ))}
      <ErrorNote error={sites.error ?? clusters.error} />
    </nav>
  );
}

const hostColumns: Column<Host>[] = [
  { header: '', width: '18px', render: (h) => <Dot value={h.state} /> },
  { header: 'Host', width: 'minmax(110px, 1fr)', render: (h) => <span className="strong">{h.name}</span> },
  { header: 'State', width: '100px', render: (h) => <Badge value={h.state} /> },
  { header: 'Power', width: '56px', render: (h) => <Badge value={h.power} /> },
  { header: 'CPU', width: '72px', align: 'right', render: (h) => `${h.cpuCores} cores` },
  { header: 'Memory', width: '76px', align: 'right', render: (h) => mb(h.memoryMb) },
];

const vmColumns: Column<Vm>[] = [
  { header: 'VM', width: 'minmax(120px, 1.5fr)', render: (v) => v.name },
  { header: 'State', width: '96px', render: (v) => <Badge value={v.state} /> },
  { header: 'vCPU', width: '50px', align: 'right', render: (v) => v.cpuCount },
  { header: 'Memory', width: '70px', align: 'right', render: (v) => mb(v.memoryMb) },
  { header: 'Disk', width: '70px', align: 'right', render: (v) => bytes(v.diskBytes) },
  { header: 'CPU %', width: '52px', align: 'right', render: (v) => v.cpuUsagePct.toFixed(0) },
];

function HostDetail({ hostId, stamp }: { hostId: string; stamp: string }) {
  const host = useFetch<Host>(`/objects/hosts/${hostId}`, stamp);
  const devices = useFetch<Page<Device>>(`/objects/devices${query({ hostId, limit: 200 })}`, stamp);
  const bricks = useFetch<Page<Brick>>(`/objects/bricks${query({ hostId, limit: 200 })}`, stamp);
  const targets = useFetch<Page<Target>>(`/objects/targets${query({ hostId, limit: 200 })}`, stamp);
  const vms = usePagedRows<Vm>('/objects/vms', { hostId }, stamp);
  const h = host.data;
  if (!h) return <Panel title="Host">{host.error ? <ErrorNote error={host.error} /> : <div className="muted">Loading…</div>}</Panel>;
  return (
    <div className="detail" data-testid="host-detail">
      <Panel
        title={
          <>
            <span data-testid="host-name">{h.name}</span> <Badge value={h.state} testId="host-state" /> <Badge value={`power ${h.power}`} tone={h.power === 'on' ? 'ok' : 'muted'} />
          </>
        }
      >
        {h.stateReason && <div className="note warn">{h.stateReason}</div>}
        <KeyValues
          single
          rows={[
            ['UUID', <code key="u">{h.id}</code>],
            ['Heketi id', <code key="h">{hexId(h.id)}</code>],
            ['Lustre / Nova id', <code key="s">{h.seq}</code>],
          ]}
        />
        <KeyValues
          rows={[
            ['CPU', `${h.cpuCores} cores × ${h.cpuMhz} MHz`],
            ['Memory', mb(h.memoryMb)],
            ['Power draw', `${h.powerIdleWatts}–${h.powerMaxWatts} W`],
            ['Zone', h.zone],
            ['Management', h.managementAddress ?? '-'],
            ['Storage', h.storageAddress ?? '-'],
            ['Model', h.model ?? '-'],
          ]}
        />
      </Panel>
      <Panel title={`Devices (${devices.data?.total ?? '…'})`}>
        {(devices.data?.items ?? []).length === 0 && <div className="muted">No devices.</div>}
        <div className="devices">
          {(devices.data?.items ?? []).map((d) => (
            <div key={d.id} className="device" data-testid="device">
              <div className="device-name">
                <Dot value={d.state} /> <span className="strong">{d.name}</span> <span className="muted">{d.kind} · {bytes(d.sizeBytes)}</span>
                {d.state !== 'online' && <Badge value={d.state} />}
              </div>
              <CapacityBar used={d.usedBytes} size={d.sizeBytes} />
            </div>
          ))}
        </div>
      </Panel>
      <Panel title={`VMs (${vms.total ?? '…'})`}>
        <VirtualTable rows={vms} columns={vmColumns} rowKey={(v) => v.id} height={Math.min(260, Math.max(60, (vms.total ?? 1) * 30))} empty="No VMs on this host." testId="vm-table" />
      </Panel>
      {(bricks.data?.total ?? 0) > 0 && (
        <Panel title={`Bricks (${bricks.data?.total})`}>
          <table className="table compact fixed" data-testid="brick-table">
            <thead>
              <tr>
                <th>Path</th>
                <th style={{ width: 130 }}>Volume</th>
                <th className="num" style={{ width: 80 }}>
                  Size
                </th>
              </tr>
            </thead>
            <tbody>
              {bricks.data?.items.map((b) => (
                <tr key={b.id}>
                  <td className="ellipsis" title={b.path}>
                    <code>{b.path}</code>
                  </td>
                  <td>
                    <code>{hexId(b.volumeId).slice(0, 12)}</code>
                  </td>
                  <td className="num">{bytes(b.sizeBytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      )}
      {(targets.data?.total ?? 0) > 0 && (
        <Panel title={`Lustre targets (${targets.data?.total})`}>
          <table className="table compact" data-testid="target-table">
            <thead>
              <tr>
                <th>Target</th>
                <th>Kind</th>
                <th>State</th>
              </tr>
            </thead>
            <tbody>
              {targets.data?.items.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>{t.kind}</td>
                  <td>
                    <Badge value={t.state} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      )}
    </div>
  );
}

/** Objects other than hosts that the search finds, each leading to its host. */
function Elsewhere({ q, stamp, onHost }: { q: string; stamp: string; onHost(id: string): void }) {
  const path = (kind: string) => (q ? `/objects/${kind}${query({ q, limit: 5 })}` : null);
  const vms = useFetch<Page<Vm>>(path('vms'), stamp);
  const devices = useFetch<Page<Device>>(path('devices'), stamp);
  const targets = useFetch<Page<Target>>(path('targets'), stamp);
  const hits = [
    ...(vms.data?.items ?? []).map((v) => ({ id: v.id, label: `VM ${v.name}`, hostId: v.hostId })),
    ...(devices.data?.items ?? []).map((d) => ({ id: d.id, label: `device ${d.name}`, hostId: d.hostId })),
    ...(targets.data?.items ?? []).map((t) => ({ id: t.id, label: `target ${t.name}`, hostId: t.hostId })),
  ];
  if (!q || !hits.length) return null;
  return (
    <div className="elsewhere" data-testid="search-elsewhere">
      <span className="muted">Also matching:</span>
      {hits.map((h) => (
        <button key={h.id} className="chip" disabled={!h.hostId} onClick={() => h.hostId && onHost(h.hostId)}>
          {h.label}
        </button>
      ))}
    </div>
  );
}

export function TopologyView() {
  const { domainStamp } = useLive();
  const [scope, setScope] = useState<Scope>({ kind: 'all' });
  const [search, setSearch] = useState('');
  const [hostId, setHostId] = useState<string | null>(null);
  const q = search.trim();
  const params =
    scope.kind === 'site' ? { siteId: scope.id } : scope.kind === 'cluster' ? { clusterId: scope.id } : scope.kind === 'unclustered' ? { siteId: scope.siteId, clusterId: 'null' } : {};
  const hosts = usePagedRows<Host>('/objects/hosts', { ...params, q: q || undefined }, domainStamp);

  return (
    <div className="view topology" data-testid="view-topology">
      <Summary stamp={domainStamp} />
      <div className="topology-grid">
        <Panel title="Sites and clusters" className="tree-panel">
          <ScopeTree scope={scope} onScope={setScope} stamp={domainStamp} />
        </Panel>
        <Panel title={scope.kind === 'all' ? 'Hosts' : `Hosts · ${scope.name}`} className="hosts-panel">
          <input className="search" type="search" placeholder="Search by name or id (UUID, Heketi hex, Lustre/Nova number)" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="topology-search" />
          <Elsewhere q={q} stamp={domainStamp} onHost={setHostId} />
          <VirtualTable rows={hosts} columns={hostColumns} rowKey={(h) => h.id} selected={hostId} onSelect={(h) => setHostId(h.id)} height="calc(100vh - 330px)" empty="No host matches." testId="host-table" />
        </Panel>
        <div className="detail-column">{hostId ? <HostDetail hostId={hostId} stamp={domainStamp} /> : <Panel title="Host"><div className="muted">Select a host to see its VMs, devices, bricks and targets.</div></Panel>}</div>
      </div>
    </div>
  );
}
