import request from 'supertest';
import { Harness, harness } from './harness';

/** A self-signed test certificate (CN=storeonce.example, O=HPE), valid for a century. */
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBqzCCAVGgAwIBAgIUaT+2usFgs0JlA/zxnJhhqBF1/kwwCgYIKoZIzj0EAwIw\nKjEaMBgGA1UEAwwRc3RvcmVvbmNlLmV4YW1wbGUxDDAKBgNVBAoMA0hQRTAgFw0y\nNjEyMDExMDA0MDlaGA8yMTI2MTEwNzEwMDQwOVowKjEaMBgGA1UEAwwRc3RvcmVv\nbmNlLmV4YW1wbGUxDDAKBgNVBAoMA0hQRTBZMBMGByqGSM49AgEGCCqGSM49AwEH\nA0IABKZBQMfp6fzTm05gFGk6iijiVz0+btyN2nREBBKJAwEQRdIsV5S5Y6eJJitG\nGZ59dnNHJKcGM5MM4x56BMBNWmGjUzBRMB0GA1UdDgQWBBSmJ25lj21xfiYj5sLE\nSTHQK//ngjAfBgNVHSMEGDAWgBSmJ25lj21xfiYj5sLESTHQK//ngjAPBgNVHRMB\nAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQD8xYkV6+OmJ9seoTosIp/QHGlz\nyfVkYOAwQKDQzkeTZQIgfxCiWtn0elyHI5ZkzmwW2xUNvFjGOabLa7DnH72Ds/A=\n-----END CERTIFICATE-----\n';
const SHA1 = '6c6fdf7244bad2d60519d82b98bec75a64431f84';

describe('OmniStack trust store', () => {
  let h: Harness;
  let auth: { Authorization: string };
  beforeAll(async () => {
    h = await harness({});
    auth = { Authorization: `Bearer ${await h.login()}` };
  });
  afterAll(() => h.rt.close());

  it('adds, lists on both paths, reads and deletes a certificate by SHA-1 thumbprint', async () => {
    const added = await request(h.app).post('/api/security/certificates').set(auth).set('Content-Type', 'application/vnd.simplivity.v1.8+json').send(JSON.stringify({ certificate: PEM }));
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ certificate: PEM, hash: SHA1, subject: 'CN=storeonce.example, O=HPE', issuer: 'CN=storeonce.example, O=HPE', serialno: '693fb6bac160b3426503fcf19c9861a81175fe4c' });
    for (const base of ['/api/security/certificates', '/api/certificates']) {
      const list = await request(h.app).get(base).set(auth);
      expect(list.body).toMatchObject({ count: 1, certificates: [{ hash: SHA1 }] });
    }
    expect((await request(h.app).get(`/api/certificates/${SHA1}`).set(auth)).body.certificate).toBe(PEM);
    const dup = await request(h.app).post('/api/certificates').set(auth).send({ certificate: PEM });
    expect(dup.status).toBe(400);
    const junk = await request(h.app).post('/api/certificates').set(auth).send({ certificate: '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----' });
    expect(junk.status).toBe(400);
    expect(junk.body.exception).toBe('com.simplivity.restapi.exceptions.InvalidBodyException');
    expect((await request(h.app).delete(`/api/security/certificates/${SHA1}`).set(auth)).status).toBe(204);
    const gone = await request(h.app).get(`/api/security/certificates/${SHA1}`).set(auth);
    expect(gone.status).toBe(404);
    expect(gone.body.message).toBe(`Object type: certificate id: ${SHA1} could not be found`);
  });
});

describe('OmniStack DER certificate upload', () => {
  let h: Harness;
  let auth: { Authorization: string };
  beforeAll(async () => {
    h = await harness({});
    auth = { Authorization: `Bearer ${await h.login()}` };
  });
  afterAll(() => h.rt.close());

  const DER = Buffer.from(PEM.replace(/-----[A-Z ]+-----|\n/g, ''), 'base64');

  it('takes a DER file from a multipart form (supertest attach, as curl -F does) and answers 201 with the PEM', async () => {
    const res = await request(h.app).post('/api/security/certificates/upload_der_encoded_certificate').set(auth).attach('certificate', DER, 'store.der');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ certificate: PEM, hash: SHA1, subject: 'CN=storeonce.example, O=HPE' });
    expect((await request(h.app).get(`/api/security/certificates/${SHA1}`).set(auth)).status).toBe(200);
    const dup = await request(h.app).post('/api/certificates/upload_der_encoded_certificate').set(auth).attach('certificate', DER, 'store.der');
    expect(dup.status).toBe(400);
    expect(dup.body).toMatchObject({ error_code: '13', message: 'Duplicate name exists.' });
  });

  it.each([
    ['a part with another name', (r: request.Test) => r.attach('file', DER, 'store.der'), 400, 'com.simplivity.restapi.exceptions.InvalidBodyException'],
    ['bytes that are no certificate', (r: request.Test) => r.attach('certificate', Buffer.from('not a certificate'), 'x.der'), 400, 'com.simplivity.restapi.exceptions.InvalidBodyException'],
    ['a JSON body', (r: request.Test) => r.send({ certificate: PEM }), 415, 'org.springframework.web.HttpMediaTypeNotSupportedException'],
    ['no boundary', (r: request.Test) => r.set('Content-Type', 'multipart/form-data').send('x'), 400, 'com.simplivity.restapi.exceptions.InvalidBodyException'],
    ['a body over 1 MiB', (r: request.Test) => r.attach('certificate', Buffer.alloc(1024 * 1024 + 10), 'big.der'), 413, 'com.simplivity.restapi.exceptions.BodyTooLargeException'],
  ])('refuses %s in the vendor shape', async (_what, build, status, exception) => {
    const res = await build(request(h.app).post('/api/security/certificates/upload_der_encoded_certificate').set(auth));
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ exception, status: String(status) });
  });
});

describe('OmniStack external stores', () => {
  let h: Harness;
  let token: string;
  let auth: { Authorization: string };
  beforeAll(async () => {
    h = await harness({ fixture: 'demo' });
    token = await h.login();
    auth = { Authorization: `Bearer ${token}` };
  });
  afterAll(() => h.rt.close());

  const done = async (res: request.Response) => {
    expect(res.status).toBe(202);
    for (let i = 0; i < 50; i++) {
      const t = await request(h.app).get(`/api/tasks/${res.body.task.id}`).set(auth);
      if (t.body.task.state !== 'IN_PROGRESS') return t.body.task;
      await h.rt.jobsIdle();
    }
    throw new Error('task never ended');
  };

  it('registers, lists without the password, re-credits and unregisters a StoreOnce', async () => {
    const cluster = (await request(h.app).get('/api/omnistack_clusters?name=cluster-a').set(auth)).body.omnistack_clusters[0];
    const body = { name: 'so1', omnistack_cluster_id: cluster.id, management_ip: '10.0.9.50', username: 'admin', password: 's3cret', type: 'StoreOnceOnPrem' };
    expect((await done(await request(h.app).post('/api/external_stores').set(auth).set('Content-Type', 'application/vnd.simplivity.v1.11+json').send(JSON.stringify(body)))).state).toBe('COMPLETED');
    const list = await request(h.app).get('/api/external_stores?management_ip=10.0.9.*').set(auth);
    expect(list.body.external_stores).toEqual([
      { name: 'so1', omnistack_cluster_id: cluster.id, cluster_group_ids: [cluster.cluster_group_ids[0]], management_ip: '10.0.9.50', management_port: 9387, storage_port: 9388, type: 'StoreOnceOnPrem' },
    ]);
    expect(JSON.stringify(list.body)).not.toContain('s3cret');
    const dup = await request(h.app).post('/api/external_stores').set(auth).send(body);
    expect(dup.status).toBe(400);
    expect((await request(h.app).post('/api/external_stores').set(auth).send({ ...body, name: 'so2', type: 'Tape' })).status).toBe(400);
    expect((await done(await request(h.app).post('/api/external_stores/update_credentials').set(auth).send({ name: 'so1', username: 'ops', password: 'n3w' }))).state).toBe('COMPLETED');
    expect((await h.rt.services.externalStores.list())[0].username).toBe('ops');
    expect((await request(h.app).post('/api/external_stores/unregister').set(auth).send({ name: 'nope', omnistack_cluster_id: cluster.id })).status).toBe(404);
    expect((await done(await request(h.app).post('/api/external_stores/unregister').set(auth).send({ name: 'so1', omnistack_cluster_id: cluster.id }))).state).toBe('COMPLETED');
    expect((await request(h.app).get('/api/external_stores').set(auth)).body.count).toBe(0);
  });
  it('never persists a store password in a job row (the control plane shows them)', async () => {
    const cluster = (await request(h.app).get('/api/omnistack_clusters?name=cluster-a').set(auth)).body.omnistack_clusters[0];
    const secret = 'Pa55-never-in-jobs';
    const rowsMention = async (text: string) => JSON.stringify(await h.rt.store.repos.jobs.list({})).includes(text);
    const registered = await request(h.app).post('/api/external_stores').set(auth).send({ name: 'so9', omnistack_cluster_id: cluster.id, management_ip: '10.0.9.90', username: 'admin', password: secret });
    expect(registered.status).toBe(202);
    expect(await rowsMention(secret)).toBe(false);
    expect((await done(registered)).state).toBe('COMPLETED');
    const stored = (await h.rt.services.externalStores.list({ filter: { field: 'name', op: 'eq', value: 'so9' } }))[0];
    expect(stored).toMatchObject({ username: 'admin', password: secret });
    const recredited = await request(h.app).post('/api/external_stores/update_credentials').set(auth).send({ name: 'so9', username: 'ops', password: `${secret}-2` });
    expect(await rowsMention(secret)).toBe(false);
    expect((await done(recredited)).state).toBe('COMPLETED');
    expect(await h.rt.services.externalStores.get(stored.id)).toMatchObject({ username: 'ops', password: `${secret}-2` });
    expect(await rowsMention(secret)).toBe(false);
    // Each parked secret is consumed by the step that applied it.
    expect(await h.rt.store.repos.parkedCredentials.count()).toBe(0);
    expect((await done(await request(h.app).post('/api/external_stores/unregister').set(auth).send({ name: 'so9', omnistack_cluster_id: cluster.id }))).state).toBe('COMPLETED');
  });

  it('sweeps a parked secret left by a failed job once it is a day old', async () => {
    const orphan = await h.rt.store.repos.parkedCredentials.insert({ username: 'x', password: 'left-behind' });
    h.rt.clock.advance(2 * 86_400_000);
    token = await h.login();
    auth = { Authorization: `Bearer ${token}` };
    const cluster = (await request(h.app).get('/api/omnistack_clusters?name=cluster-a').set(auth)).body.omnistack_clusters[0];
    const body = { name: 'so10', omnistack_cluster_id: cluster.id, management_ip: '10.0.9.91', username: 'admin', password: 'p' };
    expect((await done(await request(h.app).post('/api/external_stores').set(auth).send(body))).state).toBe('COMPLETED');
    expect(await h.rt.store.repos.parkedCredentials.get(orphan.id)).toBeUndefined();
    expect(await h.rt.store.repos.parkedCredentials.count()).toBe(0);
  });
});
