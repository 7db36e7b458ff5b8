import fs from 'fs';
import http from 'http';
import https from 'https';
import net from 'net';
import os from 'os';
import path from 'path';
import { TestDatabase, startTestGateway } from '@rosetta/testing';
import { Gateway } from './gateway';

type Answer = { status: number; type: string; body: string };

function get(client: typeof http | typeof https, url: string, ca?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    client
      .get(url, { agent: false, ...(ca ? { ca } : {}) }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
      })
      .on('error', reject);
  });
}

/**
 * The IML manager on its own port as its clients reach it: the API over HTTPS and over plain HTTP
 * on the same port, and the CA certificate a client verifies HTTPS with at /certificate/.
 */
describe('Lustre (IML) transport', () => {
  let db: TestDatabase;
  let gateway: Gateway;
  let port: number;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rosetta-lustre-tls-'));

  beforeAll(async () => {
    port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    // No ROSETTA_TLS: the shared port stays plain, the manager's own port speaks both.
    ({ db, gateway } = await startTestGateway({ ROSETTA_DATA_DIR: dataDir, ROSETTA_LUSTRE_PORT: String(port) }));
  });
  afterAll(async () => {
    await gateway.close();
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists both schemes of the own port among the dialect URLs', () => {
    expect(gateway.urls.lustre).toEqual(expect.arrayContaining([`https://127.0.0.1:${port}/api/`, `http://127.0.0.1:${port}/api/`]));
  });

  it('answers the same API over HTTP and over HTTPS verified with the certificate it hands out', async () => {
    const plainCert = await get(http, `http://127.0.0.1:${port}/certificate/`);
    expect(plainCert.status).toBe(200);
    expect(plainCert.body).toContain('-----BEGIN CERTIFICATE-----');
    const overHttp = await get(http, `http://127.0.0.1:${port}/api/host/?limit=1`);
    const overHttps = await get(https, `https://127.0.0.1:${port}/api/host/?limit=1`, plainCert.body);
    expect(overHttp.status).toBe(200);
    expect(overHttp.type).toMatch(/^application\/json/);
    expect(JSON.parse(overHttps.body)).toEqual(JSON.parse(overHttp.body));
    expect(JSON.parse(overHttp.body).meta.total_count).toBeGreaterThan(0);
  });

  it('refuses HTTPS to a client that does not trust the certificate', async () => {
    const outcome = await get(https, `https://127.0.0.1:${port}/api/`).then(
      () => 'answered',
      (err: { code?: string }) => err.code,
    );
    expect(outcome).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
  });
});
