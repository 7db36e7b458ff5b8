import fs from 'fs';
import http from 'http';
import https from 'https';
import os from 'os';
import path from 'path';
import type { AddressInfo } from 'net';
import type { TLSSocket } from 'tls';
import { dualProtocolServer } from './dual-protocol';
import { loadTls } from './tls';

type Answer = { status: number; body: string };

function fetchOver(client: typeof http | typeof https, url: string, options: https.RequestOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    client
      .get(url, { ...options, agent: false }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('one port for HTTPS and HTTP', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rosetta-dual-'));
  const tls = loadTls(dir);
  const server = dualProtocolServer((req, res) => {
    res.end(`${(req.socket as TLSSocket).encrypted ? 'https' : 'http'} ${req.method} ${req.url}`);
  }, tls);
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => {
      server.close(resolve);
      server.closeIdleConnections();
    });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers plain HTTP on it', async () => {
    expect(await fetchOver(http, `http://127.0.0.1:${port}/api/host/`)).toEqual({ status: 200, body: 'http GET /api/host/' });
  });

  it('answers HTTPS on it with the certificate, which a client verifies against that certificate', async () => {
    expect(await fetchOver(https, `https://127.0.0.1:${port}/api/session/`, { ca: tls.cert })).toEqual({ status: 200, body: 'https GET /api/session/' });
  });

  it('refuses TLS older than 1.2, as the HTTPS-only ports do', async () => {
    const outcome = await fetchOver(https, `https://127.0.0.1:${port}/`, { ca: tls.cert, maxVersion: 'TLSv1.1', minVersion: 'TLSv1' }).then(
      (answer) => ({ answer }),
      (err: Error & { code?: string }) => ({ code: err.code, message: err.message }),
    );
    expect(outcome).not.toHaveProperty('answer');
    expect(JSON.stringify(outcome)).toMatch(/protocol|version|alert/i);
  });

  it('serves both schemes on one connection each, many at once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? fetchOver(https, `https://127.0.0.1:${port}/${i}`, { ca: tls.cert }) : fetchOver(http, `http://127.0.0.1:${port}/${i}`))),
    );
    expect(answers.map((a) => a.body)).toEqual(Array.from({ length: 20 }, (_, i) => `${i % 2 ? 'https' : 'http'} GET /${i}`));
  });
});
