import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has sane defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8080, fixture: 'demo', stepSeconds: 1, dataDir: '.rosetta', migrateOnBoot: true });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.redisUrl).toBeUndefined();
    expect(c.tls).toBeUndefined();
    expect(c.dialectPorts).toEqual({});
  });

  it('reads every documented variable', () => {
    const c = loadConfig({
      PORT: '9000',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u@h/db',
      REDIS_URL: 'redis://r:6379',
      ROSETTA_STEP_SECONDS: '0',
      ROSETTA_HEKETI_PORT: '8081',
      ROSETTA_TLS: 'true',
      ROSETTA_FIXTURE: 'empty',
    });
    expect(c).toMatchObject({ port: 9000, host: '0.0.0.0', stepSeconds: 0, fixture: 'empty', tls: { generate: true } });
    expect(c.dialectPorts.heketi).toBe(8081);
  });

  it('names the variable when a value is bad', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ ROSETTA_STEP_SECONDS: '-1' })).toThrow(/ROSETTA_STEP_SECONDS/);
    expect(() => loadConfig({ ROSETTA_TLS_CERT: '/x.pem' })).toThrow(/ROSETTA_TLS_KEY/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });
});
