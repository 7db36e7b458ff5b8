import request from 'supertest';
import { Express } from 'express';
import { TestRuntime, createTestRuntime, dialectApp } from '@rosetta/testing';
import { createEco4CloudRouter } from '../src/index';

export const USERS = [
  { name: 'admin', password: 'e4c-secret', readOnly: false },
  { name: 'viewer', password: 'look-only', readOnly: true },
];
export const SECRET = 'shared-ticket-secret';

export interface Harness {
  rt: TestRuntime;
  app: Express;
  login(user?: string, password?: string): Promise<string>;
}

/** A domain on its own database, the dialect mounted as the gateway mounts it, a frozen clock. */
export async function harness(fixture: object, mountPath = '/'): Promise<Harness> {
  const rt = await createTestRuntime({ fixture });
  rt.clock.freeze();
  const app = dialectApp(createEco4CloudRouter({ ...rt.deps, users: USERS, ticketMinutes: 60, ticketSecret: SECRET }), mountPath);
  const prefix = mountPath === '/' ? '' : mountPath;
  return {
    rt,
    app,
    async login(user = 'admin', password = 'e4c-secret') {
      const res = await request(app).get(`${prefix}/api/Login`).query({ username: user, password });
      if (res.body.result !== 'ok') throw new Error(`login failed: ${JSON.stringify(res.body)}`);
      return res.body.ticket as string;
    },
  };
}

/** The document's example topology: farm test_farm, cluster cluster_test, test_host_1 ... */
export const EXAMPLE_FIXTURE = {
  seed: 'eco4cloud-doc',
  sites: [
    {
      name: 'test_farm',
      clusters: [
        {
          name: 'cluster_test',
          datastores: [
            { name: 'test_datastore_1', capacityGiB: 1024 },
            { name: 'test_datastore_2', capacityGiB: 1024 },
          ],
          hosts: [
            {
              name: 'test_host_1',
              cpuCores: 8,
              cpuMhz: 2266,
              memoryGiB: 24,
              powerIdleWatts: 100,
              powerMaxWatts: 300,
              vms: [{ name: 'test_vm_1', state: 'running', cpuCount: 8, memoryMiB: 3072, diskGiB: 10, datastore: 'test_datastore_1' }],
            },
            { name: 'test_host_4', cpuCores: 8, cpuMhz: 2266, memoryGiB: 24, power: 'off', state: 'down', ipmi: { address: '10.0.9.4', username: 'ADMIN', password: 'ipmi-pw-4' } },
          ],
        },
      ],
    },
    { name: 'other_farm', clusters: [{ name: 'other_cluster', hosts: [{ name: 'other_host' }] }] },
  ],
};
