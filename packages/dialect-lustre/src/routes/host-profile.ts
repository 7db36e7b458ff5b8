import { Host } from '@rosetta/core';
import { ResourceDef, TastypieReply } from '../tastypie';
import { SERVER_PROFILES, uri } from '../render';
import { LCtx, badPk, pkSeq } from './common';

/**
 * Which server profiles a host satisfies, as IML's profile tests report it. The tests read the
 * host's facts: every server runs EL 7 without ZFS here, and managed profiles want 32 GiB of memory.
 */
function profileTests(h: Host) {
  const memoryGb = Math.floor(h.memoryMb / 1024);
  return Object.fromEntries(
    Object.entries(SERVER_PROFILES).map(([name, p]) => {
      const tests = [
        { description: 'The profile is designed for version 7 of EL', error: '', pass: true, test: 'distro_version < 8 and distro_version >= 7' },
        { description: `ZFS is installed but is unsupported by the ${p.ui_name} profile`, error: '', pass: true, test: 'zfs_installed == False' },
      ];
      if (p.managed) {
        const pass = memoryGb >= 32;
        tests.push({ description: 'The server needs at least 32 GB of memory', error: pass ? '' : `Result unavailable or false: memory_gb >= 32 (${memoryGb})`, pass, test: 'memory_gb >= 32' });
      }
      return [name, tests];
    }),
  );
}

function render(base: string, h: Host) {
  const profiles = profileTests(h);
  return {
    address: h.managementAddress ?? h.name,
    host: h.seq,
    profiles,
    profiles_valid: Object.values(profiles).every((tests) => tests.length > 0),
    resource_uri: uri(base, 'host_profile', h.seq),
  };
}

export const hostProfileResource: ResourceDef<LCtx> = {
  name: 'host_profile',
  fields: {
    address: { type: 'string', readonly: true },
    host: { type: 'integer', readonly: true },
    profiles: { type: 'dict', readonly: true },
    profiles_valid: { type: 'boolean', readonly: true },
    resource_uri: { type: 'string', readonly: true },
  },
  listAllowed: ['get', 'post'],
  detailAllowed: ['get', 'put'],
  async list(ctx, q) {
    const raw = q.params.getAll('id__in').flatMap((v) => v.split(','));
    if (raw.some((v) => !/^\d+$/.test(v))) throw new TastypieReply(400, { error: 'Invalid resource lookup data provided (mismatched type).' });
    const filter = { all: [{ not: { field: 'lustreState', op: 'eq' as const, value: 'removed' } }, ...(raw.length ? [{ field: 'seq', op: 'in' as const, value: raw.map(Number) }] : [])] };
    const page = await ctx.services.hosts.page({ filter, order: [{ field: 'seq', direction: 'asc' }], limit: q.limit, offset: q.offset });
    // IML wraps each host's report the way its bulk operations report results.
    return { objects: page.items.map((h) => ({ error: null, host_profiles: render(ctx.base, h), traceback: null })), total: page.total };
  },
  async detail(ctx, pk) {
    const seq = pkSeq(pk);
    if (seq === undefined) throw badPk();
    const host = await ctx.services.hosts.findBySeq(seq);
    return host && host.lustreState !== 'removed' ? render(ctx.base, host) : undefined;
  },
};
