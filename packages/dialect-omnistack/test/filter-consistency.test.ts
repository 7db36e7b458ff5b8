import request from 'supertest';
import { Harness, harness, waitTask } from './harness';

/**
 * Every filter of every collection the research lists (R§7), checked against the rendering: for
 * each value the objects actually show, the SQL-filtered list must hold exactly the objects of the
 * unfiltered list whose rendered field matches. A filter that is ignored, or that disagrees with
 * the field it names, fails here.
 */
type Kind = 'eq' | 'enum' | 'contains' | 'min' | 'max' | 'after' | 'before';
type Wire = Record<string, unknown>;

const FILTERS: Record<string, Record<string, [field: string, kind: Kind]>> = {
  virtual_machines: {
    ...eq('id', 'name', 'omnistack_cluster_id', 'omnistack_cluster_name', 'compute_cluster_parent_hypervisor_object_id', 'compute_cluster_parent_name'),
    ...eq('hypervisor_management_system', 'hypervisor_management_system_name', 'datastore_id', 'datastore_name', 'policy_id', 'policy_name'),
    ...eq('hypervisor_object_id', 'host_id', 'hypervisor_is_template'),
    ...enums('state', 'app_aware_vm_status'),
    cluster_group_id: ['cluster_group_ids', 'contains'],
    created_after: ['created_at', 'after'],
    created_before: ['created_at', 'before'],
  },
  hosts: {
    ...eq('id', 'name', 'model', 'version', 'hypervisor_management_system', 'hypervisor_management_system_name', 'hypervisor_object_id'),
    ...enums('type', 'upgrade_state', 'state'),
    ...eq('compute_cluster_name', 'compute_cluster_hypervisor_object_id', 'management_ip', 'storage_ip', 'federation_ip', 'virtual_controller_name'),
    ...eq('compute_cluster_parent_name', 'compute_cluster_parent_hypervisor_object_id', 'policy_enabled', 'can_rollback'),
    ...eq('omnistack_cluster_id', 'availability_zone_planned', 'availability_zone_effective'),
    cluster_group_id: ['cluster_group_ids', 'contains'],
    ...range('current_feature_level'),
    ...range('potential_feature_level'),
    ...range('cluster_feature_level'),
  },
  omnistack_clusters: {
    ...eq('id', 'name', 'hypervisor_object_id', 'hypervisor_object_parent_id', 'hypervisor_object_parent_name', 'hypervisor_management_system_name'),
    type: ['type', 'enum'],
    ...eq('arbiter_address', 'arbiter_connected', 'arbiter_required', 'arbiter_configured'),
    cluster_group_id: ['cluster_group_ids', 'contains'],
  },
  datastores: {
    ...eq('id', 'name', 'omnistack_cluster_id', 'omnistack_cluster_name', 'compute_cluster_parent_hypervisor_object_id', 'compute_cluster_parent_name'),
    ...eq('hypervisor_management_system_name', 'policy_id', 'policy_name', 'hypervisor_object_id', 'mount_directory', 'single_replica'),
    cluster_group_id: ['cluster_group_ids', 'contains'],
    min_size: ['size', 'min'],
    max_size: ['size', 'max'],
    created_after: ['created_at', 'after'],
    created_before: ['created_at', 'before'],
  },
  backups: {
    ...enums('state', 'type', 'virtual_machine_type', 'virtual_machine_state', 'consistency_type', 'backup_store_type'),
    ...eq('id', 'name', 'omnistack_cluster_id', 'omnistack_cluster_name', 'compute_cluster_parent_hypervisor_object_id', 'compute_cluster_parent_name'),
    ...eq('datastore_id', 'datastore_name', 'virtual_machine_id', 'virtual_machine_name', 'application_consistent', 'external_store_name'),
    associated_cluster: ['associated_cluster.id', 'eq'],
    cluster_group_id: ['cluster_group_ids', 'contains'],
    ...range('sent'),
    ...range('size'),
    ...range('sent_duration'),
    ...range('unique_size_bytes'),
    created_after: ['created_at', 'after'],
    created_before: ['created_at', 'before'],
    expires_after: ['expiration_time', 'after'],
    expires_before: ['expiration_time', 'before'],
    sent_completion_after: ['sent_completion_time', 'after'],
    sent_completion_before: ['sent_completion_time', 'before'],
  },
  policies: { ...eq('id', 'name', 'owner_cluster_id', 'owner_cluster_name'), cluster_group_id: ['cluster_group_ids', 'contains'] },
  cluster_groups: eq('id', 'name'),
  external_stores: { ...eq('name', 'omnistack_cluster_id', 'management_ip'), cluster_group_id: ['cluster_group_ids', 'contains'] },
};

function eq(...fields: string[]): Record<string, [string, Kind]> {
  return Object.fromEntries(fields.map((f) => [f, [f, 'eq']]));
}
function enums(...fields: string[]): Record<string, [string, Kind]> {
  return Object.fromEntries(fields.map((f) => [f, [f, 'enum']]));
}
function range(field: string): Record<string, [string, Kind]> {
  return { [`${field}_min`]: [field, 'min'], [`${field}_max`]: [field, 'max'] };
}

const read = (o: Wire, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v as Wire | null)?.[k], o);
const time = (v: unknown): number | null => (typeof v === 'string' && v !== 'NA' ? Date.parse(v) : null);

/** What the vendor's filter means, applied to the rendered objects. */
function matches(kind: Kind, value: unknown, probe: string): boolean {
  switch (kind) {
    case 'enum':
      return typeof value === 'string' && value.toUpperCase() === probe.toUpperCase();
    case 'eq':
      return value !== null && value !== undefined && String(value).toLowerCase() === probe.toLowerCase() && (typeof value === 'boolean' || String(value) === probe);
    case 'contains':
      return Array.isArray(value) && value.includes(probe);
    case 'min':
      return typeof value === 'number' && value >= Number(probe);
    case 'max':
      return typeof value === 'number' && value <= Number(probe);
    case 'after':
      return time(value) !== null && time(value)! >= Date.parse(probe);
    case 'before':
      return time(value) !== null && time(value)! <= Date.parse(probe);
  }
}

/** Values worth asking: each one the objects show, plus one on each side or none at all. */
function probes(kind: Kind, values: unknown[]): string[] {
  const seen = [...new Set(values.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v) => v !== null && v !== undefined && v !== 'NA').map(String))];
  // Enum names are taken in any case (R§4); an unknown one is refused, below.
  if (kind === 'enum') return [...seen, ...seen.map((v) => v.toLowerCase())];
  if (kind === 'eq' || kind === 'contains') return [...seen, 'no-such-value'].filter((p) => !(seen.includes('true') || seen.includes('false')) || p !== 'no-such-value');
  if (kind === 'min' || kind === 'max') return [...seen, ...seen.map((v) => String(Number(v) + 1)), '0'];
  const times = seen.map((v) => Date.parse(v));
  const edges = times.flatMap((t) => [t - 1000, t, t + 1000]);
  return [...new Set(edges.length ? edges : [Date.parse('2026-01-01T00:00:00Z')])].map((t) => new Date(t).toISOString().replace('.000Z', 'Z'));
}

describe('OmniStack filters agree with what the objects show', () => {
  let h: Harness;
  let auth: { Authorization: string };
  const get = (path: string) => request(h.app).get(path).set(auth);

  beforeAll(async () => {
    h = await harness({ fixture: 'demo' });
    const token = await h.login();
    auth = { Authorization: `Bearer ${token}` };
    const post = async (path: string, body: unknown) => {
      const res = await request(h.app).post(path).set(auth).send(body as object);
      if (res.status !== 202) throw new Error(`${path}: ${res.status} ${res.text}`);
      return waitTask(h, token, res.body.task.id);
    };
    // Backups of several kinds and places, and a store, so every backup filter has values to tell apart.
    const vms = (await get('/api/virtual_machines?sort=name&order=ascending')).body.virtual_machines as Wire[];
    const clusterB = (await get('/api/omnistack_clusters?name=cluster-b')).body.omnistack_clusters[0].id as string;
    await post('/api/external_stores', { name: 'store-1', management_ip: '10.9.0.1', omnistack_cluster_id: vms[0].omnistack_cluster_id, username: 'u', password: 'p', type: 'StoreOnceOnPrem' });
    const first = await post(`/api/virtual_machines/${vms[0].id}/backup`, { backup_name: 'keep-forever', retention: 0 });
    await post(`/api/virtual_machines/${vms[1].id}/backup`, { backup_name: 'Day', retention: 1440, app_consistent: true, consistency_type: 'DEFAULT' });
    h.rt.clock.advance(60_000);
    await post(`/api/virtual_machines/${vms[2].id}/backup`, { backup_name: 'week', retention: 10080 });
    await post(`/api/virtual_machines/${vms[0].id}/backup`, { backup_name: 'to-store', external_store_name: 'store-1' });
    const firstId = (first.affected_objects as { object_id: string }[])[0].object_id;
    await post(`/api/backups/${firstId}/copy`, { destination_id: clusterB });
    await post(`/api/backups/${firstId}/calculate_unique_size`, {});
  });
  afterAll(() => h.rt.close());

  const cases = Object.entries(FILTERS).flatMap(([collection, filters]) => Object.entries(filters).map(([filter, [field, kind]]) => [collection, filter, field, kind] as const));

  it.each(cases)('%s?%s= matches %s (%s)', async (collection, filter, field, kind) => {
    const all = (await get(`/api/${collection}?limit=5000&show_optional_fields=true`)).body[collection] as Wire[];
    expect(all.length).toBeGreaterThan(0);
    for (const probe of probes(kind, all.map((o) => read(o, field)))) {
      const res = await get(`/api/${collection}?limit=5000&show_optional_fields=true&${filter}=${encodeURIComponent(probe)}`);
      const expected = all.filter((o) => matches(kind, read(o, field), probe)).map((o) => o.id ?? o.name);
      expect({ probe, status: res.status, got: ((res.body[collection] ?? []) as Wire[]).map((o) => o.id ?? o.name).sort() }).toEqual({ probe, status: 200, got: expected.sort() });
    }
    if (kind === 'enum') {
      const bad = await get(`/api/${collection}?${filter}=NO_SUCH_VALUE`);
      expect([bad.status, bad.body.exception]).toEqual([400, 'com.simplivity.restapi.exceptions.InvalidParameterException']);
    }
  });
});
