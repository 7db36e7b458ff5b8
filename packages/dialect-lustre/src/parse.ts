import { TastypieReply } from './tastypie';
import { pyStr } from './wire-json';
import { LCtx } from './routes/common';
import { confParamErrors, confParamsBody, confParamsInvalid } from './routes/conf-params';

/** Wire requests to core inputs, with IML's own validation shapes for what is wrong. */

type Errors = Record<string, unknown>;

/** IML's FilesystemValidation: every problem at once, mgt/mdts/osts always present once the keys are. */
export async function parseFilesystem(ctx: LCtx, body: Record<string, unknown>) {
  const missing: Errors = {};
  for (const key of ['mgt', 'mdts', 'osts', 'conf_params', 'name']) if (body[key] === undefined) missing[key] = ['This field is mandatory'];
  if (Object.keys(missing).length) throw new TastypieReply(400, missing);
  const errors: { mgt: Errors; mdts: Errors; osts: Errors; name?: string[]; conf_params?: unknown } = { mgt: {}, mdts: {}, osts: {} };
  const name = pyStr(body.name);
  const nameErrors: string[] = [];
  // IML would fail on a non-string name further down; it is refused here with the other name errors.
  if (typeof body.name !== 'string') nameErrors.push('Name must be a string');
  if (name.length > 8) nameErrors.push(`Name '${name}' too long (max 8 characters)`);
  if (name.length < 1) nameErrors.push(`Name '${name}' too short (min 1 character)`);
  if (name.includes(' ')) nameErrors.push('Name may not contain spaces');
  if (nameErrors.length) errors.name = nameErrors;
  const seen = new Map<number, number>();
  const volume = async (spec: unknown, bucket: Errors): Promise<string | undefined> => {
    const raw = (spec ?? {}) as Record<string, unknown>;
    const id = Number(raw.volume_id);
    const device = Number.isSafeInteger(id) ? await ctx.services.devices.findBySeq(id) : undefined;
    if (!device) {
      bucket.volume_id = [`Volume with ID ${pyStr(raw.volume_id)} not found`];
      return undefined;
    }
    seen.set(id, (seen.get(id) ?? 0) + 1);
    if (seen.get(id)! > 1) bucket.volume_id = [`Volume ID ${id} specified for multiple targets!`];
    const target = (await ctx.services.filesystems.targets.list({ filter: { field: 'deviceId', op: 'eq', value: device.id }, limit: 1 }))[0];
    if (target) bucket.volume_id = [`Volume with ID ${id} is already in use by target ${target.name}`];
    else if (device.usedBytes > 0) bucket.volume_id = [`Volume with ID ${id} is already in use`];
    return device.id;
  };
  const mgtSpec = (body.mgt ?? {}) as Record<string, unknown>;
  let mgt: { deviceId: string } | { targetId: string } | undefined;
  if (mgtSpec.id !== undefined) {
    const target = /^\d+$/.test(String(mgtSpec.id)) ? await ctx.services.filesystems.targets.findBySeq(Number(mgtSpec.id)) : undefined;
    if (!target || target.kind !== 'MGT') errors.mgt.id = [`MGT with ID ${pyStr(mgtSpec.id)} not found`];
    else {
      const clash = await ctx.services.filesystems.list({ filter: { all: [{ field: 'mgtId', op: 'eq', value: target.id }, { field: 'name', op: 'eq', value: name }] } });
      if (clash.length) errors.mgt.name = [`A file system with name '${name}' already exists for this MGT`];
      mgt = { targetId: target.id };
    }
  } else {
    const deviceId = await volume(mgtSpec, errors.mgt);
    if (deviceId) mgt = { deviceId };
  }
  const many = async (key: 'mdts' | 'osts') => {
    const specs = Array.isArray(body[key]) ? (body[key] as unknown[]) : [body[key]];
    const out: { deviceId: string; confParams?: Record<string, string | null> }[] = [];
    for (const [i, spec] of specs.entries()) {
      const bucket: Errors = {};
      const deviceId = await volume(spec, bucket);
      if (Object.keys(bucket).length) errors[key][String(i)] = bucket;
      const raw = (spec ?? {}) as Record<string, unknown>;
      // IML files a target's conf_params problems under the kind's bucket, not per target (HYD-1077).
      if (raw.conf_params !== undefined) {
        const problems = confParamErrors(key === 'mdts' ? 'MDT' : 'OST', raw.conf_params);
        if (confParamsInvalid(problems)) errors[key].conf_params = problems;
      }
      const confParams = confParamsBody(raw.conf_params) as Record<string, string | null> | null;
      if (deviceId) out.push({ deviceId, ...(confParams ? { confParams } : {}) });
    }
    return out;
  };
  const mdts = await many('mdts');
  const osts = await many('osts');
  const fsProblems = confParamErrors('filesystem', body.conf_params);
  if (confParamsInvalid(fsProblems)) errors.conf_params = fsProblems;
  const failed = errors.name || errors.conf_params || [errors.mgt, errors.mdts, errors.osts].some((e) => Object.keys(e).length);
  if (failed || !mgt) throw new TastypieReply(400, errors);
  return { name, mgt, mdts, osts, confParams: confParamsBody(body.conf_params) as Record<string, string | null> };
}

