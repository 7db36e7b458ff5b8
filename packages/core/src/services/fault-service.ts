import { ERROR_CODES, ErrorCode } from '../errors';
import { FaultEffect, FaultPolicy, RequestContext, StepFaultContext } from '../faults';
import { FaultRule, FaultRuleEffect, NewFaultRule } from '../model/fault-rule';
import { Clock } from '../ports/clock';
import { Store } from '../ports/repositories';
import { Reads, mustLock, readsOf } from './reads';
import { Checks } from './validate';

export interface FaultService extends Reads<FaultRule>, FaultPolicy {
  create(input: NewFaultRule): Promise<FaultRule>;
  remove(id: string): Promise<void>;
  clear(): Promise<void>;
  /** Forgets this process's copy of the rules, after they were replaced underneath it (snapshot restore). */
  reload(): void;
}

export interface FaultServiceDeps {
  store: Store;
  clock: Clock;
  /** How stale this process's copy of the rules may get; changes made here apply at once. */
  refreshMs?: number;
}

/** Glob with `*` as the only wildcard, anchored at both ends. */
export function globMatches(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(value);
}

/** Reproducible [0, 1) draw for a rule's nth evaluation. */
export function draw(seed: string, n: number): number {
  let h = 2166136261;
  const text = `${seed}:${n}`;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  h ^= h >>> 13;
  h = Math.imul(h, 0x5bd1e995);
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

export function matchesRequest(rule: FaultRule, ctx: RequestContext): boolean {
  return (
    rule.target === 'request' &&
    (rule.dialect === null || rule.dialect === ctx.dialect) &&
    (rule.method === null || rule.method.toUpperCase() === ctx.method.toUpperCase()) &&
    (rule.route === null || globMatches(rule.route, ctx.path))
  );
}

export function matchesStep(rule: FaultRule, ctx: StepFaultContext): boolean {
  return rule.target === 'step' && (rule.jobKind === null || globMatches(rule.jobKind, ctx.kind)) && (rule.step === null || globMatches(rule.step, ctx.step));
}

function checkEffect(target: NewFaultRule['target'], effect: FaultRuleEffect | undefined, checks: Checks): void {
  if (!effect || typeof effect !== 'object') {
    checks.require(false, 'effect', 'is required');
    return;
  }
  switch (effect.type) {
    case 'delay':
      checks.nonNegativeInt(effect.ms, 'effect.ms');
      if (effect.jitterMs !== undefined) checks.nonNegativeInt(effect.jitterMs, 'effect.jitterMs');
      return;
    case 'error':
      checks.require(ERROR_CODES.includes(effect.code as ErrorCode), 'effect.code', `must be one of ${ERROR_CODES.join(', ')}`);
      checks.require(typeof effect.message === 'string' && effect.message.length > 0, 'effect.message', 'is required');
      return;
    case 'drop':
      checks.require(target === 'request', 'effect.type', 'drop applies to requests only');
      return;
    case 'fail_step':
      checks.require(target === 'step', 'effect.type', 'fail_step applies to job steps only');
      checks.require(typeof effect.message === 'string' && effect.message.length > 0, 'effect.message', 'is required');
      return;
    default:
      checks.require(false, 'effect.type', 'must be delay, error, drop or fail_step');
  }
}

export function createFaultService({ store, clock, refreshMs = 500 }: FaultServiceDeps): FaultService {
  let cache: FaultRule[] = [];
  let loadedAt = -Infinity;
  let loading: Promise<void> | undefined;

  const rules = async (): Promise<FaultRule[]> => {
    if (Date.now() - loadedAt > refreshMs) {
      loading ??= store.repos.faultRules
        .list({ order: [{ field: 'seq', direction: 'asc' }] })
        .then((all) => {
          cache = all;
          loadedAt = Date.now();
        })
        .finally(() => (loading = undefined));
      await loading;
    }
    return cache;
  };
  const invalidate = (): void => {
    loadedAt = -Infinity;
  };

  /** Decides, atomically across every process sharing the database, whether a matching rule fires. */
  const fire = (candidate: FaultRule): Promise<{ effect: FaultRuleEffect; evaluation: number } | undefined> =>
    store.transaction(async (tx) => {
      const rule = await tx.faultRules.lock(candidate.id);
      if (!rule) return undefined;
      if (rule.expiresAt && rule.expiresAt.getTime() <= clock.now().getTime()) return undefined;
      if (rule.remaining !== null && rule.remaining <= 0) return undefined;
      const evaluations = rule.evaluations + 1;
      const fires = rule.probability === null || draw(rule.seed, evaluations) < rule.probability;
      await tx.faultRules.update(rule.id, {
        evaluations,
        hits: rule.hits + (fires ? 1 : 0),
        remaining: fires && rule.remaining !== null ? rule.remaining - 1 : rule.remaining,
      });
      return fires ? { effect: rule.effect, evaluation: evaluations } : undefined;
    });

  const evaluate = async (matching: FaultRule[]): Promise<FaultEffect[]> => {
    const effects: FaultEffect[] = [];
    const now = clock.now().getTime();
    for (const rule of matching) {
      if (rule.expiresAt && rule.expiresAt.getTime() <= now) continue;
      if (rule.remaining !== null && rule.remaining <= 0) continue;
      const fired = await fire(rule);
      if (!fired) continue;
      const { effect } = fired;
      if (effect.type === 'delay') {
        // Drawn from the locked row's count, so the sequence is the same however many processes share the rule.
        const jitter = effect.jitterMs ? Math.round(draw(rule.seed, fired.evaluation + 1_000_003) * effect.jitterMs) : 0;
        effects.push({ type: 'delay', ms: effect.ms + jitter });
      } else {
        effects.push(effect);
      }
    }
    if (effects.some((e) => e.type !== 'delay')) invalidate();
    return effects;
  };

  return {
    ...readsOf(store, 'fault_rule', (r) => r.faultRules),
    async create(input) {
      const checks = new Checks().require(input.target === 'request' || input.target === 'step', 'target', 'must be request or step');
      checkEffect(input.target, input.effect, checks);
      if (input.remaining !== undefined && input.remaining !== null) checks.positiveInt(input.remaining, 'count');
      if (input.probability !== undefined && input.probability !== null) {
        checks.require(typeof input.probability === 'number' && input.probability >= 0 && input.probability <= 1, 'probability', 'must be between 0 and 1');
      }
      for (const field of ['dialect', 'method', 'route', 'jobKind', 'step'] as const) {
        const v = input[field];
        if (v !== undefined && v !== null) checks.require(typeof v === 'string' && v.length > 0 && v.length <= 500, field, 'must be a non-empty string');
      }
      if (input.target === 'request') checks.require(!input.jobKind && !input.step, 'jobKind', 'request rules match dialect, method and route');
      if (input.target === 'step') checks.require(!input.dialect && !input.method && !input.route, 'dialect', 'step rules match jobKind and step');
      checks.done('invalid fault rule');
      const rule = await store.transaction((tx) => tx.faultRules.insert({ ...input, seed: input.seed ?? 'rosetta' }));
      invalidate();
      return rule;
    },
    async remove(id) {
      await store.transaction(async (tx) => {
        await mustLock(tx.faultRules, 'fault_rule', id);
        await tx.faultRules.delete(id);
      });
      invalidate();
    },
    async clear() {
      await store.transaction(async (tx) => {
        for (const rule of await tx.faultRules.list()) await tx.faultRules.delete(rule.id);
      });
      invalidate();
    },
    reload: invalidate,
    async forRequest(ctx) {
      const all = await rules();
      return all.length ? evaluate(all.filter((r) => matchesRequest(r, ctx))) : [];
    },
    async hasStepRules() {
      return (await rules()).some((r) => r.target === 'step');
    },
    async forStep(ctx) {
      const all = await rules();
      return all.length ? evaluate(all.filter((r) => matchesStep(r, ctx))) : [];
    },
  };
}
