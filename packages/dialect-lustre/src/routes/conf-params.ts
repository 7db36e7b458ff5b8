import { ConfParamOwner, checkConfParams } from '@rosetta/core';
import { TastypieReply } from '../tastypie';
import { LCtx, ORIGIN, commandReply } from './common';

/** conf_params as a client sends them: a dict of key -> string (or null to unset). */
export function confParamsBody(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** IML's validate_conf_params for one object kind: key -> messages, empty when all is well. */
export function confParamErrors(owner: ConfParamOwner, value: unknown): Record<string, string[]> | string[] {
  const params = confParamsBody(value);
  if (!params) return ['Must be a dictionary'];
  return checkConfParams(owner, params);
}

const hasErrors = (errors: Record<string, string[]> | string[]): boolean => (Array.isArray(errors) ? errors.length > 0 : Object.keys(errors).length > 0);
export { hasErrors as confParamsInvalid };

/**
 * IML's ConfParamResource.obj_update: 400 `{"conf_params": {...}}` for bad values; when something
 * changed, 202 with the command that writes them on the MGS and the object; otherwise the plain
 * update answer (200 with the object, as `always_return_data` has it).
 */
export async function updateConfParams<E extends { id: string; kind?: string }>(
  ctx: LCtx,
  object: 'filesystem' | 'target',
  entity: E,
  value: unknown,
  render: (fresh: E) => Promise<Record<string, unknown>>,
  reload: () => Promise<E>,
): Promise<TastypieReply> {
  const owner: ConfParamOwner = object === 'filesystem' ? 'filesystem' : (entity.kind as ConfParamOwner);
  const errors = confParamErrors(owner, value);
  if (hasErrors(errors)) return new TastypieReply(400, { conf_params: errors });
  const job = await ctx.services.lustre.setConfParams(object, entity.id, confParamsBody(value) as Record<string, string | null>, ORIGIN);
  const body = await render(await reload());
  return job ? commandReply(ctx, job, body) : new TastypieReply(200, Object.values(body)[0]);
}
