import { eq, isCoreError } from '@rosetta/core';
import { HeketiContext, RouteTable, accepted, throttle } from '../context';
import { heketiError } from '../errors';
import { coreId, hexId } from '../ids';
import { DEVICE_NAME, Issues, STATE_REQUEST, TAGS_CHANGE, failValidation, idParam, isHeketiId, readBody, tagProblem } from '../parse';
import { renderDevice } from '../render';
import { sendError, sendJson } from '../reply';
import { GoMap } from '../go-json';
import { stateIssues, tagsIssues } from './shared';

interface DeviceAdd {
  name: string;
  tags?: Record<string, string>;
  node: string;
  destroydata: boolean;
}

const DEVICE_ADD = { struct: { name: 'string', tags: { map: 'string' }, node: 'string', destroydata: 'bool' } } as const;
const GIB = 1024 * 1024 * 1024;

function deviceAddIssues(body: DeviceAdd): Issues {
  const issues: Issues = new Map();
  if (!body.name) issues.set('name', 'cannot be blank');
  else if (!DEVICE_NAME.test(body.name)) issues.set('name', 'must be in a valid format');
  if (!body.node) issues.set('node', 'cannot be blank');
  else if (!isHeketiId(body.node)) issues.set('node', `${body.node} is not a valid UUID`);
  const tags = tagProblem(body.tags);
  if (tags) issues.set('tags', tags);
  return issues;
}

/** Heketi devices are core devices: disks whose space other dialects' targets may already hold. */
export function deviceRoutes(r: RouteTable, ctx: HeketiContext): void {
  const { services } = ctx;

  r.add('POST', '/devices', async (req, res) => {
    const body = readBody<DeviceAdd>(req, DEVICE_ADD);
    failValidation(deviceAddIssues(body));
    const hostId = coreId(body.node);
    const host = hostId && (await services.hosts.find(hostId));
    if (!host || !host.clusterId) throw heketiError(404, 'Node id does not exist');
    // Heketi itself accepts a second device of the same name and LVM refuses it; the shared
    // schema keeps names unique per host, so answer with LVM's refusal straight away. The twin
    // is looked up only once the unique key has refused the insert: one round trip fewer per add.
    try {
      const { job } = await services.storage.addDevice(
        { hostId: host.id, name: body.name, sizeBytes: ctx.settings.deviceSizeGb * GIB, tags: body.tags ?? {} },
        'heketi',
      );
      accepted(req, res, job);
    } catch (err) {
      if (!isCoreError(err) || err.code !== 'ALREADY_EXISTS') throw err;
      const [twin] = await services.devices.list({ filter: { all: [eq('hostId', host.id), eq('name', body.name)] }, limit: 1 });
      if (!twin) throw err;
      sendError(res, 500, `Can't initialize physical volume "${body.name}" of volume group "vg_${hexId(twin.id)}" without -ff`);
    }
  });

  r.add('GET', '/devices/:id', async (req, res, params) => {
    const device = await services.devices.get(idParam(params));
    sendJson(res, 200, renderDevice(device, await services.storage.bricks(eq('deviceId', device.id))));
  });

  r.add('DELETE', '/devices/:id', async (req, res, params) => {
    // The options body ({"forceforget":bool}) is read only when one was sent.
    if (Number(req.headers['content-length'] ?? 0) > 0) readBody(req, { struct: { forceforget: 'bool' } });
    const device = await services.devices.get(idParam(params));
    await throttle(ctx);
    accepted(req, res, await services.storage.removeDevice(device.id, 'heketi'));
  });

  r.add('POST', '/devices/:id/state', async (req, res, params) => {
    const body = readBody<{ state: string; healcheck: string }>(req, STATE_REQUEST);
    failValidation(stateIssues(body));
    const device = await services.devices.get(idParam(params));
    if (body.state === 'failed') await throttle(ctx);
    accepted(req, res, await services.storage.setDeviceState(device.id, body.state as 'online', 'heketi', { healCheck: body.healcheck !== 'disable' }));
  });

  r.add('GET', '/devices/:id/resync', async (req, res, params) => {
    const device = await services.devices.get(idParam(params));
    accepted(req, res, await services.storage.resyncDevice(device.id, 'heketi'));
  });

  r.add('POST', '/devices/:id/tags', async (req, res, params) => {
    const body = readBody<{ tags?: Record<string, string>; change_type: string }>(req, TAGS_CHANGE);
    failValidation(tagsIssues(body));
    const device = await services.devices.get(idParam(params));
    const tags = await services.storage.changeTags('device', device.id, body.change_type as 'set', body.tags ?? {});
    sendJson(res, 200, new GoMap(tags));
  });
}
