import { Entity } from './entity';
import { ErrorCode } from '../errors';

export type FaultRuleEffect =
  | { type: 'delay'; ms: number; jitterMs?: number }
  | { type: 'error'; code: ErrorCode; message: string }
  | { type: 'drop' }
  | { type: 'fail_step'; message: string };

/**
 * A fault or latency rule. A request rule matches on dialect, method and route (a glob over
 * the path as the vendor sees it, `*` any characters); a step rule matches on job kind and
 * step name. Unset criteria match anything. `remaining` limits how often it fires, `probability`
 * makes it fire on a reproducible share of evaluations (from `seed`), `expiresAt` ends it.
 */
export interface FaultRule extends Entity {
  target: 'request' | 'step';
  dialect: string | null;
  method: string | null;
  route: string | null;
  jobKind: string | null;
  step: string | null;
  effect: FaultRuleEffect;
  remaining: number | null;
  probability: number | null;
  seed: string;
  expiresAt: Date | null;
  hits: number;
  evaluations: number;
}

export interface NewFaultRule {
  id?: string;
  target: 'request' | 'step';
  dialect?: string | null;
  method?: string | null;
  route?: string | null;
  jobKind?: string | null;
  step?: string | null;
  effect: FaultRuleEffect;
  remaining?: number | null;
  probability?: number | null;
  seed?: string;
  expiresAt?: Date | null;
}

export type FaultRulePatch = Partial<Pick<FaultRule, 'remaining' | 'hits' | 'evaluations'>>;
