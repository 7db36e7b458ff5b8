import { execFile } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import https from 'https';
import { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import selfsigned from 'selfsigned';
import { createTestRuntime, dialectApp, TestRuntime } from '@rosetta/testing';
import { createLustreRouter } from '../src';
import { SETTINGS } from './helpers';

/** Real Python clients (python3-requests) against the dialect over HTTPS, as the manager serves it. */
describe('Python clients', () => {
  let rt: TestRuntime;
  let server: https.Server;
  let base: string;
  let dir: string;

  const python = (script: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const env = { ...process.env };
      // requests lets this variable override a session's own verify setting.
      delete env.REQUESTS_CA_BUNDLE;
      delete env.CURL_CA_BUNDLE;
      execFile('python3', [path.join(__dirname, 'clients', script), base, 'admin', 'lustre'], { cwd: dir, env, timeout: 60_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
      );
    });

  beforeAll(async () => {
    rt = await createTestRuntime({ fixture: 'demo' });
    dir = mkdtempSync(path.join(os.tmpdir(), 'lustre-client-'));
    const pems = selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
      keySize: 2048,
      days: 30,
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
      ],
    });
    const certificateFile = path.join(dir, 'server.pem');
    writeFileSync(certificateFile, pems.cert);
    const app = dialectApp(createLustreRouter({ ...rt.deps, lustre: SETTINGS, certificateFile }), '/lustre');
    server = https.createServer({ cert: pems.cert, key: pems.private }, app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}/lustre/`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rt.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the documented example client: CA download, session, CSRF, login, host list', async () => {
    const out = await python('example_client.py');
    const lines = out.trim().split('\n');
    expect(lines[1]).toBe('Stored chroma CA certificate at chroma.ca');
    const fqdns = JSON.parse(lines[2]) as string[];
    expect(fqdns.length).toBeGreaterThan(3);
    expect(fqdns).toContain('node-a1');
  });

  it('creates, stops, starts and removes a filesystem the way the CLI does', async () => {
    const out = await python('filesystem_client.py');
    expect(JSON.parse(out.trim())).toEqual(['available', 'stopped', 'available', 404]);
  });
});
