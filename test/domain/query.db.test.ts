import { CoreError } from '@rosetta/core';
import { TestRuntime, createTestRuntime } from '@rosetta/testing';

describe('list queries compile to SQL with a whitelist', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime({ fixture: 'demo' });
  });
  afterAll(() => rt.close());

  it('filters, orders and pages in SQL', async () => {
    const page = await rt.services.vms.page({
      filter: { field: 'name', op: 'glob', value: 'web-*' },
      order: [{ field: 'name', direction: 'desc' }],
      limit: 1,
    });
    expect(page.total).toBe(2);
    expect(page.items.map((v) => v.name)).toEqual(['web-02']);
  });

  it('supports any/all/not trees, in, ranges, nulls and case-insensitive matches', async () => {
    const names = async (filter: Parameters<typeof rt.services.hosts.list>[0]): Promise<string[]> =>
      (await rt.services.hosts.list(filter)).map((h) => h.name).sort();
    expect(await names({ filter: { field: 'name', op: 'in', value: ['node-a1', 'NODE-B1'], ci: true } })).toEqual(['node-a1', 'node-b1']);
    expect(await names({ filter: { all: [{ field: 'cpuCores', op: 'gte', value: 48 }, { not: { field: 'state', op: 'eq', value: 'down' } }] } })).toEqual([
      'node-b1',
      'node-b2',
    ]);
    expect(await names({ filter: { field: 'clusterId', op: 'isnull', value: true } })).toEqual(['mds-01', 'oss-01', 'oss-02']);
    expect(await names({ filter: { any: [{ field: 'name', op: 'startswith', value: 'mds' }, { field: 'name', op: 'endswith', value: '-02' }] } })).toEqual([
      'mds-01',
      'oss-02',
    ]);
  });

  it('treats LIKE metacharacters in values literally', async () => {
    expect(await rt.services.hosts.count({ field: 'name', op: 'contains', value: '%' })).toBe(0);
    expect(await rt.services.hosts.count({ field: 'name', op: 'contains', value: '_' })).toBe(0);
  });

  it('rejects fields that are not whitelisted, whatever they contain', async () => {
    for (const field of ['ipmiPassword', 'name; DROP TABLE hosts', 'ipmi_password', '__proto__', 'constructor']) {
      const err = await rt.services.hosts.list({ filter: { field, op: 'eq', value: 'x' } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CoreError);
      expect((err as CoreError).code).toBe('VALIDATION');
    }
    await expect(rt.services.hosts.list({ order: [{ field: 'ipmi_password', direction: 'asc' }] })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await rt.services.hosts.count()).toBe(9);
  });

  it('rejects bad paging and bad regular expressions as VALIDATION', async () => {
    await expect(rt.services.hosts.list({ limit: -1 })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(rt.services.hosts.list({ filter: { field: 'name', op: 'regex', value: '(' } })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(rt.services.hosts.list({ filter: { field: 'cpuCores', op: 'gt', value: 'many' } })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('gives deterministic ids for a fixture and seed', async () => {
    const host = (await rt.services.hosts.list({ filter: { field: 'name', op: 'eq', value: 'node-a1' } }))[0];
    const again = await createTestRuntime({ fixture: 'demo' });
    try {
      const twin = (await again.services.hosts.list({ filter: { field: 'name', op: 'eq', value: 'node-a1' } }))[0];
      expect(twin.id).toBe(host.id);
      expect(twin.seq).toBe(host.seq);
    } finally {
      await again.close();
    }
  });
});
