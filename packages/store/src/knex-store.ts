import { Knex } from 'knex';
import { ClockState, Repositories, Store } from '@rosetta/core';
import { capacityAdjuster, createTableRepository } from './table-repository';
import { retryingTransaction, translatePgError } from './pg-errors';
import { REUSE_PLANS } from './database';
import { sitesTable } from './tables/sites';
import { clustersTable } from './tables/clusters';
import { hostsTable } from './tables/hosts';
import { aggregatesTable } from './tables/aggregates';
import { devicesTable } from './tables/devices';
import { datastoresTable } from './tables/datastores';
import { vmsTable } from './tables/vms';
import { policiesTable } from './tables/policies';
import { backupsTable } from './tables/backups';
import { volumesTable } from './tables/volumes';
import { bricksTable } from './tables/bricks';
import { filesystemsTable } from './tables/filesystems';
import { targetsTable } from './tables/targets';
import { jobsTable } from './tables/jobs';
import { jobStatements } from './tables/job-statements';
import { defined } from './table-repository';
import { hostTotals } from './host-totals';
import { accessTokensTable } from './tables/access-tokens';
import { trustedCertificatesTable } from './tables/trusted-certificates';
import { externalStoresTable } from './tables/external-stores';
import { parkedCredentialsTable } from './tables/parked-credentials';
import { guestCredentialsTable } from './tables/guest-credentials';
import { faultRulesTable } from './tables/fault-rules';
import { lustreAlertDismissalsTable } from './tables/lustre-alert-dismissals';
import { alertSubscriptionsTable, clientMountsTable, copytoolsTable, devicePathsTable, lustreUsersTable, registrationTokensTable } from './tables/lustre-objects';
import { consolidationSettingsTable, consolidationUpserter, vmLoadReader, vmSeqReader, vmsBySeqReader } from './tables/consolidation-settings';
import { createControlStore } from './control-store';
import { revokedTokensRepository } from './tables/revoked-tokens';
import { performanceSamplesRepository } from './tables/performance-samples';

/** Every domain table, children before parents, for TRUNCATE and snapshots. */
export const DOMAIN_TABLES = [
  'access_tokens',
  'trusted_certificates',
  'external_stores',
  'parked_credentials',
  'vm_guest_credentials',
  'consolidation_settings',
  'lustre_alert_dismissals',
  'lustre_alert_subscriptions',
  'lustre_users',
  'lustre_registration_tokens',
  'lustre_copytools',
  'lustre_client_mounts',
  'device_paths',
  'job_steps',
  'jobs',
  'targets',
  'filesystems',
  'bricks',
  'volumes',
  'backups',
  'vms',
  'datastores',
  'devices',
  'host_aggregate_hosts',
  'host_aggregates',
  'hosts',
  'clusters',
  'policies',
  'sites',
] as const;

/**
 * The performance time series: emptied with the domain, but not part of snapshots (it is history,
 * and large). In the order a sampler takes its locks (the instant's claim first), see truncate().
 */
export const SAMPLE_TABLES = ['sample_runs', 'performance_samples'] as const;

export function createRepositories(db: Knex | Knex.Transaction, now: () => Date): Repositories {
  const repo = <E extends { id: string }, N extends { id?: string }, P>(def: Parameters<typeof createTableRepository<E, N, P>>[1]) =>
    createTableRepository<E, N, P>(db, def, now);
  return {
    sites: repo(sitesTable),
    clusters: repo(clustersTable),
    hosts: repo(hostsTable),
    aggregates: {
      ...repo(aggregatesTable),
      async addHost(aggregateId, hostId) {
        try {
          await db('host_aggregate_hosts').insert({ aggregate_id: aggregateId, host_id: hostId, created_at: now() });
        } catch (err) {
          throw translatePgError(err, 'aggregate_host');
        }
      },
      async removeHost(aggregateId, hostId) {
        await db('host_aggregate_hosts').where({ aggregate_id: aggregateId, host_id: hostId }).delete();
      },
    },
    devices: { ...repo(devicesTable), adjustUsed: capacityAdjuster(db, 'devices', 'size_bytes', 'device', now), totalsByHost: hostTotals(db, 'devices') },
    datastores: { ...repo(datastoresTable), adjustUsed: capacityAdjuster(db, 'datastores', 'capacity_bytes', 'datastore', now, 'full') },
    vms: { ...repo(vmsTable), totalsByHost: hostTotals(db, 'vms') },
    policies: repo(policiesTable),
    backups: repo(backupsTable),
    volumes: repo(volumesTable),
    bricks: repo(bricksTable),
    filesystems: repo(filesystemsTable),
    targets: repo(targetsTable),
    accessTokens: repo(accessTokensTable),
    revokedTokens: revokedTokensRepository(db),
    trustedCertificates: repo(trustedCertificatesTable),
    externalStores: repo(externalStoresTable),
    parkedCredentials: repo(parkedCredentialsTable),
    guestCredentials: repo(guestCredentialsTable),
    faultRules: repo(faultRulesTable),
    lustreAlertDismissals: repo(lustreAlertDismissalsTable),
    devicePaths: repo(devicePathsTable),
    lustreUsers: repo(lustreUsersTable),
    alertSubscriptions: repo(alertSubscriptionsTable),
    registrationTokens: repo(registrationTokensTable),
    clientMounts: repo(clientMountsTable),
    copytools: repo(copytoolsTable),
    samples: performanceSamplesRepository(db),
    consolidation: { ...repo(consolidationSettingsTable), upsert: consolidationUpserter(db, now), vmLoads: vmLoadReader(db), vmSeqs: vmSeqReader(db), vmsBySeq: vmsBySeqReader(db) },
    jobs: {
      ...repo(jobsTable),
      ...jobStatements(db, now),
      async updateStep(jobId, index, patch, jobPatch) {
        // One round trip: the step and its job (updated_at, which the reconciler watches, and any
        // job fields given) together.
        const step = db('job_steps')
          .where({ job_id: jobId, index })
          .update({ state: patch.state, started_at: patch.startedAt, finished_at: patch.finishedAt, error: patch.error });
        const job = jobPatch ? defined(jobsTable.patchRow(jobPatch)) : {};
        await db.with('step', step).from('jobs').where({ id: jobId }).update({ ...job, updated_at: now() });
      },
    },
  };
}

export interface KnexStoreOptions {
  knex: Knex;
  /** Timestamps written by the store (updated_at) come from the domain clock. */
  now: () => Date;
}

export function createKnexStore({ knex, now }: KnexStoreOptions): Store {
  const repos = createRepositories(knex, now);
  return {
    repos,
    control: createControlStore(knex, DOMAIN_TABLES),
    transaction: (fn, options) =>
      retryingTransaction(() =>
        knex.transaction(async (trx) => {
          if (options?.bulkLoad) await trx.raw(REUSE_PLANS);
          return fn(createRepositories(trx, now));
        }),
      ),
    statement: (fn) => retryingTransaction(() => fn(repos)),
    async truncate() {
      // Samples describe the domain being emptied; a reloaded fixture (same ids) must not inherit them.
      // Their tables come first: a sampler claims its instant before reading the domain tables, so
      // locking them in this order makes a concurrent reset wait for it instead of deadlocking.
      // A transaction holding one table and wanting another can still meet it: then run it again.
      await retryingTransaction(() => knex.raw(`TRUNCATE ${[...SAMPLE_TABLES, ...DOMAIN_TABLES].join(', ')} RESTART IDENTITY CASCADE`));
    },
    async changeStamp(tables) {
      const rows: { table_name: string; n: string | number }[] = await knex('change_stamps')
        .whereIn('table_name', tables)
        .groupBy('table_name')
        .select('table_name')
        .sum({ n: 'n' });
      const sums = new Map(rows.map((r) => [r.table_name, Number(r.n)]));
      return tables.map((t) => `${t}:${sums.get(t) ?? 0}`).join('|');
    },
    async analyze() {
      // VACUUM also sets the visibility map, which lets paging use index-only scans.
      await knex.raw(`VACUUM (ANALYZE) ${DOMAIN_TABLES.join(', ')}`);
    },
    async readClockState(): Promise<ClockState | undefined> {
      const row = await knex('clock_state').where({ id: 1 }).first();
      return row ? { frozenAtMs: row.frozen_at_ms === null ? null : Number(row.frozen_at_ms), offsetMs: Number(row.offset_ms) } : undefined;
    },
    async writeClockState(state) {
      await knex('clock_state')
        .insert({ id: 1, frozen_at_ms: state.frozenAtMs, offset_ms: state.offsetMs, updated_at: new Date() })
        .onConflict('id')
        .merge();
    },
  };
}
