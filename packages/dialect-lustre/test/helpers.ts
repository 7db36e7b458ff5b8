import request from 'supertest';
import { FaultPolicy } from '@rosetta/core';
import { TestRuntime, createTestRuntime, dialectApp } from '@rosetta/testing';
import { createLustreRouter } from '../src';

export const SETTINGS = {
  users: [
    { username: 'admin', password: 'lustre', groups: ['superusers'], email: 'admin@localhost' },
    { username: 'viewer', password: 'look', groups: ['filesystem_users'] },
  ],
  allowAnonymousRead: true,
  sessionSecret: 'test-secret',
  sessionTtlSeconds: 3600,
};

export async function lustreApp(options: { anonymousRead?: boolean; faults?: FaultPolicy } = {}) {
  const rt: TestRuntime = await createTestRuntime({ fixture: 'demo', faults: options.faults });
  const router = createLustreRouter({ ...rt.deps, lustre: { ...SETTINGS, allowAnonymousRead: options.anonymousRead ?? true } });
  const app = dialectApp(router, '/lustre');
  return { rt, app, agent: () => request(app) };
}

/** Logs in the way the documented example client does; returns the headers a client then sends. */
export async function login(app: Parameters<typeof request>[0], username = 'admin', password = 'lustre') {
  const first = await request(app).get('/lustre/api/session/');
  const cookies = cookieMap(first.headers['set-cookie']);
  const res = await request(app)
    .post('/lustre/api/session/')
    .set('Cookie', `csrftoken=${cookies.csrftoken}; sessionid=${cookies.sessionid}`)
    .set('X-CSRFToken', cookies.csrftoken)
    .set('Content-Type', 'application/json')
    .send(JSON.stringify({ username, password }));
  const after = cookieMap(res.headers['set-cookie']);
  return { res, csrf: after.csrftoken ?? cookies.csrftoken, cookie: `csrftoken=${after.csrftoken}; sessionid=${after.sessionid}` };
}

export function cookieMap(header: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of (header as string[] | undefined) ?? []) {
    const [pair] = c.split(';');
    const eq = pair.indexOf('=');
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/**
 * The example client's calls against the app `env()` holds once logged in: GET anonymously, POST
 * with the session cookie and CSRF token, PUT with the cookie; bodies sent as JSON text.
 */
export function apiCalls(env: () => { app: Parameters<typeof request>[0] }, auth: () => { cookie: string; csrf: string }) {
  const json = (body: unknown) => JSON.stringify(body);
  return {
    get: (path: string) => request(env().app).get(`/lustre/api/${path}`),
    post: (path: string, body: unknown) =>
      request(env().app).post(`/lustre/api/${path}`).set('Cookie', auth().cookie).set('X-CSRFToken', auth().csrf).set('Content-Type', 'application/json').send(json(body)),
    put: (path: string, body: unknown) => request(env().app).put(`/lustre/api/${path}`).set('Cookie', auth().cookie).set('Content-Type', 'application/json').send(json(body)),
  };
}
