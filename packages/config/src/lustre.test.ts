import { ConfigError } from './config';
import { loadLustreConfig } from './lustre';

describe('loadLustreConfig', () => {
  it('defaults to IML: anonymous reads, two-week sessions, admin/lustre and the guide client debug/password', () => {
    const c = loadLustreConfig({});
    expect(c.allowAnonymousRead).toBe(true);
    expect(c.sessionTtlSeconds).toBe(1209600);
    expect(c.users.map((u) => [u.username, u.password, u.groups])).toEqual([
      ['admin', 'lustre', ['superusers']],
      ['debug', 'password', ['superusers']],
    ]);
    expect(c.sessionSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(loadLustreConfig({}).sessionSecret).toBe(c.sessionSecret);
  });

  it('reads users, anonymous read, session time and secret', () => {
    const c = loadLustreConfig({
      ROSETTA_LUSTRE_USERS: JSON.stringify([{ username: 'ops', password: 'pw', groups: ['filesystem_administrators'] }]),
      ROSETTA_LUSTRE_ANONYMOUS_READ: 'false',
      ROSETTA_LUSTRE_SESSION_SECONDS: '60',
      ROSETTA_LUSTRE_SESSION_SECRET: 's3cret',
    });
    expect(c).toEqual({
      users: [{ username: 'ops', password: 'pw', groups: ['filesystem_administrators'], email: undefined, firstName: undefined, lastName: undefined }],
      allowAnonymousRead: false,
      sessionTtlSeconds: 60,
      sessionSecret: 's3cret',
    });
  });

  it.each([
    [{ ROSETTA_LUSTRE_USERS: 'nope' }],
    [{ ROSETTA_LUSTRE_USERS: '[]' }],
    [{ ROSETTA_LUSTRE_USERS: JSON.stringify([{ username: 'x', password: 'y', groups: ['root'] }]) }],
    [{ ROSETTA_LUSTRE_ANONYMOUS_READ: 'maybe' }],
    [{ ROSETTA_LUSTRE_SESSION_SECONDS: '0' }],
  ])('refuses %j', (env) => expect(() => loadLustreConfig(env)).toThrow(ConfigError));
});
