import { Resource } from './resource';
import { BY_SEQ, allOf, nameIs } from './lookup';
import { renderFarm } from '../render';

export const farm: Resource = {
  filters: ['name'],
  async list(services, filters, paging) {
    const name = filters.get('name');
    const sites = await services.sites.list({ filter: allOf(name === undefined ? [] : [nameIs(name)]), order: BY_SEQ, ...paging });
    const settings = await services.consolidation.farms(sites.map((s) => s.id));
    return sites.map((s) => renderFarm(s, settings.get(s.id)!));
  },
  set: {
    kind: 'site',
    settable: {
      ta: { field: 'ta', type: 'float' },
      th: { field: 'th', type: 'float' },
      consolidation_on: { field: 'consolidationOn', type: 'boolean' },
      power_off_min_uptime: { field: 'powerOffMinUptime', type: 'int' },
      power_on_min_downtime: { field: 'powerOnMinDowntime', type: 'int' },
    },
    readable: ['name', 'description', 'ta', 'th', 'consolidation_on', 'power_off_min_uptime', 'power_on_min_downtime'],
  },
};
