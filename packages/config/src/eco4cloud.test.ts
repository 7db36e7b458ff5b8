import { ConfigError } from './config';
import { loadEco4CloudConfig } from './eco4cloud';

test('defaults: one admin user, 60-minute tickets, a secret derived from the credentials', () => {
  const c = loadEco4CloudConfig({});
  expect(c.users).toEqual([{ name: 'admin', password: 'admin', readOnly: false }]);
  expect(c.ticketMinutes).toBe(60);
  expect(c.ticketSecret).toMatch(/^[0-9a-f]{64}$/);
  expect(loadEco4CloudConfig({}).ticketSecret).toBe(c.ticketSecret);
  expect(loadEco4CloudConfig({ ROSETTA_ECO4CLOUD_USERS: 'admin:other' }).ticketSecret).not.toBe(c.ticketSecret);
});

test('users, read-only users, passwords with colons, explicit secret and lifetime', () => {
  const c = loadEco4CloudConfig({
    ROSETTA_ECO4CLOUD_USERS: 'ops:p:a:ss, viewer:look:ro',
    ROSETTA_ECO4CLOUD_TICKET_SECRET: 's3cret',
    ROSETTA_ECO4CLOUD_TICKET_MINUTES: '15',
  });
  expect(c.users).toEqual([
    { name: 'ops', password: 'p:a:ss', readOnly: false },
    { name: 'viewer', password: 'look', readOnly: true },
  ]);
  expect(c.ticketSecret).toBe('s3cret');
  expect(c.ticketMinutes).toBe(15);
});

test.each([
  [{ ROSETTA_ECO4CLOUD_USERS: 'nopassword' }],
  [{ ROSETTA_ECO4CLOUD_USERS: 'x:' }],
  [{ ROSETTA_ECO4CLOUD_USERS: ' , ' }],
  [{ ROSETTA_ECO4CLOUD_TICKET_MINUTES: '0' }],
  [{ ROSETTA_ECO4CLOUD_TICKET_MINUTES: 'soon' }],
])('refuses %j', (env) => {
  expect(() => loadEco4CloudConfig(env)).toThrow(ConfigError);
});

test('an error never echoes a password', () => {
  try {
    loadEco4CloudConfig({ ROSETTA_ECO4CLOUD_USERS: 'x:' });
  } catch (err) {
    expect((err as Error).message).not.toContain('x:');
  }
});
