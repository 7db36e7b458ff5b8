import { Request, Response } from 'express';
import { CoreError, Host, HostAggregate, Services } from '@rosetta/core';
import { StampedCache } from '@rosetta/http';
import { KeystoneContext } from './auth';
import { novaFault, policyFault } from './errors';
import { NovaSettings } from './settings';
import { selfBase, siblingBase } from './urls';

/** What every compute handler needs: the domain, the settings, and a few shared lookups. */
export interface ComputeContext {
  services: Services;
  settings: NovaSettings;
}

/** The authenticated caller (the router requires a token before any handler runs). */
export function caller(req: Request): KeystoneContext {
  if (!req.keystone) throw new CoreError('UNAUTHENTICATED', 'The request you have made requires authentication.', { reason: 'missing_credentials' });
  return req.keystone;
}

/** Nova's admin-only rules (base.ADMIN): the token must carry the admin role. */
export function requireAdmin(req: Request, rule: string): KeystoneContext {
  const ctx = caller(req);
  if (!ctx.isAdmin) throw policyFault(rule);
  return ctx;
}

/** utils.validate_integer: Python int() of the text, or "<name> must be an integer". */
export function novaInt(raw: string, name = 'id'): number {
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) throw novaFault('VALIDATION', `Invalid input received: ${name} must be an integer`);
  return Number(raw.trim());
}

export async function aggregateBySeq(services: Services, rawId: string): Promise<HostAggregate> {
  const seq = novaInt(rawId);
  const found = Number.isSafeInteger(seq) ? await services.aggregates.findBySeq(seq) : undefined;
  if (!found) throw new CoreError('NOT_FOUND', `aggregate ${rawId} not found`, { kind: 'aggregate', id: rawId });
  return found;
}

/** Compute hosts are named exactly (case matters): the names os-services and os-hypervisors show. */
export async function hostByName(services: Services, name: string): Promise<Host> {
  const [host] = await services.hosts.list({ filter: { field: 'name', op: 'eq', value: name }, limit: 1 });
  if (!host || host.name !== name) throw new CoreError('NOT_FOUND', `host ${name} not found`, { kind: 'host', name });
  return host;
}

export async function hostNames(services: Services, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const hosts = await services.hosts.list({ filter: { field: 'id', op: 'in', value: unique } });
  return new Map(hosts.map((h) => [h.id, h.name]));
}

/** Base URL of this compute service (without /v2.1), and of the identity service. */
export const computeBase = (req: Request): string => selfBase(req);
export const identityBaseFromCompute = (req: Request, settings: NovaSettings): string => siblingBase(req, settings, 'identity');

/**
 * A JSON body served from a StampedCache: kept encoded, so a hit costs no serialization and no
 * UTF-8 encoding of a body of hundreds of KB.
 */
export async function sendStampedJson(res: Response, cache: StampedCache, key: string, stamp: string, build: () => Promise<unknown>): Promise<void> {
  const bytes = await cache.get(key, stamp, async () => Buffer.from(JSON.stringify(await build()), 'utf8'));
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.send(bytes);
}

/** Raw request body, refusing a non-JSON media type the way Nova does. */
export function jsonBody(req: Request): unknown {
  const type = req.header('content-type');
  const hasBody = Number(req.header('content-length') ?? 0) > 0 || req.header('transfer-encoding') !== undefined;
  if (hasBody && type && !/^application\/(json|vnd\.openstack\.compute\+json)\b/i.test(type.trim())) {
    throw new CoreError('VALIDATION', 'Unsupported Content-Type', { reason: 'unsupported_media' });
  }
  return req.body === undefined ? null : req.body;
}
