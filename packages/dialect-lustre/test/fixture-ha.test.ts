import request from 'supertest';
import { assertValidFixture } from '@rosetta/core';
import { createTestRuntime, dialectApp } from '@rosetta/testing';
import { createLustreRouter } from '../src';
import { SETTINGS } from './helpers';

const FIXTURE = {
  seed: 'ha-pair',
  sites: [
    {
      name: 'dc',
      clusters: [
        {
          name: 'pair',
          hosts: [
            { name: 'oss1', address: '10.0.0.1', devices: [{ name: '/dev/sdb', sizeGiB: 100, kind: 'lun', serial: 'LUN-B', alsoOn: [{ host: 'oss2', path: '/dev/mapper/lunb' }] }] },
            { name: 'oss2', address: '10.0.0.2' },
          ],
        },
      ],
    },
  ],
};

describe('shared LUNs from a fixture', () => {
  it('loads a LUN zoned to both servers of a pair as a configured-ha volume', async () => {
    const rt = await createTestRuntime({ fixture: FIXTURE });
    try {
      const app = dialectApp(createLustreRouter({ ...rt.deps, lustre: SETTINGS }), '/lustre');
      const volumes = (await request(app).get('/lustre/api/volume/')).body.objects;
      expect(volumes).toHaveLength(1);
      expect(volumes[0]).toMatchObject({ label: 'LUN-B', status: 'configured-ha', kind: 'iSCSI LUN' });
      expect(volumes[0].volume_nodes.map((n: { host_label: string; path: string; primary: boolean }) => [n.host_label, n.path, n.primary])).toEqual([
        ['oss1', '/dev/sdb', true],
        ['oss2', '/dev/mapper/lunb', false],
      ]);
    } finally {
      await rt.close();
    }
  });

  it('reports paths to unknown hosts, or to the device\'s own host, with their JSON path', () => {
    const bad = JSON.parse(JSON.stringify(FIXTURE));
    bad.sites[0].clusters[0].hosts[0].devices[0].alsoOn = [{ host: 'nowhere' }, { host: 'oss1' }, { path: '/x' }];
    expect(() => assertValidFixture(bad)).toThrow(
      expect.objectContaining({
        details: expect.objectContaining({
          fields: expect.arrayContaining([
            expect.objectContaining({ field: '$.sites[0].clusters[0].hosts[0].devices[0].alsoOn[0].host', problem: 'names no host of the fixture' }),
            expect.objectContaining({ field: '$.sites[0].clusters[0].hosts[0].devices[0].alsoOn[1].host', problem: "is the device's own host" }),
            expect.objectContaining({ field: '$.sites[0].clusters[0].hosts[0].devices[0].alsoOn[2].host' }),
          ]),
        }),
      }),
    );
  });
});
