import fs from 'fs';
import https from 'https';
import net from 'net';
import tls from 'tls';
import pino from 'pino';
import { loadConfig } from '@rosetta/config';
import { TestDatabase, createTestDatabase } from '@rosetta/testing';
import { Gateway, startGateway } from './gateway';

/**
 * OmniStack on its own port as HPE's clients reach it: HTTPS at /api (the Python SDK speaks nothing
 * else), TLS 1.2 accepted, the generated certificate verified against 127.0.0.1 (the Go SDK checks
 * the SAN), and one keep-alive connection surviving the 10 s pauses of the Ansible modules' polls.
 */
describe('OmniStack transport', () => {
  let db: TestDatabase;
  let gateway: Gateway;
  let port: number;
  const dataDir = `/tmp/rosetta-omnistack-tls-${process.pid}`;
  const baseEnv = () => ({ DATABASE_URL: db.url, PORT: '0', ROSETTA_FIXTURE: 'demo', ROSETTA_STEP_SECONDS: '0', ROSETTA_DATA_DIR: dataDir });
  const freePort = () =>
    new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    port = await freePort();
    // No ROSETTA_TLS: the OmniStack port is HTTPS of its own accord, the shared port stays plain.
    gateway = await startGateway(loadConfig({ ...baseEnv(), ROSETTA_OMNISTACK_PORT: String(port) }), pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await gateway.close();
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  interface Reply {
    status: number;
    body: Record<string, unknown>;
    reusedSocket: boolean;
    protocol: string | null;
  }

  function call(agent: https.Agent, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = https.request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
        let text = '';
        // Read now: a keep-alive agent takes the socket back once the body has ended.
        const protocol = (res.socket as tls.TLSSocket).getProtocol();
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {}, reusedSocket: req.reusedSocket, protocol }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('serves /api over TLS 1.2 with a certificate that verifies for 127.0.0.1', async () => {
    expect(gateway.urls.omnistack).toEqual([expect.stringMatching(/^http:\/\/.*\/omnistack\/api$/), `https://127.0.0.1:${port}/api`]);
    const ca = fs.readFileSync(`${dataDir}/tls/cert.pem`, 'utf8');
    // Hostname checking on (the default): the SAN IP:127.0.0.1 must be in the certificate.
    const agent = new https.Agent({ ca, maxVersion: 'TLSv1.2', minVersion: 'TLSv1.2' });
    const version = await call(agent, 'GET', '/api/version');
    expect(version.status).toBe(200);
    expect(version.protocol).toBe('TLSv1.2');
    expect(version.body).toMatchObject({ REST_API_Version: expect.any(String), SVTFS_Version: expect.any(String) });
    agent.destroy();
  });

  it('keeps one connection open across a 10.5 s pause between polls', async () => {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false });
    const login = await call(
      agent,
      'POST',
      '/api/oauth/token',
      { Authorization: `Basic ${Buffer.from('simplivity:').toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      'grant_type=password&username=administrator%40vsphere.local&password=svtpassword',
    );
    expect(login.status).toBe(200);
    const auth = { Authorization: `Bearer ${login.body.access_token}`, Accept: 'application/vnd.simplivity.v1+json' };
    const hosts = await call(agent, 'GET', '/api/hosts?limit=1', auth);
    expect(hosts.status).toBe(200);
    expect(hosts.reusedSocket).toBe(true);
    await new Promise((r) => setTimeout(r, 10_500));
    const again = await call(agent, 'GET', '/api/hosts?limit=1', auth);
    expect(again.status).toBe(200);
    expect(again.reusedSocket).toBe(true);
    agent.destroy();
  }, 30_000);

  it('serves plain HTTP on its own port when ROSETTA_OMNISTACK_HTTPS=false', async () => {
    const plainPort = await freePort();
    const plain = await startGateway(loadConfig({ ...baseEnv(), ROSETTA_FIXTURE: 'empty', ROSETTA_MIGRATE: 'false', ROSETTA_OMNISTACK_PORT: String(plainPort), ROSETTA_OMNISTACK_HTTPS: 'false' }), pino({ level: 'silent' }));
    try {
      expect(plain.urls.omnistack[1]).toBe(`http://127.0.0.1:${plainPort}/api`);
      const res = await fetch(`http://127.0.0.1:${plainPort}/api/version`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ REST_API_Version: expect.any(String) });
    } finally {
      await plain.close();
    }
  });
});
