import fs from 'fs';
import { TestDatabase, createTestDatabase, startRosetta } from '@rosetta/testing';

describe('startRosetta options', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(() => db.drop());

  it('uses an explicit database, loads a fixture document, and stops cleanly (twice is fine)', async () => {
    const fixture = { seed: 'helper', sites: [{ name: 'lab', clusters: [{ name: 'c1', hosts: [{ name: 'h1' }, { name: 'h2' }] }] }] };
    const rosetta = await startRosetta({ databaseUrl: db.url, fixture });
    expect(rosetta.gateway.runtime.db.embedded).toBe(false);
    const hosts = await rosetta.control.objects<{ name: string }>('hosts');
    expect(hosts.items.map((h) => h.name)).toEqual(['h1', 'h2']);
    // The data went to the given database.
    expect(Number((await db.knex('hosts').count({ n: '*' }))[0].n)).toBe(2);
    const url = rosetta.url;
    await Promise.all([rosetta.stop(), rosetta.stop()]);
    await expect(fetch(`${url}/_rosetta/health`)).rejects.toThrow();
    // Started again on the same database: the domain is kept, whatever fixture is named.
    const again = await startRosetta({ databaseUrl: db.url, fixture: 'demo' });
    try {
      expect((await again.control.objects<{ name: string }>('hosts')).items.map((h) => h.name)).toEqual(['h1', 'h2']);
    } finally {
      await again.stop();
    }
  });

  it('starts empty, protects the control plane with a token the client sends, and refuses bad options', async () => {
    const rosetta = await startRosetta({ databaseUrl: db.url, fixture: 'empty', adminToken: 's3cret' });
    try {
      expect((await rosetta.control.objects('sites')).total).toBe(0);
      expect((await fetch(`${rosetta.url}/_rosetta/clock`)).status).toBe(401);
      expect((await rosetta.control.clock.get()).frozen).toBe(false);
    } finally {
      await rosetta.stop();
    }
    await expect(startRosetta({ databaseUrl: db.url, fixture: 'no-such-fixture' })).rejects.toThrow(/no fixture named no-such-fixture/);
    await expect(startRosetta({ databaseUrl: db.url, stepSeconds: Number.NaN })).rejects.toThrow(/ROSETTA_STEP_SECONDS/);
  });

  it('removes its embedded database directory on stop', async () => {
    const rosetta = await startRosetta({ fixture: 'empty' });
    expect(rosetta.gateway.runtime.db.embedded).toBe(true);
    expect(rosetta.gateway.runtime.db.url).toMatch(/^postgres:\/\/rosetta:rosetta@127\.0\.0\.1:\d+\/rosetta$/);
    expect(fs.existsSync(`${rosetta.dataDir}/pg/PG_VERSION`)).toBe(true);
    await rosetta.stop();
    expect(fs.existsSync(rosetta.dataDir)).toBe(false);
  }, 60_000);
});
