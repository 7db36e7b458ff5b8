import pino from 'pino';
import { loadConfig } from '@rosetta/config';
import { Gateway, startGateway } from '@rosetta/gateway';
import { TestDatabase, createTestDatabase } from './test-database';

export interface TestGateway {
  db: TestDatabase;
  gateway: Gateway;
  close(): Promise<void>;
}

/**
 * The composed gateway on a database of its own (cloned from the migrated template), on a random
 * port, logging nothing: what this repository's end-to-end tests run against. `env` adds to or
 * overrides the defaults (demo fixture, instant steps).
 */
export async function startTestGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  const db = await createTestDatabase();
  const gateway = await startGateway(
    loadConfig({ DATABASE_URL: db.url, HOST: '127.0.0.1', PORT: '0', ROSETTA_FIXTURE: 'demo', ROSETTA_STEP_SECONDS: '0', ...env }),
    pino({ level: 'silent' }),
  );
  return {
    db,
    gateway,
    async close() {
      await gateway.close();
      await db.drop();
    },
  };
}

/** Polls `probe` every 25 ms until it answers something truthy; fails naming `what` after `ms`. */
export async function eventually<T>(probe: () => Promise<T | undefined | null | false>, what = 'condition', ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`${what}: not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function post(url: string, init: RequestInit, expected: number): Promise<Response> {
  const res = await fetch(url, { method: 'POST', ...init });
  if (res.status !== expected) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
  return res;
}

/** Default credentials of each vendor dialect, logged in the way that vendor's clients do. */
export const vendorLogin = {
  /** OmniStack OAuth password grant (HTTP Basic `simplivity:`): the bearer token. */
  async omniStack(baseUrl: string, username = 'administrator@vsphere.local', password = 'svtpassword'): Promise<string> {
    const res = await post(
      `${baseUrl}/omnistack/api/oauth/token`,
      { headers: { Authorization: `Basic ${Buffer.from('simplivity:').toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'password', username, password }).toString() },
      200,
    );
    return ((await res.json()) as { access_token: string }).access_token;
  },
  /** Keystone v3 password auth scoped to the admin project: the X-Subject-Token. */
  async keystone(baseUrl: string, user = 'admin', password = 'secret'): Promise<string> {
    const body = { auth: { identity: { methods: ['password'], password: { user: { name: user, domain: { id: 'default' }, password } } }, scope: { project: { name: user, domain: { id: 'default' } } } } };
    const res = await post(`${baseUrl}/openstack/identity/v3/auth/tokens`, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }, 201);
    return res.headers.get('x-subject-token')!;
  },
  /** Eco4Cloud login ticket. */
  async eco4cloud(baseUrl: string, username = 'admin', password = 'admin'): Promise<string> {
    const res = await fetch(`${baseUrl}/eco4cloud/api/Login?${new URLSearchParams({ username, password })}`);
    if (res.status !== 200) throw new Error(`Eco4Cloud login: ${res.status}`);
    return ((await res.json()) as { ticket: string }).ticket;
  },
};
