import { LustreEntity, LustreObject } from '@rosetta/core';
import { ListRequest, TastypieReply } from '../tastypie';
import { CONTENT_TYPES } from '../render';
import { LCtx, activeLocks, statefulExtras } from './common';

const BY_TYPE: Record<number, LustreObject> = {
  [CONTENT_TYPES.host]: 'host',
  [CONTENT_TYPES.lnet_configuration]: 'lnet',
  [CONTENT_TYPES.target]: 'target',
  [CONTENT_TYPES.filesystem]: 'filesystem',
  [CONTENT_TYPES.copytool]: 'copytool',
};

/** /api/action/?composite_ids=ct:id: the transitions of each named object, flattened (IML 4.0.10's resource). */
export function createActionList() {
  return async (ctx: LCtx, q: ListRequest): Promise<{ objects: unknown[]; total: number }> => {
    const ids = q.params.getAll('composite_ids').flatMap((v) => v.split(','));
    if (!ids.length) throw new TastypieReply(400, { composite_ids: 'param is missing' });
    const locks = await activeLocks(ctx.services);
    const out: unknown[] = [];
    for (const composite of ids) {
      const [ct, id] = composite.split(':').map(Number);
      const object = BY_TYPE[ct];
      if (!object || !Number.isSafeInteger(id)) continue;
      const entity: LustreEntity | undefined =
        object === 'target'
          ? await ctx.services.filesystems.targets.findBySeq(id)
          : object === 'filesystem'
            ? await ctx.services.filesystems.findBySeq(id)
            : object === 'copytool'
              ? await ctx.services.lustre.copytools.findBySeq(id)
              : await ctx.services.hosts.findBySeq(id);
      if (!entity) continue;
      const extras = await statefulExtras(ctx, object, entity, locks);
      if (extras.locks.write.length) continue;
      for (const t of extras.transitions) out.push({ args: null, class_name: null, composite_id: composite, confirmation: null, ...t });
    }
    return { objects: out.slice(q.offset, q.offset + q.limit), total: out.length };
  };
}
