import { TestRuntime, createTestRuntime } from '@rosetta/testing';

/**
 * A restore locks every domain table in one order; a transaction that read a late table first
 * (a consolidation round reads sites) and then wants an early one closes a deadlock cycle.
 * PostgreSQL aborts one side; when it picks the restore, the restore must run again, not fail.
 */
describe('snapshot restore against a transaction holding a table it wants', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime({ fixture: 'demo' });
  });
  afterAll(() => rt.close());

  it('is run again when chosen as the deadlock victim, and restores the saved state', async () => {
    const sitesBefore = await rt.db.knex('sites').count<{ n: string }[]>({ n: '*' });
    await rt.store.control.saveSnapshot('before-round');

    const round = rt.db.knex.transaction(async (trx) => {
      await trx('sites').select('id').limit(1); // ACCESS SHARE on sites, held to the end
      await new Promise((r) => setTimeout(r, 300)); // the restore now waits for sites, holding the tables before it
      await trx('hosts').count({ n: '*' }); // waits for the restore: a cycle
    });
    await new Promise((r) => setTimeout(r, 100));
    const restore = rt.store.control.restoreSnapshot('before-round');

    const [roundResult, restoreResult] = await Promise.allSettled([round, restore]);
    // Whichever side PostgreSQL aborted, the restore ends restored.
    expect(restoreResult.status).toBe('fulfilled');
    if (roundResult.status === 'rejected') expect((roundResult.reason as { code?: string }).code).toBe('40P01');
    const sitesAfter = await rt.db.knex('sites').count<{ n: string }[]>({ n: '*' });
    expect(sitesAfter[0].n).toBe(sitesBefore[0].n);
  });
});
