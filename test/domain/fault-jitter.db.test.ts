import { ControllableClock, createFaultService, draw } from '@rosetta/core';
import { TestRuntime, createTestRuntime } from '@rosetta/testing';

/**
 * Two gateways share one rule: each keeps its own cached copy for up to refreshMs, but the jitter
 * of the n-th firing must be the n-th draw of the rule's seed wherever it fires.
 */
describe('delay jitter shared between processes', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime();
  });
  afterAll(() => rt.close());

  it('draws each firing from the rule row it locked, not from a process-local copy', async () => {
    const clock = new ControllableClock();
    const gatewayA = createFaultService({ store: rt.store, clock, refreshMs: 60_000 });
    const gatewayB = createFaultService({ store: rt.store, clock, refreshMs: 60_000 });
    const rule = await gatewayA.create({ target: 'request', dialect: 'heketi', effect: { type: 'delay', ms: 10, jitterMs: 1000 }, seed: 'jitter-shared' });
    const ctx = { dialect: 'heketi', method: 'GET', path: '/volumes' };
    const delays: number[] = [];
    const delayOf = async (svc: typeof gatewayA) => {
      const [effect] = await svc.forRequest(ctx);
      if (effect?.type !== 'delay') throw new Error(`expected a delay, got ${JSON.stringify(effect)}`);
      return effect.ms;
    };
    // B caches the rule at 0 evaluations; A then fires it twice; B fires it third.
    delays.push(await delayOf(gatewayB));
    delays.push(await delayOf(gatewayA));
    delays.push(await delayOf(gatewayA));
    delays.push(await delayOf(gatewayB));
    const expected = [1, 2, 3, 4].map((n) => 10 + Math.round(draw('jitter-shared', n + 1_000_003) * 1000));
    expect(new Set(expected).size).toBe(4);
    expect(delays).toEqual(expected);
    expect((await gatewayA.get(rule.id)).hits).toBe(4);
  });
});
