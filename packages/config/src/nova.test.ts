import { ConfigError } from './config';
import { loadNovaConfig } from './nova';

describe('loadNovaConfig', () => {
  it('defaults to DevStack: admin and demo with password secret, RegionOne, one-hour tokens, m1 flavors', () => {
    const c = loadNovaConfig({});
    expect(c.users.map((u) => [u.name, u.project, u.roles.includes('admin')])).toEqual([
      ['admin', 'admin', true],
      ['demo', 'demo', false],
    ]);
    expect(c.users.every((u) => u.password === 'secret')).toBe(true);
    expect(c.region).toBe('RegionOne');
    expect(c.tokenTtlSeconds).toBe(3600);
    expect(c.flavors.find((f) => f.name === 'm1.tiny')).toEqual({ id: '1', name: 'm1.tiny', vcpus: 1, ramMb: 512, diskGb: 1 });
    expect(c.images).toHaveLength(1);
  });

  it('derives the same token secret for the same configuration, and honours an explicit one', () => {
    expect(loadNovaConfig({ DATABASE_URL: 'postgres://a/b' }).tokenSecret).toBe(loadNovaConfig({ DATABASE_URL: 'postgres://a/b' }).tokenSecret);
    expect(loadNovaConfig({ ROSETTA_NOVA_PASSWORD: 'other' }).tokenSecret).not.toBe(loadNovaConfig({}).tokenSecret);
    expect(loadNovaConfig({ ROSETTA_NOVA_TOKEN_SECRET: 'k' }).tokenSecret).toBe('k');
  });

  it('reads users, flavors and images as JSON and refuses bad values by name', () => {
    const c = loadNovaConfig({ ROSETTA_NOVA_USERS: JSON.stringify([{ name: 'ops', password: 'pw', project: 'infra', roles: ['admin'] }]) });
    expect(c.users).toEqual([{ name: 'ops', password: 'pw', project: 'infra', roles: ['admin'] }]);
    expect(() => loadNovaConfig({ ROSETTA_NOVA_USERS: '{' })).toThrow(new ConfigError('ROSETTA_NOVA_USERS must be a JSON array'));
    expect(() => loadNovaConfig({ ROSETTA_NOVA_FLAVORS: '[{"id":"1","name":"x","vcpus":-1,"ramMb":1,"diskGb":1}]' })).toThrow(/ROSETTA_NOVA_FLAVORS\[0\]\.vcpus/);
    expect(() => loadNovaConfig({ ROSETTA_NOVA_TOKEN_TTL: '0' })).toThrow(/ROSETTA_NOVA_TOKEN_TTL/);
  });
});
