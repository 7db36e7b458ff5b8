import request from 'supertest';
import { Harness, READONLY, harness, waitTask } from './harness';

const EX = 'com.simplivity.restapi.exceptions.';
const NOWHERE = '00000000-0000-4000-8000-000000000000';

type Task = Record<string, unknown>;
const affectedId = (t: Task) => (t.affected_objects as { object_id: string }[])[0].object_id;

function client(h: Harness, token: string) {
  const auth = { Authorization: `Bearer ${token}` };
  const get = (path: string) => request(h.app).get(path).set(auth);
  const post = (path: string, body?: unknown, type = 'application/vnd.simplivity.v1.9+json') => {
    const r = request(h.app).post(path).set(auth).set('Content-Type', type);
    return body === undefined ? r : r.send(typeof body === 'string' ? body : JSON.stringify(body));
  };
  return { get, post };
}

describe('OmniStack backup cancel (steps on a frozen clock)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ fixture: 'demo', stepScale: 1 });
  });
  afterAll(() => h.rt.close());

  /** Lets the in-process jobs reach their next sleep after the clock moved. */
  const settle = () => new Promise((r) => setTimeout(r, 250));

  it('cancels a backup being taken: the backup ends CANCELED, the backup task FAILED', async () => {
    h.rt.clock.freeze();
    const token = await h.login();
    const { get, post } = client(h, token);
    const vm = (await get('/api/virtual_machines?name=web-01')).body.virtual_machines[0];
    const started = await post(`/api/virtual_machines/${vm.id}/backup`, { backup_name: 'to-cancel' });
    expect(started.status).toBe(202);
    const backupTask = started.body.task.id as string;
    const backupId = (await h.rt.services.jobs.get(backupTask.split(':').pop()!)).affected[0].id;

    // Before the snapshot step commits there is no backup yet.
    expect((await post(`/api/backups/${backupId}/cancel`)).status).toBe(404);
    await settle();
    h.rt.clock.advance(2_000);
    await settle();
    expect((await get(`/api/backups/${backupId}`)).body.backup.state).toBe('SAVING');

    const cancel = await post(`/api/backups/${backupId}/cancel`);
    expect(cancel.status).toBe(202);
    expect(cancel.body.task).toMatchObject({ state: 'IN_PROGRESS', affected_objects: [] });
    await settle();
    h.rt.clock.advance(1_000);
    await settle();
    expect((await get(`/api/backups/${backupId}`)).body.backup.state).toBe('CANCELING');
    h.rt.clock.advance(5_000);
    await settle();
    await h.rt.jobsIdle();

    const cancelTask = (await get(`/api/tasks/${cancel.body.task.id}`)).body.task;
    expect(cancelTask).toMatchObject({ state: 'COMPLETED', affected_objects: [{ object_type: 'backup', object_id: backupId }] });
    const backup = (await get(`/api/tasks/${backupTask}`)).body.task;
    expect(backup).toMatchObject({ state: 'FAILED', error_code: 130, message: 'The backup was canceled.' });
    expect((await get(`/api/backups/${backupId}`)).body.backup.state).toBe('CANCELED');
    expect((await get(`/api/backups?state=CANCELED&name=to-cancel`)).body.count).toBe(1);
    expect((await get(`/api/backups?state=PROTECTED&name=to-cancel`)).body.count).toBe(0);
    // A canceled backup holds nothing to browse or restore.
    const browse = await get(`/api/backups/${backupId}/virtual_disks`);
    expect(browse.status).toBe(400);
    expect(browse.body).toMatchObject({ exception: 'com.simplivity.rpc.common.TaskException', error_code: '130' });
    h.rt.clock.unfreeze();
  });

  it('refuses to cancel a finished backup, an unknown one, and a read-only user', async () => {
    h.rt.clock.freeze();
    const token = await h.login();
    const { get, post } = client(h, token);
    const vm = (await get('/api/virtual_machines?name=db-01')).body.virtual_machines[0];
    const started = await post(`/api/virtual_machines/${vm.id}/backup`, { backup_name: 'finished' });
    // Each step sleeps from its own start: snapshot 2 s, then protect 3 s.
    await settle();
    h.rt.clock.advance(2_000);
    await settle();
    h.rt.clock.advance(3_000);
    await settle();
    await h.rt.jobsIdle();
    const done = await waitTask(h, token, started.body.task.id);
    expect(done.state).toBe('COMPLETED');
    const finished = await post(`/api/backups/${affectedId(done)}/cancel`);
    expect(finished.status).toBe(400);
    expect(finished.body).toMatchObject({ exception: 'com.simplivity.rpc.common.TaskException', error_code: '130', status: '400', path: `/api/backups/${affectedId(done)}/cancel` });
    expect(finished.body.message).toMatch(/only a backup being taken can be canceled/);

    const unknown = await post(`/api/backups/${NOWHERE}/cancel`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ exception: `${EX}ObjectNotFoundException`, message: `Object type: backup id: ${NOWHERE} could not be found` });

    const ro = client(h, await h.login(READONLY));
    const refused = await ro.post(`/api/backups/${affectedId(done)}/cancel`);
    expect(refused.status).toBe(400);
    expect(refused.body.exception).toBe(`${EX}PermissionDeniedException`);
    h.rt.clock.unfreeze();
  });
});

describe('OmniStack backup unique size, file browsing and file restore', () => {
  let h: Harness;
  let token: string;
  let api: ReturnType<typeof client>;
  let vm: Record<string, string>;
  let first: string;
  let second: string;

  const task = async (res: request.Response): Promise<Task> => {
    expect(res.status).toBe(202);
    return waitTask(h, token, res.body.task.id);
  };

  beforeAll(async () => {
    h = await harness({ fixture: 'demo' });
    h.rt.clock.freeze();
    token = await h.login();
    api = client(h, token);
    vm = (await api.get('/api/virtual_machines?name=web-01')).body.virtual_machines[0];
    first = affectedId(await task(await api.post(`/api/virtual_machines/${vm.id}/backup`, { backup_name: 'files-1' })));
    h.rt.clock.advance(6 * 3_600_000);
    token = await h.login();
    api = client(h, token);
    second = affectedId(await task(await api.post(`/api/virtual_machines/${vm.id}/backup`, { backup_name: 'files-2' })));
  });
  afterAll(() => h.rt.close());

  it('calculates unique sizes: all of the first backup, the blocks written since for the next', async () => {
    const before = (await api.get(`/api/backups/${second}`)).body.backup;
    expect(before).toMatchObject({ unique_size_bytes: 0, unique_size_timestamp: 'NA', size: 40 * 1024 ** 3 });
    const done = await task(await api.post(`/api/backups/${second}/calculate_unique_size`));
    expect(done).toMatchObject({ state: 'COMPLETED', affected_objects: [{ object_type: 'backup', object_id: second }] });
    const after = (await api.get(`/api/backups/${second}`)).body.backup;
    expect(after.unique_size_bytes).toBeGreaterThan(0);
    // Writes land in the VM's hot set (a tenth of its disk): never more unique than that.
    expect(after.unique_size_bytes).toBeLessThanOrEqual(4 * 1024 ** 3);
    expect(after.unique_size_timestamp).toBe(h.rt.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z'));

    await task(await api.post(`/api/backups/${first}/calculate_unique_size`, ''));
    expect((await api.get(`/api/backups/${first}`)).body.backup.unique_size_bytes).toBe(40 * 1024 ** 3);
    // The unique size filters and sorts in SQL.
    const big = await api.get(`/api/backups?unique_size_bytes_min=${40 * 1024 ** 3}&virtual_machine_id=${vm.id}`);
    expect(big.body.backups.map((b: { id: string }) => b.id)).toEqual([first]);
    const sorted = await api.get(`/api/backups?virtual_machine_id=${vm.id}&name=files-*&sort=unique_size_bytes&order=ascending`);
    expect(sorted.body.backups.map((b: { id: string }) => b.id)).toEqual([second, first]);
  });

  it('refuses to calculate for unknown backups', async () => {
    const res = await api.post(`/api/backups/${NOWHERE}/calculate_unique_size`);
    expect(res.status).toBe(404);
    expect(res.body.exception).toBe(`${EX}ObjectNotFoundException`);
  });

  it('lists virtual disks, partitions and files derived from the VM', async () => {
    const disks = await api.get(`/api/backups/${first}/virtual_disks`);
    expect(disks.status).toBe(200);
    expect(disks.body).toEqual({ virtual_disks: ['web-01.vmdk'] });

    const parts = await api.get(`/api/backups/${first}/virtual_disk_partitions?virtual_disk=web-01.vmdk`);
    expect(parts.body.partitions).toEqual([
      { partition_number: 1, size: 1024 ** 3, disk_type: 'BIOS', mountable: true },
      { partition_number: 2, size: 37 * 1024 ** 3, disk_type: 'BIOS', mountable: true },
      { partition_number: 3, size: 2 * 1024 ** 3, disk_type: 'BIOS', mountable: false },
    ]);

    // PY's exact query string.
    const boot = await api.get(`/api/backups/${first}/virtual_disk_partition_files?file_path=%2F&partition_number=1&virtual_disk=web-01.vmdk`);
    expect(boot.status).toBe(200);
    const grub = boot.body.virtual_disk_partition_files.find((f: { name: string }) => f.name === 'grub');
    expect(grub).toEqual({ name: 'grub', directory: true, symbolic_link: false, size: 4096, last_modified: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), file_level_restore_available: true });
    const link = boot.body.virtual_disk_partition_files.find((f: { name: string }) => f.name === 'vmlinuz');
    expect(link).toMatchObject({ symbolic_link: true, file_level_restore_available: false });

    const logs = await api.get(`/api/backups/${first}/virtual_disk_partition_files?virtual_disk=web-01.vmdk&partition_number=2&file_path=/var/log`);
    expect(logs.body.virtual_disk_partition_files.map((f: { name: string }) => f.name)).toEqual(['auth.log', 'kern.log', 'syslog']);
    // Files are older than the backup that holds them, and the same in every call.
    for (const f of logs.body.virtual_disk_partition_files) expect(Date.parse(f.last_modified)).toBeLessThanOrEqual(Date.parse((await api.get(`/api/backups/${first}`)).body.backup.created_at) + 999);
    const again = await api.get(`/api/backups/${first}/virtual_disk_partition_files?virtual_disk=web-01.vmdk&partition_number=2&file_path=/var/log`);
    expect(again.body).toEqual(logs.body);
    // A later backup of the VM holds the same files, with later times.
    const later = await api.get(`/api/backups/${second}/virtual_disk_partition_files?virtual_disk=web-01.vmdk&partition_number=2&file_path=/var/log`);
    expect(later.body.virtual_disk_partition_files.map((f: { size: number }) => f.size)).toEqual(logs.body.virtual_disk_partition_files.map((f: { size: number }) => f.size));
    expect(later.body.virtual_disk_partition_files[0].last_modified).not.toBe(logs.body.virtual_disk_partition_files[0].last_modified);
  });

  it.each([
    ['virtual_disk_partitions', '', 400, 'org.springframework.web.bind.MissingServletRequestParameterException', "Required String parameter 'virtual_disk' is not present"],
    ['virtual_disk_partitions', '?virtual_disk=other.vmdk', 404, `${EX}ObjectNotFoundException`, 'Object type: virtual_disk id: other.vmdk could not be found'],
    ['virtual_disk_partition_files', '?virtual_disk=web-01.vmdk&partition_number=abc', 400, 'org.springframework.beans.TypeMismatchException', expect.stringContaining('For input string: "abc"')],
    ['virtual_disk_partition_files', '?virtual_disk=web-01.vmdk', 400, 'org.springframework.web.bind.MissingServletRequestParameterException', "Required String parameter 'partition_number' is not present"],
    ['virtual_disk_partition_files', '?virtual_disk=web-01.vmdk&partition_number=9', 404, `${EX}ObjectNotFoundException`, 'Object type: partition id: 9 could not be found'],
    ['virtual_disk_partition_files', '?virtual_disk=web-01.vmdk&partition_number=2&file_path=/nope', 404, `${EX}ObjectNotFoundException`, 'Object type: file id: /nope could not be found'],
    ['virtual_disk_partition_files', '?virtual_disk=web-01.vmdk&partition_number=2&file_path=/etc/hostname', 400, `${EX}InvalidParameterException`, '/etc/hostname is not a directory'],
    ['virtual_disk_partition_files', '?virtual_disk=web-01.vmdk&partition_number=3&file_path=/', 400, 'com.simplivity.rpc.common.TaskException', expect.stringContaining('(swap)')],
  ])('answers bad browsing %s%s with %i %s', async (what, query, status, exception, message) => {
    const res = await api.get(`/api/backups/${first}/${what}${query}`);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ exception, message, status: String(status) });
  });

  it('answers browsing of an unknown backup with 404', async () => {
    const res = await api.get(`/api/backups/${NOWHERE}/virtual_disks`);
    expect(res.status).toBe(404);
    expect(res.body.message).toBe(`Object type: backup id: ${NOWHERE} could not be found`);
  });

  it('restores files into a running VM; a stopped VM fails the task with HPE power-state error', async () => {
    const paths = ['web-01.vmdk/2/etc/hostname', 'web-01.vmdk/2/var/log/syslog'];
    const done = await task(await api.post(`/api/backups/${first}/restore_files`, { virtual_machine_id: vm.id, paths }));
    expect(done).toMatchObject({ state: 'COMPLETED', affected_objects: [{ object_type: 'virtual_machine', object_id: vm.id }], percent_complete: 100 });
    const job = await h.rt.services.jobs.get(String(done.id).split(':').pop()!);
    expect(job.steps.map((s) => [s.name, s.state])).toEqual([
      ['mount backup', 'succeeded'],
      ['copy files to virtual machine', 'succeeded'],
    ]);
    expect(job.result).toMatchObject({ restoredFiles: 2 });

    const stopped = (await api.get('/api/virtual_machines?name=batch-01')).body.virtual_machines[0];
    const failed = await task(await api.post(`/api/backups/${first}/restore_files`, { virtual_machine_id: stopped.id, paths }));
    expect(failed).toMatchObject({ state: 'FAILED', error_code: 130, message: 'The VM power state is not acceptable.', error_message: 'The VM power state is not acceptable.' });
  });

  it.each([
    ['an unknown file', { paths: ['web-01.vmdk/2/etc/shadow-nope'] }, 400, `${EX}InvalidBodyException`],
    ['a symbolic link', { paths: ['web-01.vmdk/1/vmlinuz'] }, 400, `${EX}InvalidBodyException`],
    ['paths that are not a list', { paths: 'web-01.vmdk/2/etc/hostname' }, 400, `${EX}InvalidBodyException`],
    ['no paths', { paths: [] }, 400, `${EX}InvalidBodyException`],
    ['a number for a path', { paths: [7] }, 400, `${EX}InvalidBodyException`],
    ['no VM', { vm: null, paths: ['web-01.vmdk/2/etc/hostname'] }, 400, `${EX}InvalidBodyException`],
    ['an unknown VM', { vm: NOWHERE, paths: ['web-01.vmdk/2/etc/hostname'] }, 404, `${EX}ObjectNotFoundException`],
  ])('refuses to restore %s at once', async (_what, input, status, exception) => {
    const body = { virtual_machine_id: 'vm' in input ? input.vm : vm.id, paths: input.paths };
    const res = await api.post(`/api/backups/${first}/restore_files`, body);
    expect(res.status).toBe(status);
    expect(res.body.exception).toBe(exception);
  });

  it('copies backups to an external store registered with their cluster, and backs up straight to one', async () => {
    const clusters = (await api.get('/api/omnistack_clusters?sort=name&order=ascending')).body.omnistack_clusters;
    const register = (name: string, cluster: string, type: string) =>
      api.post('/api/external_stores', { name, omnistack_cluster_id: cluster, management_ip: '10.9.9.9', username: 'so', password: 'pw', type }, 'application/vnd.simplivity.v1.11+json');
    expect((await task(await register('so-1', clusters[0].id, 'StoreOnceOnPrem'))).state).toBe('COMPLETED');
    expect((await task(await register('so-cloud', clusters[1].id, 'StoreOnceCloud'))).state).toBe('COMPLETED');

    const copied = await task(await api.post(`/api/backups/${first}/copy`, { external_store_name: 'so-1' }, 'application/vnd.simplivity.v1.5+json'));
    expect(copied.state).toBe('COMPLETED');
    const copy = (await api.get(`/api/backups/${affectedId(copied)}`)).body.backup;
    expect(copy).toMatchObject({ name: 'files-1', external_store_name: 'so-1', backup_store_type: 'StoreOnceOnPrem', omnistack_cluster_name: clusters[0].name, virtual_machine_id: vm.id });
    expect((await api.get(`/api/backups/${first}`)).body.backup).toMatchObject({ external_store_name: null, backup_store_type: 'SimplivityStore' });

    // Filters on the store run in SQL.
    expect((await api.get('/api/backups?backup_store_type=StoreOnceOnPrem')).body.backups.map((b: { id: string }) => b.id)).toEqual([copy.id]);
    expect((await api.get('/api/backups?external_store_name=so-*')).body.count).toBe(1);
    expect((await api.get('/api/backups?backup_store_type=SimplivityStore&name=files-1')).body.backups.map((b: { id: string }) => b.id)).toEqual([first]);
    expect((await api.get('/api/backups?backup_store_type=StoreOnceCloud')).body.count).toBe(0);
    expect((await api.get('/api/backups?backup_store_type=Tape')).status).toBe(400);

    const direct = await task(await api.post(`/api/virtual_machines/${vm.id}/backup`, { backup_name: 'to-store', external_store_name: 'so-1' }, 'application/vnd.simplivity.v1.5+json'));
    expect((await api.get(`/api/backups/${affectedId(direct)}`)).body.backup).toMatchObject({ external_store_name: 'so-1', backup_store_type: 'StoreOnceOnPrem' });

    const elsewhere = await api.post(`/api/backups/${first}/copy`, { external_store_name: 'so-cloud' });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body).toMatchObject({ exception: `${EX}InvalidBodyException`, message: expect.stringContaining('not registered with the cluster') });
    const unknown = await api.post(`/api/backups/${first}/copy`, { external_store_name: 'nope' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('Object type: external_store id: nope could not be found');
    const again = await api.post(`/api/backups/${copy.id}/copy`, { external_store_name: 'so-1' });
    expect(again.status).toBe(400);
    expect(again.body.error_code).toBe('130');
    const unknownOnBackup = await api.post(`/api/virtual_machines/${vm.id}/backup`, { backup_name: 'x', external_store_name: 'nope' });
    expect(unknownOnBackup.status).toBe(404);
  });

  it('answers malformed JSON, a read-only user and an unknown backup in the vendor shape', async () => {
    const bad = await api.post(`/api/backups/${first}/restore_files`, '{"virtual_machine_id": ');
    expect(bad.status).toBe(400);
    expect(bad.body.exception).toBe('org.springframework.http.converter.HttpMessageNotReadableException');
    const ro = client(h, await h.login(READONLY));
    const refused = await ro.post(`/api/backups/${first}/restore_files`, { virtual_machine_id: vm.id, paths: ['web-01.vmdk/2/etc/hostname'] });
    expect(refused.status).toBe(400);
    expect(refused.body.exception).toBe(`${EX}PermissionDeniedException`);
    const unknown = await api.post(`/api/backups/${NOWHERE}/restore_files`, { virtual_machine_id: vm.id, paths: ['web-01.vmdk/2/etc/hostname'] });
    expect(unknown.status).toBe(404);
  });
});

describe('OmniStack strict media types on the new backup calls', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ fixture: 'demo' }, { strictMediaTypes: true });
  });
  afterAll(() => h.rt.close());

  it.each([
    ['calculate_unique_size', 'application/vnd.simplivity.v1.5+json', 415],
    ['calculate_unique_size', 'application/vnd.simplivity.v1.7+json', 202],
    ['restore_files', 'application/vnd.simplivity.v1.8+json', 415],
  ])('%s with %s answers %i', async (action, type, status) => {
    const token = await h.login();
    const { get, post } = client(h, token);
    const vm = (await get('/api/virtual_machines?name=web-01')).body.virtual_machines[0];
    const done = await waitTask(h, token, (await post(`/api/virtual_machines/${vm.id}/backup`, { backup_name: `strict-${action}` }, 'application/vnd.simplivity.v1.5+json')).body.task.id);
    const backupId = affectedId(done);
    const body = action === 'restore_files' ? { virtual_machine_id: vm.id, paths: ['web-01.vmdk/2/etc/hostname'] } : {};
    const res = await post(`/api/backups/${backupId}/${action}`, body, type);
    expect(res.status).toBe(status);
    if (status === 415) expect(res.body).toMatchObject({ exception: 'org.springframework.web.HttpMediaTypeNotSupportedException', status: '415', message: `Content type '${type}' not supported` });
  });
});
