import { Router } from 'express';
import { Clock, CoreError, FaultRuleEffect, FaultService, NewFaultRule } from '@rosetta/core';

type Body = Record<string, unknown>;

const optionalString = (b: Body, key: string): string | null => {
  const v = b[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new CoreError('VALIDATION', `${key} must be a string`, { fields: [{ field: key, problem: 'must be a string' }] });
  return v;
};

const optionalNumber = (b: Body, key: string): number | null => {
  const v = b[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new CoreError('VALIDATION', `${key} must be a number`, { fields: [{ field: key, problem: 'must be a number' }] });
  return v;
};

/** Request body -> rule. The target is inferred: rules naming a job kind or step are step rules. */
function parseRule(body: unknown, clock: Clock): NewFaultRule {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new CoreError('VALIDATION', 'send the rule as a JSON object', { fields: [{ field: 'body', problem: 'must be a JSON object' }] });
  }
  const b = body as Body;
  const jobKind = optionalString(b, 'jobKind');
  const step = optionalString(b, 'step');
  const expiresIn = optionalNumber(b, 'expiresInSeconds');
  return {
    target: (optionalString(b, 'target') as NewFaultRule['target'] | null) ?? (jobKind || step ? 'step' : 'request'),
    dialect: optionalString(b, 'dialect'),
    method: optionalString(b, 'method'),
    route: optionalString(b, 'route'),
    jobKind,
    step,
    effect: b.effect as FaultRuleEffect,
    remaining: optionalNumber(b, 'count'),
    probability: optionalNumber(b, 'probability'),
    seed: optionalString(b, 'seed') ?? undefined,
    expiresAt: expiresIn === null ? null : new Date(clock.now().getTime() + expiresIn * 1000),
  };
}

/** Fault and latency rules: create, list (with hit counts), delete one or all. */
export function faultRoutes(r: Router, faults: FaultService, clock: Clock): void {
  r.get('/faults', async (_req, res) => {
    res.json({ faults: await faults.list({ order: [{ field: 'seq', direction: 'asc' }] }) });
  });
  r.post('/faults', async (req, res) => {
    res.status(201).json(await faults.create(parseRule(req.body, clock)));
  });
  r.get('/faults/:id', async (req, res) => {
    res.json(await faults.get(req.params.id as string));
  });
  r.delete('/faults/:id', async (req, res) => {
    await faults.remove(req.params.id as string);
    res.status(204).end();
  });
  r.delete('/faults', async (_req, res) => {
    await faults.clear();
    res.status(204).end();
  });
}
