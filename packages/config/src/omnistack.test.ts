import { ConfigError } from './config';
import { loadOmniStackConfig } from './omnistack';

describe('loadOmniStackConfig', () => {
  it('defaults to HPE token expiry and an admin, a read-only and an emergency user', () => {
    const c = loadOmniStackConfig({});
    expect(c.tokenIdleSeconds).toBe(600);
    expect(c.tokenLifetimeSeconds).toBe(86_400);
    expect(c.strictMediaTypes).toBe(false);
    expect(c.users.map((u) => u.role)).toEqual(['admin', 'readonly', 'emergency']);
  });

  it('serves its own port over HTTPS unless ROSETTA_OMNISTACK_HTTPS is false', () => {
    expect(loadOmniStackConfig({}).ownPortHttps).toBe(true);
    expect(loadOmniStackConfig({ ROSETTA_OMNISTACK_HTTPS: '' }).ownPortHttps).toBe(true);
    expect(loadOmniStackConfig({ ROSETTA_OMNISTACK_HTTPS: 'false' }).ownPortHttps).toBe(false);
    expect(loadOmniStackConfig({ ROSETTA_OMNISTACK_HTTPS: 'TRUE' }).ownPortHttps).toBe(true);
    expect(() => loadOmniStackConfig({ ROSETTA_OMNISTACK_HTTPS: 'sometimes' })).toThrow(ConfigError);
  });

  it('parses users with roles and passwords holding colons', () => {
    const c = loadOmniStackConfig({ ROSETTA_OMNISTACK_USERS: 'root:pa:ss, viewer:pw:readonly ,svtcli:x:emergency', ROSETTA_OMNISTACK_STRICT_MEDIA_TYPES: 'true' });
    expect(c.users).toEqual([
      { name: 'root', password: 'pa:ss', role: 'admin' },
      { name: 'viewer', password: 'pw', role: 'readonly' },
      { name: 'svtcli', password: 'x', role: 'emergency' },
    ]);
    expect(c.strictMediaTypes).toBe(true);
  });

  it.each([
    [{ ROSETTA_OMNISTACK_USERS: 'nobody' }],
    [{ ROSETTA_OMNISTACK_USERS: ':pw' }],
    [{ ROSETTA_OMNISTACK_TOKEN_IDLE_SECONDS: '0' }],
    [{ ROSETTA_OMNISTACK_TOKEN_LIFETIME_SECONDS: 'a day' }],
    [{ ROSETTA_OMNISTACK_STRICT_MEDIA_TYPES: 'sometimes' }],
  ])('refuses %o', (env) => {
    expect(() => loadOmniStackConfig(env)).toThrow(ConfigError);
  });
});
