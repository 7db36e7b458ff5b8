import { Filter, Host, LustreHostState } from '@rosetta/core';
import { ALL_WITH_RELATIONS, Column, ResourceDef, TastypieReply, compileFilters, compileOrder, ok } from '../tastypie';
import { ClientMountView, SERVER_PROFILES, renderCommand, renderHost, renderLnetConfiguration } from '../render';
import { LCtx, ORIGIN, activeLocks, badPk, byIds, changeState, commandReply, jsonBody, pkSeq, seqColumn, statefulExtras } from './common';

const stateful = {
  available_actions: { type: 'list', readonly: true },
  available_jobs: { type: 'list', readonly: true },
  available_transitions: { type: 'list', readonly: true },
  content_type_id: { type: 'integer', readonly: true },
  immutable_state: { type: 'boolean' },
  label: { type: 'string', readonly: true },
  locks: { type: 'dict', readonly: true },
  state: { type: 'string', help: 'Current state of the object' },
  state_modified_at: { type: 'datetime' },
} as const;

export const STATEFUL_FIELDS = stateful;

const NOT_REMOVED: Filter = { not: { field: 'lustreState', op: 'eq', value: 'removed' } };

async function hostColumns(ctx: LCtx): Promise<Record<string, Column>> {
  return {
    id: { field: 'seq', type: 'int' },
    fqdn: { field: 'name', type: 'string' },
    host__id: { field: 'seq', type: 'int' },
    host__fqdn: { field: 'name', type: 'string' },
    host: seqColumn('id', ctx.services.hosts),
  };
}

/** Hosts that serve targets (primary or failover) of a kind or of a filesystem: IML's role= and filesystem_id= params. */
async function targetHostFilter(ctx: LCtx, params: URLSearchParams): Promise<Filter | undefined> {
  const parts: Filter[] = [];
  const role = params.get('role');
  if (role !== null) {
    const kind = { mgs: 'MGT', mds: 'MDT', oss: 'OST' }[role.toLowerCase()];
    const targets = kind ? await ctx.services.filesystems.targets.list({ filter: { field: 'kind', op: 'eq', value: kind } }) : [];
    parts.push({ field: 'id', op: 'in', value: targets.flatMap((t) => [t.hostId, t.failoverHostId].filter(Boolean)) });
  }
  const fsId = params.get('filesystem_id');
  if (fsId !== null) {
    const fs = /^\d+$/.test(fsId) ? await ctx.services.filesystems.findBySeq(Number(fsId)) : undefined;
    const targets = fs
      ? await ctx.services.filesystems.targets.list({ filter: { any: [{ field: 'filesystemId', op: 'eq', value: fs.id }, ...(fs.mgtId ? [{ field: 'id', op: 'eq', value: fs.mgtId } as Filter] : [])] } })
      : [];
    parts.push({ field: 'id', op: 'in', value: targets.flatMap((t) => [t.hostId, t.failoverHostId].filter(Boolean)) });
  }
  if (params.has('worker')) {
    parts.push({ field: 'serverProfile', op: 'in', value: Object.entries(SERVER_PROFILES).filter(([, p]) => p.worker).map(([n]) => n) });
  }
  return parts.length ? { all: parts } : undefined;
}

/** Hosts serving a target of an available filesystem: one grouped count for the whole page. */
async function membersOfActiveFilesystems(ctx: LCtx, hosts: Host[]): Promise<Set<string>> {
  if (!hosts.length) return new Set();
  const available = (await ctx.services.filesystems.list({ filter: { field: 'state', op: 'eq', value: 'available' } })).map((f) => f.id);
  if (!available.length) return new Set();
  const filter: Filter = { all: [{ field: 'hostId', op: 'in', value: hosts.map((h) => h.id) }, { field: 'filesystemId', op: 'in', value: available }] };
  const counts = await ctx.services.filesystems.targets.countBy('hostId', filter);
  return new Set(Object.entries(counts).filter(([, n]) => n > 0).map(([id]) => id));
}

/** Each host's client mounts as IML lists them on the host: filesystem name, mountpoint, state. */
async function hostMounts(ctx: LCtx, hosts: Host[]): Promise<Map<string, ClientMountView[]>> {
  const out = new Map<string, ClientMountView[]>();
  if (!hosts.length) return out;
  const mounts = await ctx.services.lustre.clientMounts.list({ filter: { field: 'hostId', op: 'in', value: hosts.map((h) => h.id) }, order: [{ field: 'seq', direction: 'asc' }] });
  const filesystems = await byIds(ctx.services.filesystems, mounts.map((m) => m.filesystemId));
  for (const m of mounts) {
    out.set(m.hostId, [...(out.get(m.hostId) ?? []), { filesystem_name: filesystems.get(m.filesystemId)?.name ?? '', mountpoint: m.mountpoint, state: m.state }]);
  }
  return out;
}

export async function renderHosts(ctx: LCtx, hosts: Host[]) {
  const [locks, member, mounts] = await Promise.all([activeLocks(ctx.services), membersOfActiveFilesystems(ctx, hosts), hostMounts(ctx, hosts)]);
  return Promise.all(
    hosts.map(async (h) => renderHost(ctx.base, h, { ...(await statefulExtras(ctx, 'host', h, locks)), member: member.has(h.id), mounts: mounts.get(h.id) ?? [] })),
  );
}

async function findHost(ctx: LCtx, pk: string): Promise<Host | undefined> {
  const seq = pkSeq(pk);
  if (seq === undefined) throw badPk();
  const host = await ctx.services.hosts.findBySeq(seq);
  return host && host.lustreState !== 'removed' ? host : undefined;
}

const HOST_FIELDS = {
  ...stateful,
  address: { type: 'string', help: 'A URI like user@myhost.net:22' },
  boot_time: { type: 'datetime', nullable: true, readonly: true },
  client_mounts: { type: 'list', readonly: true, help: 'Lustre client mounts present on this host' },
  corosync_configuration: { type: 'related', related: 'to_one', nullable: true },
  fqdn: { type: 'string', readonly: true, help: 'Unicode string, fully qualified domain name' },
  id: { type: 'integer', readonly: true, unique: true },
  install_method: { type: 'string', help: 'Required.  The method used to install the agent on the server' },
  lnet_configuration: { type: 'related', related: 'to_one' },
  member_of_active_filesystem: { type: 'boolean', readonly: true },
  needs_update: { type: 'boolean', help: 'True if there are package updates available for this server' },
  nids: { type: 'list', nullable: true, readonly: true },
  nodename: { type: 'string', readonly: true, help: 'Unicode string, node name of the host' },
  pacemaker_configuration: { type: 'related', related: 'to_one', nullable: true },
  private_key: { type: 'string', nullable: true, help: 'ssh private key matching a public key on the new server.' },
  private_key_passphrase: { type: 'string', nullable: true, help: 'passphrase to decrypt private key' },
  properties: { type: 'string', readonly: true },
  resource_uri: { type: 'string', readonly: true },
  root_pw: { type: 'string', nullable: true, help: 'ssh root password to new server.' },
  server_profile: { type: 'related', related: 'to_one', readonly: true },
} as const;

async function addServer(ctx: LCtx, body: Record<string, unknown>) {
  if (typeof body.address !== 'string' || !body.address) throw new TastypieReply(400, { address: ['This field is mandatory'] });
  const profileUri = typeof body.server_profile === 'string' ? body.server_profile : '';
  const profile = /\/server_profile\/([^/]+)\/?$/.exec(profileUri)?.[1] ?? 'default';
  if (!SERVER_PROFILES[profile]) throw new TastypieReply(400, { server_profile: [`Server profile ${profileUri} not found`] });
  try {
    const state = SERVER_PROFILES[profile].initial_state as LustreHostState;
    const { host, job } = await ctx.services.lustre.addServer({ address: body.address, profile, origin: ORIGIN, state });
    const [rendered] = await renderHosts(ctx, [host]);
    return { command: job, host: rendered };
  } catch (err) {
    if ((err as { code?: string }).code === 'ALREADY_EXISTS') throw new TastypieReply(400, { address: [`Host ${body.address} is already in use by IML`] });
    throw err;
  }
}

export const hostResource: ResourceDef<LCtx> = {
  name: 'host',
  fields: HOST_FIELDS,
  filtering: { fqdn: ['exact', 'startswith'], id: ['exact'], role: ['exact'] },
  ordering: ['fqdn'],
  cacheList: true,
  listAllowed: ['get', 'post', 'put'],
  detailAllowed: ['get', 'put', 'delete'],
  async list(ctx, q) {
    const columns = await hostColumns(ctx);
    const filter = { all: [NOT_REMOVED, (await compileFilters(q.filters, columns)) ?? { all: [] }, (await targetHostFilter(ctx, q.params)) ?? { all: [] }] };
    const page = await ctx.services.hosts.page({ filter, order: compileOrder(q.order, columns), limit: q.limit, offset: q.offset });
    return { objects: await renderHosts(ctx, page.items), total: page.total };
  },
  async detail(ctx, pk) {
    const host = await findHost(ctx, pk);
    return host ? (await renderHosts(ctx, [host]))[0] : undefined;
  },
  async post(ctx) {
    const body = jsonBody(ctx);
    if (Array.isArray(body.objects)) {
      const objects = [];
      let failed = false;
      for (const item of body.objects) {
        try {
          const { command, host } = await addServer(ctx, (item ?? {}) as Record<string, unknown>);
          objects.push({ command_and_host: { command: renderCommand(ctx.base, command), host }, error: null, traceback: null });
        } catch (err) {
          if (!(err instanceof TastypieReply)) throw err;
          failed = true;
          objects.push({ command_and_host: null, error: err.body, traceback: null });
        }
      }
      return new TastypieReply(failed ? 400 : 202, { objects });
    }
    const { command, host } = await addServer(ctx, body);
    return commandReply(ctx, command, { host });
  },
  async put(ctx, pk) {
    const host = await findHost(ctx, pk);
    if (!host) return new TastypieReply(404);
    const body = jsonBody(ctx);
    if (body.state === undefined) return new TastypieReply(400, { error: `State data not present for host ${host.name}`, traceback: null });
    return changeState(ctx, 'host', host, host.lustreState ?? 'managed', body.state, body.dry_run === true, true);
  },
  async delete(ctx, pk) {
    const host = await findHost(ctx, pk);
    if (!host) return new TastypieReply(404);
    const reply = await changeState(ctx, 'host', host, host.lustreState ?? 'managed', 'removed', false);
    return reply.status === 400 ? new TastypieReply(400, { __all__: (reply.body as { state: string }).state }) : reply;
  },
};

export const lnetConfigurationResource: ResourceDef<LCtx> = {
  name: 'lnet_configuration',
  fields: {
    ...stateful,
    host: { type: 'related', related: 'to_one' },
    id: { type: 'integer', readonly: true, unique: true },
    nids: { type: 'related', related: 'to_many', nullable: true },
    resource_uri: { type: 'string', readonly: true },
  },
  filtering: { host: ALL_WITH_RELATIONS, id: ['exact'] },
  relations: { host: { resource: () => hostResource } },
  listAllowed: ['get', 'put'],
  detailAllowed: ['get', 'put'],
  async list(ctx, q) {
    const columns = await hostColumns(ctx);
    const filter = { all: [NOT_REMOVED, (await compileFilters(q.filters, columns)) ?? { all: [] }] };
    const page = await ctx.services.hosts.page({ filter, order: compileOrder(q.order, columns), limit: q.limit, offset: q.offset });
    return { objects: await renderLnet(ctx, page.items), total: page.total };
  },
  async detail(ctx, pk) {
    const host = await findHost(ctx, pk);
    return host ? (await renderLnet(ctx, [host]))[0] : undefined;
  },
  async put(ctx, pk) {
    const host = await findHost(ctx, pk);
    if (!host) return new TastypieReply(404);
    const body = jsonBody(ctx);
    return changeState(ctx, 'lnet', host, host.lnetState ?? 'lnet_up', body.state, body.dry_run === true);
  },
  async putList(ctx) {
    const body = jsonBody(ctx);
    const objects = Array.isArray(body.objects) ? (body.objects as Record<string, unknown>[]) : [];
    let last: TastypieReply = ok({ command: null });
    for (const o of objects) {
      const ref = (o.host ?? {}) as { id?: unknown };
      const host = await findHost(ctx, String(ref.id ?? ''));
      if (!host) return new TastypieReply(404);
      last = await changeState(ctx, 'lnet', host, host.lnetState ?? 'lnet_up', o.state, false);
      if (last.status === 400) return last;
    }
    return last.status === 204 ? new TastypieReply(202, { command: null }) : last;
  },
};

async function renderLnet(ctx: LCtx, hosts: Host[]) {
  const locks = await activeLocks(ctx.services);
  return Promise.all(
    hosts.map(async (h) =>
      renderLnetConfiguration(ctx.base, h, {
        ...(await statefulExtras(ctx, 'lnet', h, locks)),
        member: false,
        hostExtras: await statefulExtras(ctx, 'host', h, locks),
      }),
    ),
  );
}

export const testHostResource: ResourceDef<LCtx> = {
  name: 'test_host',
  fields: {
    address: { type: 'string' },
    auth_type: { type: 'string' },
    private_key: { type: 'string', nullable: true },
    private_key_passphrase: { type: 'string', nullable: true },
    resource_uri: { type: 'string', readonly: true },
    root_pw: { type: 'string', nullable: true },
    server_profile: { type: 'string' },
  },
  listAllowed: ['post'],
  detailAllowed: [],
  async post(ctx) {
    const body = jsonBody(ctx);
    const one = async (o: Record<string, unknown>) => {
      if (typeof o.address !== 'string' || !o.address) throw new TastypieReply(400, { address: ['This field is mandatory'] });
      if (o.auth_type === 'id_password_root' && !o.root_password) throw new TastypieReply(400, { root_password: ['This field is mandatory'] });
      if (o.auth_type === 'private_key_choice' && !o.private_key) throw new TastypieReply(400, { private_key: ['This field is mandatory'] });
      return ctx.services.lustre.probeServer({ address: o.address, origin: ORIGIN });
    };
    if (Array.isArray(body.objects)) {
      const objects = [];
      for (const o of body.objects) objects.push({ command: renderCommand(ctx.base, await one((o ?? {}) as Record<string, unknown>)), error: null, traceback: null });
      return new TastypieReply(202, { objects });
    }
    // IML answers the bare command here (its code wraps it under a misspelt key that never reaches the wire).
    return new TastypieReply(202, renderCommand(ctx.base, await one(body)));
  },
};
