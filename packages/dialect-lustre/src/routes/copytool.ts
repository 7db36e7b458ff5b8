import { Copytool } from '@rosetta/core';
import { ResourceDef, TastypieReply, accepted } from '../tastypie';
import { renderStateful, uri } from '../render';
import { LCtx, ORIGIN, activeLocks, badPk, byIds, changeState, jsonBody, pkSeq, statefulExtras } from './common';
import { STATEFUL_FIELDS, renderHosts } from './host';

/** Copytool options IML refuses in `hsm_arguments` (it supplies or forbids them itself). */
const INVALID_AGENT_ARGUMENTS: Record<string, string> = {
  '-A': 'is already automatically supplied',
  '--archive': 'is already automatically supplied',
  '--daemon': 'conflicts with copytool management automation',
  '--dry-run': 'makes no sense in this context',
  '-q': 'is already automatically supplied',
  '--quiet': 'is already automatically supplied',
  '-u': 'is already automatically supplied',
  '--update-interval': 'is already automatically supplied',
  '-v': 'makes no sense in this context',
  '--verbose': 'makes no sense in this context',
};

async function renderCopytools(ctx: LCtx, copytools: Copytool[]) {
  const locks = await activeLocks(ctx.services);
  const hosts = await byIds(ctx.services.hosts, copytools.map((c) => c.hostId));
  const rendered = new Map((await renderHosts(ctx, [...hosts.values()])).map((h) => [h.id, h]));
  const filesystems = await byIds(ctx.services.filesystems, copytools.map((c) => c.filesystemId));
  return Promise.all(
    copytools.map(async (c) => {
      const fs = filesystems.get(c.filesystemId);
      const label = `${fs?.name ?? ''}-${c.binPath.split('/').pop()}-${c.archive}-${c.index}`;
      return {
        ...renderStateful(ctx.base, 'copytool', c.seq, label, c.state, c.updatedAt, await statefulExtras(ctx, 'copytool', c, locks)),
        active_operations_count: 0,
        archive: c.archive,
        bin_path: c.binPath,
        client_mount: null,
        filesystem: uri(ctx.base, 'filesystem', fs?.seq ?? 0),
        host: rendered.get(hosts.get(c.hostId)?.seq ?? -1) ?? null,
        hsm_arguments: c.hsmArguments,
        index: c.index,
        mountpoint: c.mountpoint,
        pid: null,
        uuid: c.uuid,
      };
    }),
  );
}

async function findCopytool(ctx: LCtx, pk: string): Promise<Copytool | undefined> {
  const seq = pkSeq(pk);
  if (seq === undefined) throw badPk();
  return ctx.services.lustre.copytools.findBySeq(seq);
}

const idOf = (value: unknown, resource: string): number | undefined => {
  const m = new RegExp(`/${resource}/(\\d+)/?$`).exec(String(value ?? ''));
  return m ? Number(m[1]) : undefined;
};

/** IML's CopytoolValidation, errors under the resource name as Tastypie files them. */
async function parseCopytool(ctx: LCtx, body: Record<string, unknown>) {
  const errors: Record<string, string[]> = {};
  // IML stops at the first missing field.
  const missing = ['filesystem', 'host', 'bin_path', 'archive', 'mountpoint'].find((f) => body[f] === undefined);
  if (missing) throw new TastypieReply(400, { copytool: { [missing]: ['This field is mandatory'] } });
  for (const argument of String(body.hsm_arguments ?? '').split(/\s+/)) {
    if (INVALID_AGENT_ARGUMENTS[argument]) (errors.hsm_arguments ??= []).push(`Invalid argument '${argument}': ${INVALID_AGENT_ARGUMENTS[argument]}`);
  }
  const hostSeq = idOf(body.host, 'host');
  const host = hostSeq === undefined ? undefined : await ctx.services.hosts.findBySeq(hostSeq);
  if (!host || host.lustreState === 'removed') errors.host = ['Host not found in DB'];
  const fsSeq = idOf(body.filesystem, 'filesystem');
  const fs = fsSeq === undefined ? undefined : await ctx.services.filesystems.findBySeq(fsSeq);
  if (!fs) errors.filesystem = ['Filesystem not found in DB'];
  const archive = Number(body.archive);
  if (!/^\s*[+-]?\d+\s*$/.test(String(body.archive)) || !Number.isSafeInteger(archive)) errors.archive = ['Archive number must be an integer'];
  if (typeof body.bin_path !== 'string' || !body.bin_path) errors.bin_path = ['This field is mandatory'];
  if (typeof body.mountpoint !== 'string' || !body.mountpoint) errors.mountpoint = ['This field is mandatory'];
  if (Object.keys(errors).length || !host || !fs) throw new TastypieReply(400, { copytool: errors });
  return { hostId: host.id, filesystemId: fs.id, binPath: String(body.bin_path), archive, mountpoint: String(body.mountpoint), hsmArguments: String(body.hsm_arguments ?? '') };
}

export const copytoolResource: ResourceDef<LCtx> = {
  name: 'copytool',
  fields: {
    ...STATEFUL_FIELDS,
    active_operations_count: { type: 'integer' },
    archive: { type: 'integer', default: 1 },
    bin_path: { type: 'string' },
    client_mount: { type: 'related', related: 'to_one', nullable: true },
    filesystem: { type: 'related', related: 'to_one' },
    host: { type: 'related', related: 'to_one' },
    hsm_arguments: { type: 'string' },
    id: { type: 'integer', readonly: true, unique: true },
    index: { type: 'integer', default: 0 },
    mountpoint: { type: 'string' },
    pid: { type: 'integer', nullable: true },
    resource_uri: { type: 'string', readonly: true },
    uuid: { type: 'string', nullable: true },
  },
  // As in IML, `filesystem_id` is whitelisted but names no field of the resource, so Tastypie ignores it.
  filtering: { filesystem_id: ['exact'] },
  listAllowed: ['get', 'post'],
  detailAllowed: ['get', 'put'],
  async list(ctx, q) {
    const page = await ctx.services.lustre.copytools.page({ order: [{ field: 'seq', direction: 'asc' }], limit: q.limit, offset: q.offset });
    return { objects: await renderCopytools(ctx, page.items), total: page.total };
  },
  async detail(ctx, pk) {
    const c = await findCopytool(ctx, pk);
    return c && (await renderCopytools(ctx, [c]))[0];
  },
  /** 202 `{"copytool": ...}`: the copytool is registered and a command configures and starts it. */
  async post(ctx) {
    const input = await parseCopytool(ctx, jsonBody(ctx));
    const { copytool } = await ctx.services.lustre.addCopytool(input, ORIGIN);
    return accepted({ copytool: (await renderCopytools(ctx, [copytool]))[0] });
  },
  async put(ctx, pk) {
    const c = await findCopytool(ctx, pk);
    if (!c) return new TastypieReply(404);
    const body = jsonBody(ctx);
    if (body.state === undefined) return new TastypieReply(200, (await renderCopytools(ctx, [c]))[0]);
    return changeState(ctx, 'copytool', c, c.state, body.state, body.dry_run === true);
  },
};
