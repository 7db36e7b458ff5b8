import { ChildProcess, execFile, spawn } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import https from 'https';
import { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import selfsigned from 'selfsigned';
import { createTestDatabase, createTestRuntime, dialectApp, TestDatabase, TestRuntime } from '@rosetta/testing';
import { createLustreRouter } from '../src';
import { SETTINGS } from './helpers';

const python = (script: string, base: string, dir: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const env = { ...process.env };
    // requests lets this variable override a session's own verify setting.
    delete env.REQUESTS_CA_BUNDLE;
    delete env.CURL_CA_BUNDLE;
    execFile('python3', [path.join(__dirname, 'clients', script), base, 'admin', 'lustre'], { cwd: dir, env, timeout: 60_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });

/** Real Python clients (python3-requests) against the dialect over HTTPS, as the manager serves it. */
describe('Python clients', () => {
  let rt: TestRuntime;
  let server: https.Server;
  let base: string;
  let dir: string;

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
    const out = await python('example_client.py', base, dir);
    const lines = out.trim().split('\n');
    expect(lines[1]).toBe('Stored chroma CA certificate at chroma.ca');
    const fqdns = JSON.parse(lines[2]) as string[];
    expect(fqdns.length).toBeGreaterThan(3);
    expect(fqdns).toContain('node-a1');
  });

  it('creates, stops, starts and removes a filesystem the way the CLI does', async () => {
    const out = await python('filesystem_client.py', base, dir);
    expect(JSON.parse(out.trim())).toEqual(['available', 'stopped', 'available', 404]);
  });
});

/**
 * The gateway as shipped: ROSETTA_TLS=true makes it generate its own certificate, which it serves
 * at /certificate/ and which python-requests must then accept as the CA (`verify=chroma.ca`).
 */
describe('example client against the gateway with its generated certificate', () => {
  let db: TestDatabase;
  let gateway: ChildProcess;
  let dir: string;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(path.join(os.tmpdir(), 'lustre-gateway-'));
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.url, REDIS_URL: '', HOST: '127.0.0.1', PORT: '0', ROSETTA_TLS: 'true' };
    Object.assign(env, { ROSETTA_DATA_DIR: dir, ROSETTA_FIXTURE: 'demo', ROSETTA_STEP_SECONDS: '0', LOG_LEVEL: 'error', ROSETTA_LUSTRE_PORT: '', ROSETTA_TLS_CERT: '', ROSETTA_TLS_KEY: '' });
    gateway = spawn(process.execPath, [path.resolve(__dirname, '../../../apps/gateway/dist/main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output}`)), 60_000);
      const read = (chunk: Buffer): void => {
        output += chunk.toString();
        const found = /Rosetta is serving on (https:\/\/\S+)/.exec(output);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]);
        }
      };
      gateway.stdout!.on('data', read);
      gateway.stderr!.on('data', read);
      gateway.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`gateway exited (${code}):\n${output}`));
      });
    });
    base = `${url}/lustre/`;
  });
  afterAll(async () => {
    if (gateway && gateway.exitCode === null) {
      await new Promise<void>((resolve) => {
        gateway.once('exit', () => resolve());
        gateway.kill('SIGTERM');
      });
    }
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('downloads the CA, then verifies every later request against it', async () => {
    const out = await python('example_client.py', base, dir);
    const lines = out.trim().split('\n');
    expect(lines[1]).toBe('Stored chroma CA certificate at chroma.ca');
    expect(JSON.parse(lines[2])).toContain('node-a1');
  });
});
