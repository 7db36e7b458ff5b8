import { CoreError } from '@rosetta/core';
import { HeketiContext, RouteTable, accepted, throttle } from '../context';
import { failValidation, idParam, readBody } from '../parse';

/** POST /bricks/to-evict/{id}: replace one brick elsewhere (app_device.go BrickEvict). */
export function brickRoutes(r: RouteTable, ctx: HeketiContext): void {
  r.add('POST', '/bricks/to-evict/:id', async (req, res, params) => {
    let healcheck = '';
    if (Number(req.headers['content-length'] ?? 0) > 0) {
      ({ healcheck } = readBody<{ healcheck: string }>(req, { struct: { healcheck: 'string' } }));
      if (!['', 'enable', 'disable'].includes(healcheck)) {
        failValidation(new Map([['healcheck', `${healcheck} is not valid heal info check`]]));
      }
    }
    const brick = (await ctx.services.storage.bricks({ field: 'id', op: 'eq', value: idParam(params) }))[0];
    if (!brick) throw new CoreError('NOT_FOUND', 'brick not found', { kind: 'brick' });
    await throttle(ctx);
    // healcheck "disable" (heketi-cli's expert option) skips the check that the set can spare the brick.
    accepted(req, res, await ctx.services.storage.evictBrick(brick.id, 'heketi', { healCheck: healcheck !== 'disable' }));
  });
}
