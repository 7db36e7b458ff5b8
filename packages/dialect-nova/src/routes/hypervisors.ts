import { Request, Router } from 'express';
import { Host, HostUsage, Services } from '@rosetta/core';
import { StampedCache, intParam, stringParams } from '@rosetta/http';
import { ComputeContext, computeBase, requireAdmin, sendStampedJson } from '../context';
import { novaFault } from '../errors';
import { atLeast } from '../microversion';
import { HostFacts, renderHypervisorDetail, renderHypervisorSummary, uptimeText } from '../render';

const RULE = 'os_compute_api:os-hypervisors';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GIB = 1024 ** 3;

type FactsOf = (hostId: string) => HostFacts;

/** Usage and local disk of the given hosts (or of every host): two grouped queries whatever their number. */
async function factsFor(services: Services, hosts: Host[], everyHost = false): Promise<FactsOf> {
  const ids = hosts.map((h) => h.id);
  if (!ids.length && !everyHost) return () => ({ localGb: 0 });
  const [usage, disk] = await Promise.all([services.placement.usage(everyHost ? undefined : ids), services.placement.localDisk(everyHost ? undefined : ids)]);
  return (id) => ({ usage: usage.get(id) as HostUsage | undefined, localGb: Math.floor((disk.get(id) ?? 0) / GIB) });
}

/** limit/marker (2.33) and hypervisor_hostname_pattern (2.53) on list and detail. */
async function listed(req: Request, services: Services): Promise<{ hosts: Host[]; next?: string; everyHost: boolean }> {
  const [pattern] = atLeast(req, 53) ? stringParams(req.query.hypervisor_hostname_pattern, 'hypervisor_hostname_pattern') : [];
  const all = await services.hosts.list({
    filter: pattern !== undefined ? { field: 'name', op: 'contains', value: pattern } : undefined,
    order: [{ field: 'seq', direction: 'asc' }],
  });
  if (pattern !== undefined && all.length === 0) throw novaFault('NOT_FOUND', `No hypervisor matching '${pattern}' could be found.`);
  if (!atLeast(req, 33)) return { hosts: all, everyHost: pattern === undefined };
  const [marker] = stringParams(req.query.marker, 'marker');
  const limit = intParam(req.query.limit, 'limit', { min: 0 });
  let start = 0;
  if (marker !== undefined) {
    const at = all.findIndex((h) => (atLeast(req, 53) ? h.id === marker : String(h.seq) === marker));
    if (at < 0) throw novaFault('VALIDATION', `marker [${marker}] not found`);
    start = at + 1;
  }
  const hosts = limit === undefined ? all.slice(start) : all.slice(start, start + limit);
  const more = limit !== undefined && start + limit < all.length;
  const next = more ? (atLeast(req, 53) ? hosts[hosts.length - 1]?.id : String(hosts[hosts.length - 1]?.seq)) : undefined;
  return { hosts, next, everyHost: pattern === undefined && hosts.length === all.length };
}

async function byId(req: Request<{ id: string }>, services: Services): Promise<Host> {
  const id = req.params.id;
  if (atLeast(req, 53)) {
    if (!UUID.test(id)) throw novaFault('VALIDATION', `Invalid uuid ${id}`);
    const found = await services.hosts.find(id.toLowerCase());
    if (found) return found;
  } else if (/^\d+$/.test(id)) {
    const found = await services.hosts.findBySeq(Number(id));
    if (found) return found;
  }
  throw novaFault('NOT_FOUND', `Hypervisor with ID '${id}' could not be found.`);
}

/** Servers per host for with_servers (2.53) and /{pattern}/servers: uuid and name, only where there are any. */
async function serversOn(services: Services, hosts: Host[]): Promise<(hostId: string) => Record<string, unknown>> {
  const vms = hosts.length ? await services.vms.list({ filter: { field: 'hostId', op: 'in', value: hosts.map((h) => h.id) }, order: [{ field: 'seq', direction: 'asc' }] }) : [];
  const byHost = new Map<string, { uuid: string; name: string }[]>();
  for (const vm of vms) byHost.set(vm.hostId!, [...(byHost.get(vm.hostId!) ?? []), { uuid: vm.id, name: vm.name }]);
  return (hostId) => (byHost.has(hostId) ? { servers: byHost.get(hostId) } : {});
}

const withServers = (req: Request): boolean => atLeast(req, 53) && /^(true|1|yes|on)$/i.test(String(req.query.with_servers ?? ''));

const uptimeOf = (services: Services, h: Host, vms: number): string => uptimeText(services.clock.now(), h.powerChangedAt ?? h.createdAt, vms);

export function hypervisorRoutes(router: Router, ctx: ComputeContext): void {
  const { services } = ctx;
  const inventory = new StampedCache();

  const links = (req: Request, next: string | undefined, path: string): Record<string, unknown> =>
    next === undefined ? {} : { hypervisors_links: [{ rel: 'next', href: `${computeBase(req)}/v2.1${path}?limit=${req.query.limit}&marker=${next}` }] };

  router.get('/os-hypervisors', async (req, res) => {
    requireAdmin(req, `${RULE}:list`);
    const { hosts, next } = await listed(req, services);
    const servers = withServers(req) ? await serversOn(services, hosts) : () => ({});
    res.json({ hypervisors: hosts.map((h) => ({ ...renderHypervisorSummary(h, req.microversion), ...servers(h.id) })), ...links(req, next, '/os-hypervisors') });
  });

  const detail = async (req: Request, whole: boolean): Promise<unknown> => {
    // The whole inventory (no pattern, no page) is read in three parallel scans.
    const [{ hosts, next, everyHost }, preloaded] = await Promise.all([
      listed(req, services),
      whole ? factsFor(services, [], true) : Promise.resolve(undefined),
    ]);
    const facts = preloaded ?? (await factsFor(services, hosts, everyHost));
    const servers = withServers(req) ? await serversOn(services, hosts) : () => ({});
    return {
      hypervisors: hosts.map((h) => ({
        ...renderHypervisorDetail(h, facts(h.id), req.microversion, uptimeOf(services, h, facts(h.id).usage?.vms ?? 0)),
        ...servers(h.id),
      })),
      ...links(req, next, '/os-hypervisors/detail'),
    };
  };

  router.get('/os-hypervisors/detail', async (req, res) => {
    requireAdmin(req, `${RULE}:list-detail`);
    const whole = req.query.hypervisor_hostname_pattern === undefined && req.query.limit === undefined && req.query.marker === undefined;
    if (!whole) return void res.json(await detail(req, false));
    // The unpaged inventory is a function of these tables, the microversion and (2.88 uptime) the clock second.
    const stamp = await services.changes.stamp(['hosts', 'vms', 'devices']);
    const second = atLeast(req, 88) ? Math.floor(services.clock.now().getTime() / 1000) : '';
    await sendStampedJson(res, inventory, `${req.microversion.minor}|${withServers(req)}`, `${stamp}|${second}`, () => detail(req, true));
  });

  // Removed in 2.88: later versions get the plain 404.
  router.get('/os-hypervisors/statistics', async (req, res) => {
    if (atLeast(req, 88)) throw novaFault('NOT_FOUND', 'The resource could not be found.');
    requireAdmin(req, `${RULE}:statistics`);
    const hosts = await services.hosts.list();
    const facts = await factsFor(services, hosts, true);
    const stats = { count: 0, vcpus: 0, memory_mb: 0, local_gb: 0, vcpus_used: 0, memory_mb_used: 0, local_gb_used: 0, free_ram_mb: 0, free_disk_gb: 0, current_workload: 0, running_vms: 0, disk_available_least: 0 };
    for (const h of hosts) {
      const d = renderHypervisorDetail(h, facts(h.id), { major: 2, minor: 1 }) as Record<string, number>;
      stats.count += 1;
      for (const key of Object.keys(stats) as (keyof typeof stats)[]) if (key !== 'count') stats[key] += d[key];
    }
    res.json({ hypervisor_statistics: stats });
  });

  router.get('/os-hypervisors/:id/uptime', async (req, res) => {
    if (atLeast(req, 88)) throw novaFault('NOT_FOUND', 'The resource could not be found.');
    requireAdmin(req, `${RULE}:uptime`);
    const host = await byId(req, services);
    const usage = await services.placement.usage([host.id]);
    res.json({ hypervisor: { ...renderHypervisorSummary(host, req.microversion), uptime: uptimeOf(services, host, usage.get(host.id)?.vms ?? 0) } });
  });

  router.get('/os-hypervisors/:pattern/search', async (req, res, next) => {
    if (atLeast(req, 53)) return next();
    requireAdmin(req, `${RULE}:search`);
    const hosts = await services.hosts.list({ filter: { field: 'name', op: 'contains', value: req.params.pattern }, order: [{ field: 'seq', direction: 'asc' }] });
    if (!hosts.length) throw novaFault('NOT_FOUND', `No hypervisor matching '${req.params.pattern}' could be found.`);
    res.json({ hypervisors: hosts.map((h) => renderHypervisorSummary(h, req.microversion)) });
  });

  router.get('/os-hypervisors/:pattern/servers', async (req, res, next) => {
    if (atLeast(req, 53)) return next();
    requireAdmin(req, `${RULE}:servers`);
    const hosts = await services.hosts.list({ filter: { field: 'name', op: 'contains', value: req.params.pattern }, order: [{ field: 'seq', direction: 'asc' }] });
    if (!hosts.length) throw novaFault('NOT_FOUND', `No hypervisor matching '${req.params.pattern}' could be found.`);
    const servers = await serversOn(services, hosts);
    res.json({ hypervisors: hosts.map((h) => ({ ...renderHypervisorSummary(h, req.microversion), ...servers(h.id) })) });
  });

  router.get('/os-hypervisors/:id', async (req, res) => {
    requireAdmin(req, `${RULE}:show`);
    const host = await byId(req, services);
    const facts = await factsFor(services, [host]);
    res.json({ hypervisor: renderHypervisorDetail(host, facts(host.id), req.microversion, uptimeOf(services, host, facts(host.id).usage?.vms ?? 0)) });
  });
}
