import { Device } from '@rosetta/core';
import { Column, ResourceDef, compileFilters, compileOrder, memoryPage } from '../tastypie';
import { uri } from '../render';
import { LCtx, badPk, pkSeq } from './common';

/**
 * The storage plugin view of the volumes' backing: every device is a resource of the built-in
 * `linux` plugin, a ScsiDevice when it is a LUN and an UnsharedDevice when it is a local disk
 * (ids are the device's, so a volume and its backing share one).
 */
const CLASSES = [
  { id: 1, class_name: 'ScsiDevice', label: 'SCSI device', columns: [{ name: 'serial', label: 'Serial' }, { name: 'size', label: 'Size' }] },
  { id: 2, class_name: 'UnsharedDevice', label: 'Unshared device', columns: [{ name: 'path', label: 'Path' }, { name: 'size', label: 'Size' }] },
];

const classOf = (d: Device) => (d.kind === 'lun' ? CLASSES[0] : CLASSES[1]);

function renderClass(base: string, c: (typeof CLASSES)[number]) {
  return {
    class_name: c.class_name,
    columns: c.columns,
    fields: c.columns.map((col) => ({ label: col.label, name: col.name, optional: false, class: col.name === 'size' ? 'Bytes' : 'String', user_read_only: true })),
    id: c.id,
    label: `linux-${c.class_name}`,
    plugin_internal: true,
    plugin_name: 'linux',
    resource_uri: uri(base, 'storage_resource_class', c.id),
    user_creatable: false,
  };
}

function renderResource(base: string, d: Device) {
  const c = classOf(d);
  const id = d.serial ?? d.name;
  return {
    alerts: [],
    alias: null,
    attributes: c.class_name === 'ScsiDevice' ? { serial: d.serial ?? '', size: d.sizeBytes } : { path: d.name, size: d.sizeBytes },
    charts: [],
    class_name: c.class_name,
    default_alias: `${c.label} ${id}`,
    deletable: false,
    id: d.seq,
    parent_classes: [],
    plugin_name: 'linux',
    propagated_alerts: [],
    resource_uri: uri(base, 'storage_resource', d.seq),
    stats: {},
    storage_id_str: id,
  };
}

export const storageResourceClassResource: ResourceDef<LCtx> = {
  name: 'storage_resource_class',
  fields: {
    class_name: { type: 'string' },
    columns: { type: 'list' },
    fields: { type: 'list' },
    id: { type: 'integer', readonly: true, unique: true },
    label: { type: 'string' },
    plugin_internal: { type: 'boolean' },
    plugin_name: { type: 'string' },
    resource_uri: { type: 'string', readonly: true },
    user_creatable: { type: 'boolean' },
  },
  filtering: { class_name: ['exact'], plugin_internal: ['exact'], plugin_name: ['exact'], user_creatable: ['exact'] },
  ordering: ['class_name'],
  listAllowed: ['get'],
  detailAllowed: ['get'],
  list: async (ctx, q) => memoryPage(CLASSES.map((c) => renderClass(ctx.base, c)), q),
  async detail(ctx, pk) {
    if (pkSeq(pk) === undefined) throw badPk();
    const c = CLASSES.find((x) => String(x.id) === pk);
    return c && renderClass(ctx.base, c);
  },
};

export const storageResourceResource: ResourceDef<LCtx> = {
  name: 'storage_resource',
  fields: {
    alerts: { type: 'list' },
    alias: { type: 'string', nullable: true },
    attributes: { type: 'dict' },
    charts: { type: 'list' },
    class_name: { type: 'string' },
    default_alias: { type: 'string' },
    deletable: { type: 'boolean' },
    id: { type: 'integer', readonly: true, unique: true },
    parent_classes: { type: 'list' },
    plugin_name: { type: 'string' },
    propagated_alerts: { type: 'list' },
    resource_uri: { type: 'string', readonly: true },
    stats: { type: 'dict' },
    storage_id_str: { type: 'string' },
  },
  filtering: { class_name: ['exact'], plugin_name: ['exact'] },
  listAllowed: ['get', 'post', 'put', 'delete', 'patch'],
  detailAllowed: ['get', 'post', 'put', 'delete', 'patch'],
  async list(ctx, q) {
    const parts = [];
    for (const f of q.filters) {
      if (f.path[0] === 'plugin_name' && f.value !== 'linux') parts.push({ any: [] });
      if (f.path[0] === 'class_name') {
        const c = CLASSES.find((x) => x.class_name === f.value);
        parts.push(c ? { field: 'kind', op: 'eq' as const, value: c.class_name === 'ScsiDevice' ? 'lun' : 'disk' } : { any: [] });
      }
    }
    // A device has no storage ancestors here, so ancestor_of finds nothing.
    if (q.params.has('ancestor_of')) parts.push({ any: [] });
    const columns: Record<string, Column> = {};
    const filter = { all: [...parts, (await compileFilters(q.filters, columns)) ?? { all: [] }] };
    const page = await ctx.services.devices.page({ filter, order: compileOrder(q.order, columns), limit: q.limit, offset: q.offset });
    return { objects: page.items.map((d) => renderResource(ctx.base, d)), total: page.total };
  },
  async detail(ctx, pk) {
    const seq = pkSeq(pk);
    if (seq === undefined) throw badPk();
    const d = await ctx.services.devices.findBySeq(seq);
    return d && renderResource(ctx.base, d);
  },
};
