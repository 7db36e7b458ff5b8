import { Router } from 'express';
import { CoreError, DeviceState, HostState, PowerState, Services } from '@rosetta/core';

const HOST_STATES: HostState[] = ['up', 'down', 'maintenance'];
const POWER_STATES: PowerState[] = ['on', 'off'];
const DEVICE_STATES: DeviceState[] = ['online', 'offline', 'failed'];

function pick<T extends string>(body: unknown, key: string, allowed: T[], required: boolean): T | undefined {
  const value = (body && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined) as T | undefined;
  if (value === undefined && !required) return undefined;
  if (!allowed.includes(value as T)) {
    throw new CoreError('VALIDATION', `${key} must be one of ${allowed.join(', ')}`, { fields: [{ field: key, problem: `must be one of ${allowed.join(', ')}` }] });
  }
  return value;
}

/**
 * Domain faults: change the state of a host or a device as hardware would, through the core,
 * so every dialect reports it in its own words (Heketi node failed, Nova service down, IML alert,
 * Eco4Cloud host powered off, OmniStack host state), or report a datastore full (no free space,
 * growth into it fails with CAPACITY) while its real usage is kept for when the fault clears.
 */
export function domainFaultRoutes(r: Router, services: Services): void {
  r.post('/domain-faults/hosts/:id', async (req, res) => {
    const state = pick(req.body, 'state', HOST_STATES, false);
    const power = pick(req.body, 'power', POWER_STATES, false);
    if (!state && !power) throw new CoreError('VALIDATION', 'give state and/or power', { fields: [{ field: 'state', problem: 'is required' }] });
    res.json(await services.hosts.update(req.params.id as string, { state, power }));
  });
  r.post('/domain-faults/devices/:id', async (req, res) => {
    const state = pick(req.body, 'state', DEVICE_STATES, true);
    res.json(await services.devices.update(req.params.id as string, { state }));
  });
  r.post('/domain-faults/datastores/:id', async (req, res) => {
    const full = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>).full : undefined;
    if (typeof full !== 'boolean') throw new CoreError('VALIDATION', 'full must be true or false', { fields: [{ field: 'full', problem: 'must be a boolean' }] });
    res.json(await services.datastores.update(req.params.id as string, { full }));
  });
}
