import { loadHeketiConfig } from './heketi';

describe('loadHeketiConfig', () => {
  test("defaults are Heketi's", () => {
    expect(loadHeketiConfig({})).toEqual({
      auth: true,
      adminKey: 'My Secret',
      userKey: 'My Secret',
      iatLeewaySeconds: 120,
      maxInflightOperations: 8,
      deviceSizeGb: 500,
      zoneChecking: 'none',
      defaultState: 'normal',
      preRequestVolumeOptions: '',
      postRequestVolumeOptions: '',
      autoCreateBlockHostingVolume: false,
      blockHostingVolumeSizeGb: 1024,
      maxVolumesPerCluster: 1000,
    });
  });

  test('reads and validates the environment', () => {
    const c = loadHeketiConfig({ ROSETTA_HEKETI_AUTH: 'false', ROSETTA_HEKETI_ADMIN_KEY: '', ROSETTA_HEKETI_ZONE_CHECKING: 'strict' });
    expect(c).toMatchObject({ auth: false, adminKey: '', zoneChecking: 'strict' });
    expect(() => loadHeketiConfig({ ROSETTA_HEKETI_ADMIN_KEY: '' })).toThrow(/must be non-empty/);
    expect(() => loadHeketiConfig({ ROSETTA_HEKETI_ZONE_CHECKING: 'loose' })).toThrow(/ROSETTA_HEKETI_ZONE_CHECKING/);
    expect(() => loadHeketiConfig({ ROSETTA_HEKETI_MAX_INFLIGHT_OPERATIONS: '0' })).toThrow(/at least 1/);
    expect(loadHeketiConfig({ ROSETTA_HEKETI_MAX_VOLUMES_PER_CLUSTER: '-1' }).maxVolumesPerCluster).toBe(-1);
    expect(loadHeketiConfig({ ROSETTA_HEKETI_MAX_VOLUMES_PER_CLUSTER: '0' }).maxVolumesPerCluster).toBe(1000);
  });
});
