import { Router } from 'express';
import { caller, ComputeContext, requireAdmin } from '../context';
import { DEFAULT_ZONE, naiveTime, serviceState, serviceStatus } from '../render';

/** Zones as Nova derives them: from the zones of compute services, available when one is enabled. */
export function availabilityZoneRoutes(router: Router, ctx: ComputeContext): void {
  const { services } = ctx;

  const grouped = async () => {
    const [hosts, zones] = await Promise.all([services.hosts.list({ order: [{ field: 'name', direction: 'asc' }] }), services.zones.hostZones()]);
    const byZone = new Map<string, typeof hosts>();
    for (const h of hosts) {
      const zone = zones.get(h.id) ?? DEFAULT_ZONE;
      byZone.set(zone, [...(byZone.get(zone) ?? []), h]);
    }
    return [...byZone.entries()].sort(([a], [b]) => a.localeCompare(b));
  };

  router.get('/os-availability-zone', async (req, res) => {
    caller(req);
    const zones = await grouped();
    res.json({
      availabilityZoneInfo: zones.map(([zoneName, hosts]) => ({
        zoneName,
        zoneState: { available: hosts.some((h) => serviceStatus(h) === 'enabled') },
        hosts: null,
      })),
    });
  });

  router.get('/os-availability-zone/detail', async (req, res) => {
    requireAdmin(req, 'os_compute_api:os-availability-zone:detail');
    const zones = await grouped();
    res.json({
      availabilityZoneInfo: zones.map(([zoneName, hosts]) => ({
        zoneName,
        zoneState: { available: hosts.some((h) => serviceStatus(h) === 'enabled') },
        hosts: Object.fromEntries(
          hosts.map((h) => [
            h.name,
            { 'nova-compute': { available: serviceState(h) === 'up', active: serviceStatus(h) === 'enabled', updated_at: naiveTime(h.updatedAt) } },
          ]),
        ),
      })),
    });
  });
}
