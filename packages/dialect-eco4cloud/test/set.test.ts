import request from 'supertest';
import { EXAMPLE_FIXTURE, Harness, harness } from './harness';

let h: Harness;
let ticket: string;
beforeAll(async () => {
  h = await harness(EXAMPLE_FIXTURE);
  ticket = await h.login();
});
afterAll(() => h.rt.close());

const set = (entity: string, setList: unknown, whereList: unknown = [{ name: 'name', value: 'test_farm' }]) =>
  request(h.app).post(`/api/${entity}/set`).set('ticket', ticket).send({ setList, whereList });
const farm = async () => (await request(h.app).get('/api/Farm/get?name=test_farm').set('ticket', ticket)).body.Farms[0];
const fail = (error: string) => ({ result: 'error', rows_affected: 0, error });

test('several parameters at once, typed JSON values accepted', async () => {
  const res = await set('Farm', [
    { name: 'ta', value: 70.5 },
    { name: 'TH', value: '85' },
    { name: 'consolidation_on', value: true },
    { name: 'power_off_min_uptime', value: 45 },
    { name: 'power_on_min_downtime', value: '5' },
  ]);
  expect(res.body).toEqual({ result: 'ok', rows_affected: 1 });
  expect(await farm()).toMatchObject({ ta: '70.5', th: '85', consolidation_on: 'true', power_off_min_uptime: '45', power_on_min_downtime: '5' });
});

test('every settable parameter of Cluster, Host and Vm at once, read back through get', async () => {
  const read = async (entity: string, envelope: string, name: string) =>
    (await request(h.app).get(`/api/${entity}/get?name=${name}`).set('ticket', ticket)).body[envelope][0];
  const where = (name: string) => [{ name: 'name', value: name }];
  const cluster = [
    { name: 'servers_always_on', value: 2 },
    { name: 'consolidation_enabled', value: false },
    { name: 'power_off_min_uptime', value: '12' },
    { name: 'power_on_min_downtime', value: '7' },
    { name: 'drs_mode', value: 'fullyAutomated' },
  ];
  expect((await set('Cluster', cluster, where('cluster_test'))).body).toEqual({ result: 'ok', rows_affected: 1 });
  expect(await read('Cluster', 'Clusters', 'cluster_test')).toMatchObject({
    servers_always_on: '2',
    consolidation_enabled: 'false',
    power_off_min_uptime: '12',
    power_on_min_downtime: '7',
    drs_mode: 'fullyAutomated',
  });
  const host = [
    { name: 'standby_enabled', value: 'false' },
    { name: 'power_off_min_uptime', value: 3 },
    { name: 'power_on_min_downtime', value: '0' },
  ];
  expect((await set('Host', host, where('test_host_4'))).body).toEqual({ result: 'ok', rows_affected: 1 });
  expect(await read('Host', 'Hosts', 'test_host_4')).toMatchObject({ standby_enabled: 'false', power_off_min_uptime: '3', power_on_min_downtime: '0' });
  const vm = [
    { name: 'migration_enabled', value: false },
    { name: 'cluster_migration_enabled', value: 'TRUE' },
  ];
  expect((await set('Vm', vm, where('test_vm_1'))).body).toEqual({ result: 'ok', rows_affected: 1 });
  expect(await read('Vm', 'Vms', 'test_vm_1')).toMatchObject({ migration_enabled: 'false', cluster_migration_enabled: 'true' });
  // Back to the defaults the other tests expect.
  const restore = [
    set('Cluster', [{ name: 'servers_always_on', value: 1 }, { name: 'consolidation_enabled', value: true }, { name: 'drs_mode', value: 'nothing' }], where('cluster_test')),
    set('Host', [{ name: 'standby_enabled', value: true }], where('test_host_4')),
    set('Vm', [{ name: 'migration_enabled', value: true }, { name: 'cluster_migration_enabled', value: false }], where('test_vm_1')),
  ];
  for (const res of await Promise.all(restore)) expect(res.body.result).toBe('ok');
});

test('no matching row: rows_affected 0', async () => {
  const res = await set('Farm', [{ name: 'ta', value: '60' }], [{ name: 'name', value: 'no_such_farm' }]);
  expect(res.body).toEqual({ result: 'ok', rows_affected: 0 });
});

test('the where name matches case-insensitively', async () => {
  const res = await set('Host', [{ name: 'standby_enabled', value: 'FALSE' }], [{ name: 'Name', value: 'TEST_HOST_1' }]);
  expect(res.body).toEqual({ result: 'ok', rows_affected: 1 });
});

test('a body posted with a form content type (curl -d) is still read as JSON', async () => {
  const res = await request(h.app)
    .post('/api/Vm/set')
    .set('ticket', ticket)
    .type('form')
    .send('{"setList":[{"name":"cluster_migration_enabled","value":"true"}],"whereList":[{"name":"name","value":"test_vm_1"}]}');
  expect(res.body).toEqual({ result: 'ok', rows_affected: 1 });
});

describe('validation: every problem named, nothing changed', () => {
  test('unknown entity', async () => {
    expect((await set('Rack', [{ name: 'ta', value: '1' }])).body).toEqual(fail('unknown entity Rack'));
  });

  test('DataStore has no settable parameters', async () => {
    expect((await set('DataStore', [{ name: 'name', value: 'x' }])).body).toEqual(fail('entity DataStore has no settable parameters'));
  });

  test('unknown and read-only parameters', async () => {
    expect((await set('Farm', [{ name: 'colour', value: 'red' }])).body).toEqual(fail('unknown parameter colour'));
    expect((await set('Farm', [{ name: 'description', value: 'x' }])).body).toEqual(fail('parameter description is read-only'));
    expect((await set('Host', [{ name: 'ipmi_password', value: 'x' }], [{ name: 'name', value: 'test_host_1' }])).body).toEqual(
      fail('parameter ipmi_password is read-only'),
    );
    expect((await set('Vm', [{ name: 'assigned_cores', value: '4' }], [{ name: 'name', value: 'test_vm_1' }])).body).toEqual(
      fail('parameter assigned_cores is read-only'),
    );
    // servers_always_on is a cluster parameter, not a farm one.
    expect((await set('Farm', [{ name: 'servers_always_on', value: '1' }])).body).toEqual(fail('unknown parameter servers_always_on'));
  });

  test('values of the wrong type', async () => {
    expect((await set('Farm', [{ name: 'consolidation_on', value: 'yes' }])).body).toEqual(fail('consolidation_on must be true or false'));
    expect((await set('Farm', [{ name: 'ta', value: 'eighty' }])).body).toEqual(fail('ta must be a number'));
    expect((await set('Farm', [{ name: 'power_off_min_uptime', value: '1.5' }])).body).toEqual(fail('power_off_min_uptime must be an integer'));
    expect((await set('Cluster', [{ name: 'drs_mode', value: 3 }], [{ name: 'name', value: 'cluster_test' }])).body).toEqual(fail('drs_mode must be a string'));
  });

  test('out-of-range values', async () => {
    expect((await set('Farm', [{ name: 'ta', value: '101' }])).body).toEqual(fail('ta must be a percentage between 0 and 100'));
    expect((await set('Farm', [{ name: 'th', value: '-1' }])).body).toEqual(fail('th must be a percentage between 0 and 100'));
    expect((await set('Farm', [{ name: 'power_on_min_downtime', value: '-5' }])).body).toEqual(
      fail('power_on_min_downtime must be an integer between 0 and 525600'),
    );
    expect((await set('Cluster', [{ name: 'servers_always_on', value: '3' }], [{ name: 'name', value: 'cluster_test' }])).body).toEqual(
      fail("servers_always_on must not exceed the cluster's 2 hosts"),
    );
    expect((await set('Cluster', [{ name: 'drs_mode', value: 'auto' }], [{ name: 'name', value: 'cluster_test' }])).body).toEqual(
      fail('drs_mode must be one of nothing, manual, partiallyAutomated, fullyAutomated'),
    );
  });

  test('ta must not exceed th, against the values in force', async () => {
    const before = await farm();
    expect((await set('Farm', [{ name: 'ta', value: '95' }])).body).toEqual(fail(`ta must not exceed th (${before.th})`));
    expect((await set('Farm', [{ name: 'ta', value: '95' }, { name: 'th', value: '96' }])).body).toEqual({ result: 'ok', rows_affected: 1 });
    expect((await set('Farm', [{ name: 'th', value: '90' }])).body).toEqual(fail('th must not be below ta (95)'));
    expect((await set('Farm', [{ name: 'ta', value: '80' }, { name: 'th', value: '90' }])).body.result).toBe('ok');
  });

  test('a rejected set changes nothing, even its valid parameters', async () => {
    const before = await farm();
    const res = await set('Farm', [
      { name: 'consolidation_on', value: before.consolidation_on === 'true' ? 'false' : 'true' },
      { name: 'ta', value: '150' },
    ]);
    expect(res.body.result).toBe('error');
    expect(await farm()).toEqual(before);
  });

  test('all problems are reported together', async () => {
    const res = await set('Farm', [
      { name: 'colour', value: 'red' },
      { name: 'ta', value: 'x' },
    ]);
    expect(res.body).toEqual(fail('unknown parameter colour; ta must be a number'));
  });

  test('malformed bodies', async () => {
    const post = (body: string) => request(h.app).post('/api/Farm/set').set('ticket', ticket).type('json').send(body);
    expect((await post('{"setList":[')).body).toEqual(fail('malformed JSON in request body'));
    expect((await post('[1,2]')).body).toEqual(fail('request body must be a JSON object with setList and whereList'));
    expect((await post('{}')).body).toEqual(fail('setList is missing; whereList is missing'));
    expect((await post('{"setList":{},"whereList":[]}')).body).toEqual(fail('setList must be a list of {"name","value"} objects; whereList must contain name'));
    expect((await post('{"setList":[{"name":"ta"}],"whereList":[{"name":"name","value":"test_farm"}]}')).body).toEqual(
      fail('setList[0] must be an object with name and value'),
    );
    expect((await post('{"setList":[{"name":"ta","value":"1"}],"whereList":[{"name":"uuid","value":"x"}]}')).body).toEqual(
      fail('unknown condition uuid: only name is allowed'),
    );
    expect(
      (await post('{"setList":[{"name":"ta","value":"1"},{"name":"TA","value":"2"}],"whereList":[{"name":"name","value":"test_farm"}]}')).body,
    ).toEqual(fail('parameter TA is given more than once'));
  });

  test('oversized bodies', async () => {
    const huge = JSON.stringify({ setList: [{ name: 'ta', value: 'x'.repeat(2 * 1024 * 1024) }], whereList: [] });
    const res = await request(h.app).post('/api/Farm/set').set('ticket', ticket).type('json').send(huge);
    expect(res.body).toEqual(fail('request body too large'));
  });

  test('set accepts only POST, and needs a ticket', async () => {
    expect((await request(h.app).get('/api/Farm/set').set('ticket', ticket)).body).toEqual(fail('GET is not allowed here: use POST'));
    expect((await request(h.app).post('/api/Farm/set').send({})).body).toEqual(fail('missing ticket: login first and send the ticket header'));
  });
});

test('settings are domain facts: the core sees what the dialect set', async () => {
  await set('Vm', [{ name: 'migration_enabled', value: 'false' }], [{ name: 'name', value: 'test_vm_1' }]);
  const vm = (await h.rt.services.vms.list({ filter: { field: 'name', op: 'eq', value: 'test_vm_1' } }))[0];
  expect((await h.rt.services.consolidation.vms([vm.id])).get(vm.id)).toEqual({ migrationEnabled: false, clusterMigrationEnabled: true });
});
