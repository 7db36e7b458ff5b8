import { Router } from 'express';
import { ComputeContext, caller, computeBase } from '../context';

/**
 * Just enough of Neutron for `openstack availability zone list` (served under <compute>/network).
 * The domain has no network model: Neutron's single default zone is what a plain install shows.
 */
export function networkRoutes(router: Router, _ctx: ComputeContext): void {
  router.get('/', (req, res) => {
    res.json({ versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ rel: 'self', href: `${computeBase(req)}/network/v2.0/` }] }] });
  });

  router.get('/v2.0/availability_zones', async (req, res) => {
    caller(req);
    res.json({
      availability_zones: [
        { name: 'nova', resource: 'network', state: 'available' },
        { name: 'nova', resource: 'router', state: 'available' },
      ],
    });
  });

  router.get('/v2.0/extensions', async (req, res) => {
    caller(req);
    res.json({ extensions: [{ alias: 'availability_zone', name: 'Availability Zone', description: 'The availability zone extension.', links: [], updated: '2015-01-01T10:00:00-00:00' }] });
  });
}
