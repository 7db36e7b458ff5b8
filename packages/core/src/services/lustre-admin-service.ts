import { randomBytes } from 'crypto';
import { CoreError } from '../errors';
import { AlertSubscription, LustreAccount, LustreAccountPatch, NewAlertSubscription, NewLustreAccount, RegistrationToken } from '../model/lustre-objects';
import { ListQuery, Page } from '../ports/query';
import { ServiceDeps } from './deps';
import { Reads, mustLock, readsOf } from './reads';

export const LUSTRE_GROUPS = ['superusers', 'filesystem_administrators', 'filesystem_users'] as const;

/**
 * Lustre manager accounts and server registration tokens. Accounts hold a password hash the dialect
 * computed; the configured accounts are written into an empty table (a fresh install, or after a
 * reset), and from then on the table is the truth.
 */
export interface LustreAdminService {
  users: Reads<LustreAccount> & {
    findByName(username: string, seed: () => NewLustreAccount[]): Promise<LustreAccount | undefined>;
    /** A page of accounts, seeding an empty table first. */
    pageSeeded(query: ListQuery, seed: () => NewLustreAccount[]): Promise<Page<LustreAccount>>;
    create(input: NewLustreAccount): Promise<LustreAccount>;
    update(id: string, patch: LustreAccountPatch): Promise<LustreAccount>;
    remove(id: string): Promise<void>;
  };
  subscriptions: Reads<AlertSubscription> & {
    /** Subscribes an account to an alert type; subscribing twice is ALREADY_EXISTS. */
    create(input: NewAlertSubscription): Promise<AlertSubscription>;
    remove(id: string): Promise<void>;
  };
  tokens: Reads<RegistrationToken> & {
    issue(input: { profile: string; credits: number; expiresAt: Date }): Promise<RegistrationToken>;
    cancel(id: string): Promise<RegistrationToken>;
  };
}

const USERNAME = /^[\w.@+-]{1,30}$/;

export function createLustreAdminService({ store, clock }: ServiceDeps): LustreAdminService {
  const userReads = readsOf(store, 'user', (r) => r.lustreUsers);
  /** `seed` is only called when the table is empty (hashing passwords is slow on purpose). */
  async function seedIfEmpty(seed: () => NewLustreAccount[]): Promise<boolean> {
    if ((await store.repos.lustreUsers.count()) > 0) return false;
    const accounts = seed();
    if (!accounts.length) return false;
    try {
      await store.transaction(async (tx) => {
        if ((await tx.lustreUsers.count()) > 0) return;
        for (const account of accounts) await tx.lustreUsers.insert(account);
      });
    } catch (err) {
      // Another process seeded at the same moment: the accounts exist either way.
      if ((err as { code?: string }).code !== 'ALREADY_EXISTS') throw err;
    }
    return true;
  }
  const checkGroups = (groups: string[] | undefined): void => {
    const bad = (groups ?? []).find((g) => !(LUSTRE_GROUPS as readonly string[]).includes(g));
    if (bad !== undefined) throw new CoreError('VALIDATION', `unknown group ${bad}`, { fields: [{ field: 'groups', problem: `unknown group ${bad}` }] });
  };
  return {
    users: {
      ...userReads,
      async findByName(username, seed) {
        const find = async () => (await store.repos.lustreUsers.list({ filter: { field: 'username', op: 'eq', value: username }, limit: 1 }))[0];
        return (await find()) ?? ((await seedIfEmpty(seed)) ? find() : undefined);
      },
      async pageSeeded(query, seed) {
        const page = await store.repos.lustreUsers.page(query);
        return page.total === 0 && (await seedIfEmpty(seed)) ? store.repos.lustreUsers.page(query) : page;
      },
      async create(input) {
        if (!USERNAME.test(input.username)) {
          throw new CoreError('VALIDATION', 'invalid username', { fields: [{ field: 'username', problem: 'invalid' }] });
        }
        checkGroups(input.groups);
        return store.transaction(async (tx) => {
          const taken = await tx.lustreUsers.count({ field: 'username', op: 'eq', value: input.username });
          if (taken) throw new CoreError('ALREADY_EXISTS', `user ${input.username} exists`, { kind: 'user', name: input.username });
          return tx.lustreUsers.insert(input);
        });
      },
      async update(id, patch) {
        checkGroups(patch.groups);
        if (patch.username !== undefined && !USERNAME.test(patch.username)) {
          throw new CoreError('VALIDATION', 'invalid username', { fields: [{ field: 'username', problem: 'invalid' }] });
        }
        return store.transaction(async (tx) => {
          await mustLock(tx.lustreUsers, 'user', id);
          return tx.lustreUsers.update(id, patch);
        });
      },
      async remove(id) {
        await store.transaction(async (tx) => {
          await mustLock(tx.lustreUsers, 'user', id);
          await tx.lustreUsers.delete(id);
        });
      },
    },
    subscriptions: {
      ...readsOf(store, 'alert_subscription', (r) => r.alertSubscriptions),
      async create(input) {
        return store.transaction(async (tx) => {
          await mustLock(tx.lustreUsers, 'user', input.userId);
          return tx.alertSubscriptions.insert(input);
        });
      },
      async remove(id) {
        await store.transaction(async (tx) => {
          await mustLock(tx.alertSubscriptions, 'alert_subscription', id);
          await tx.alertSubscriptions.delete(id);
        });
      },
    },
    tokens: {
      ...readsOf(store, 'registration_token', (r) => r.registrationTokens),
      async issue({ profile, credits, expiresAt }) {
        if (!Number.isSafeInteger(credits) || credits < 0) throw new CoreError('VALIDATION', 'credits must be a non-negative integer', { fields: [{ field: 'credits', problem: 'must be a non-negative integer' }] });
        if (expiresAt.getTime() <= clock.now().getTime()) throw new CoreError('VALIDATION', 'expiry must be in the future', { fields: [{ field: 'expiry', problem: 'must be in the future' }] });
        return store.transaction((tx) => tx.registrationTokens.insert({ secret: randomBytes(16).toString('hex').toUpperCase(), profile, credits, expiresAt }));
      },
      async cancel(id) {
        return store.transaction(async (tx) => {
          await mustLock(tx.registrationTokens, 'registration_token', id);
          return tx.registrationTokens.update(id, { cancelled: true });
        });
      },
    },
  };
}
