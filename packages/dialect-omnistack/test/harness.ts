import request from 'supertest';
import { Express } from 'express';
import { TestRuntime, TestRuntimeOptions, createTestRuntime, dialectApp } from '@rosetta/testing';
import { createOmniStackRouter } from '../src';
import { OmniStackSettings } from '../src/settings';

export const BASIC = `Basic ${Buffer.from('simplivity:').toString('base64')}`;
export const ADMIN = { username: 'administrator@vsphere.local', password: 'svtpassword' };
export const READONLY = { username: 'readonly@vsphere.local', password: 'svtpassword' };
export const PY_CT = 'application/vnd.simplivity.v1.8+json';

export interface Harness {
  rt: TestRuntime;
  app: Express;
  login(user?: { username: string; password: string }): Promise<string>;
}

export async function harness(options: TestRuntimeOptions = { fixture: 'demo' }, settings: Partial<OmniStackSettings> = {}, mount = '/'): Promise<Harness> {
  const rt = await createTestRuntime(options);
  const app = dialectApp(createOmniStackRouter({ ...rt.deps, settings }), mount);
  const prefix = mount === '/' ? '' : mount;
  return {
    rt,
    app,
    async login(user = ADMIN) {
      const res = await request(app)
        .post(`${prefix}/api/oauth/token`)
        .set('Authorization', BASIC)
        .set('Accept', 'application/json')
        .type('form')
        .send({ grant_type: 'password', ...user });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
      return res.body.access_token as string;
    },
  };
}

/** Polls a task the way HPE's Python SDK does, but without real sleeps: jobs run in-process. */
export async function waitTask(h: Harness, token: string, taskId: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const res = await request(h.app).get(`/api/tasks/${taskId}`).set('Authorization', `Bearer ${token}`).set('Content-Type', PY_CT);
    if (res.status !== 200) throw new Error(`task poll ${res.status} ${res.text}`);
    if (res.body.task.state !== 'IN_PROGRESS') return res.body.task;
    await h.rt.jobsIdle();
  }
  throw new Error('task never finished');
}
