import { CoreError, FieldIssue, validation } from '../errors';

/** Collects field issues and throws them together, so a caller hears every problem at once. */
export class Checks {
  private readonly issues: FieldIssue[] = [];

  require(ok: boolean, field: string, problem: string): this {
    if (!ok) this.issues.push({ field, problem });
    return this;
  }

  name(value: unknown, field = 'name', max = 255): this {
    return this.require(typeof value === 'string' && value.trim().length > 0 && value.length <= max, field, `must be a non-empty string of at most ${max} characters`);
  }

  nonNegativeInt(value: unknown, field: string): this {
    return this.require(Number.isSafeInteger(value) && (value as number) >= 0, field, 'must be a non-negative integer');
  }

  positiveInt(value: unknown, field: string): this {
    return this.require(Number.isSafeInteger(value) && (value as number) > 0, field, 'must be a positive integer');
  }

  done(message = 'invalid input'): void {
    if (this.issues.length > 0) {
      throw validation(`${message}: ${this.issues.map((i) => `${i.field} ${i.problem}`).join('; ')}`, this.issues);
    }
  }
}

export const conflictHasChildren = (kind: string, id: string, children: string): CoreError =>
  new CoreError('CONFLICT', `${kind} ${id} still holds ${children}`, { kind, id, reason: 'has_children' });
