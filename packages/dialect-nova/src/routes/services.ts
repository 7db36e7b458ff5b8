import { Request, Router } from 'express';
import { CoreError, Host, HostPatch, Services } from '@rosetta/core';
import { stringParams } from '@rosetta/http';
import { ComputeContext, jsonBody, requireAdmin } from '../context';
import { novaFault } from '../errors';
import { atLeast } from '../microversion';
import { checked, parseServiceUpdate } from '../parse';
import { DEFAULT_ZONE, renderService, serviceUuid } from '../render';
import { SCHEMAS } from '../schema';

const RULE = 'os_compute_api:os-services';
const BINARY = 'nova-compute';
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Disabling a compute service puts its host in maintenance; forcing it down marks the host down. */
function statePatch(host: Host, update: { status?: 'enabled' | 'disabled'; disabledReason?: string | null; forcedDown?: boolean }): HostPatch {
  const patch: HostPatch = {};
  if (update.status === 'disabled') {
    patch.state = 'maintenance';
    patch.stateReason = update.disabledReason ?? null;
  } else if (update.status === 'enabled' && host.state === 'maintenance') {
    patch.state = 'up';
    patch.stateReason = null;
  }
  if (update.forcedDown === true) patch.state = 'down';
  else if (update.forcedDown === false && host.state === 'down') patch.state = patch.state ?? 'up';
  return patch;
}

async function computeHost(services: Services, host: string, binary: string): Promise<Host> {
  const [found] = binary === BINARY ? await services.hosts.list({ filter: { field: 'name', op: 'eq', value: host }, limit: 1 }) : [];
  if (!found) throw novaFault('NOT_FOUND', `Compute host ${host} with binary ${binary} could not be found.`, 'nova');
  return found;
}

export function serviceRoutes(router: Router, ctx: ComputeContext): void {
  const { services } = ctx;
  const zoneOf = async (): Promise<(h: Host) => string> => {
    const zones = await services.zones.hostZones();
    return (h) => zones.get(h.id) ?? DEFAULT_ZONE;
  };

  router.get('/os-services', async (req, res) => {
    requireAdmin(req, `${RULE}:list`);
    const [binary] = stringParams(req.query.binary, 'binary');
    const [host] = stringParams(req.query.host, 'host');
    const hosts = binary !== undefined && binary !== BINARY ? [] : await services.hosts.list({
      filter: host !== undefined ? { field: 'name', op: 'eq', value: host } : undefined,
      order: [{ field: 'seq', direction: 'asc' }],
    });
    const zone = await zoneOf();
    res.json({ services: hosts.map((h) => renderService(h, zone(h), req.microversion)) });
  });

  // 2.53 and later: one PUT on the service's uuid.
  router.put('/os-services/:id', async (req: Request<{ id: string }>, res, next) => {
    if (!atLeast(req, 53)) return next();
    const update = parseServiceUpdate(jsonBody(req));
    requireAdmin(req, `${RULE}:update`);
    if (!UUID.test(req.params.id)) throw novaFault('VALIDATION', `Invalid uuid ${req.params.id}`);
    const all = await services.hosts.list();
    const host = all.find((h) => serviceUuid(h) === req.params.id.toLowerCase());
    if (!host) throw novaFault('NOT_FOUND', `Service ${req.params.id} could not be found.`);
    const updated = await services.hosts.update(host.id, statePatch(host, update));
    res.json({ service: renderService(updated, (await zoneOf())(updated), req.microversion) });
  });

  // Before 2.53: enable, disable, disable-log-reason and (from 2.11) force-down by host and binary.
  router.put('/os-services/:action', async (req: Request<{ action: string }>, res) => {
    const action = req.params.action;
    const body = jsonBody(req);
    let update: { status?: 'enabled' | 'disabled'; disabledReason?: string; forcedDown?: boolean };
    let b: { host: string; binary: string; disabled_reason?: string; forced_down?: boolean };
    switch (action) {
      case 'enable':
      case 'disable':
        b = checked(SCHEMAS.serviceHostBinary, body);
        update = { status: action === 'enable' ? 'enabled' : 'disabled' };
        break;
      case 'disable-log-reason':
        b = checked(SCHEMAS.serviceDisableLogReason, body);
        if (b.disabled_reason === undefined) throw novaFault('VALIDATION', 'Missing disabled reason field');
        update = { status: 'disabled', disabledReason: b.disabled_reason };
        break;
      case 'force-down':
        if (!atLeast(req, 11)) throw novaFault('NOT_FOUND', 'The resource could not be found.');
        b = checked(SCHEMAS.serviceForceDown, body);
        update = { forcedDown: b.forced_down };
        break;
      default:
        throw novaFault('NOT_FOUND', 'Unknown action');
    }
    requireAdmin(req, `${RULE}:update`);
    const host = await computeHost(services, b.host, b.binary);
    const updated = await services.hosts.update(host.id, statePatch(host, update));
    const service: Record<string, unknown> = { host: updated.name, binary: BINARY };
    if (action === 'force-down') service.forced_down = updated.state === 'down';
    else service.status = updated.state === 'maintenance' ? 'disabled' : 'enabled';
    if (action === 'disable-log-reason') service.disabled_reason = updated.stateReason ?? null;
    res.json({ service });
  });

  router.delete('/os-services/:id', async (req) => {
    requireAdmin(req, `${RULE}:delete`);
    // Compute services are the domain's hosts: deleting one is done where hosts are managed.
    throw new CoreError('CONFLICT', 'Compute services are removed with their hosts; this gateway does not delete them here.', {
      kind: 'service',
      id: req.params.id,
    });
  });
}
