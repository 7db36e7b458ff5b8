import express, { Express } from 'express';
import request from 'supertest';
import { createTestRuntime, TestRuntime } from '@rosetta/testing';
import { requestId } from '@rosetta/http';
import { createNovaComputeRouter, createNovaIdentityRouter, NovaSettings } from '../src';

export const SETTINGS: NovaSettings = {
  users: [
    { name: 'admin', password: 'secret', project: 'admin', roles: ['admin', 'member', 'reader'] },
    { name: 'demo', password: 'secret', project: 'demo', roles: ['member', 'reader'] },
  ],
  region: 'RegionOne',
  tokenTtlSeconds: 3600,
  tokenSecret: 'test-secret',
  flavors: [
    { id: '1', name: 'm1.tiny', vcpus: 1, ramMb: 512, diskGb: 1 },
    { id: '5', name: 'm1.xlarge', vcpus: 8, ramMb: 16384, diskGb: 160 },
    { id: '9', name: 'm1.huge', vcpus: 64, ramMb: 1024 * 1024, diskGb: 10 },
    { id: '7', name: 'm1.half', vcpus: 4, ramMb: 200 * 1024, diskGb: 10 },
  ],
  images: [{ id: '3a1f6e3c-5b0e-4f6a-9a53-1d2c6f0e8b21', name: 'cirros', sizeBytes: 21430272, minDiskGb: 0, minRamMb: 0 }],
};

export interface Harness {
  rt: TestRuntime;
  app: Express;
  adminToken: string;
  demoToken: string;
  adminProject: string;
  close(): Promise<void>;
}

/** Identity and compute mounted as on the shared port, with the demo topology loaded. */
export async function startHarness(fixture: object | undefined, settings: NovaSettings = SETTINGS, stepScale = 0): Promise<Harness> {
  const rt = await createTestRuntime({ fixture, stepScale });
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestId());
  app.use('/openstack/identity', createNovaIdentityRouter({ ...rt.deps, ...settings }));
  app.use('/openstack/compute', createNovaComputeRouter({ ...rt.deps, ...settings }));
  const login = async (user: string) => {
    const res = await request(app)
      .post('/openstack/identity/v3/auth/tokens')
      .send({
        auth: {
          identity: { methods: ['password'], password: { user: { name: user, domain: { name: 'Default' }, password: 'secret' } } },
          scope: { project: { name: user, domain: { name: 'Default' } } },
        },
      });
    if (res.status !== 201) throw new Error(`login ${user}: ${res.status} ${res.text}`);
    return { token: res.headers['x-subject-token'] as string, project: res.body.token.project.id as string };
  };
  const admin = await login('admin');
  const demo = await login('demo');
  return { rt, app, adminToken: admin.token, demoToken: demo.token, adminProject: admin.project, close: () => rt.close() };
}

export const V = '/openstack/compute/v2.1';
