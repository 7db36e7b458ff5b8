import { CoreError } from '@rosetta/core';
import { novaFault } from './errors';
import { SCHEMAS, SERVER_CREATE_V237, Schema, validate } from './schema';

/** Body schema check: Nova's first jsonschema error as a 400. */
export function checked<T>(schema: Schema, body: unknown): T {
  const message = validate(schema, body);
  if (message !== undefined) throw novaFault('VALIDATION', message);
  return body as T;
}

/** Nova's common.normalize_name: leading and trailing whitespace dropped. */
const normalizeName = (name: string): string => name.trim();

export function parseAggregateCreate(body: unknown): { name: string; availabilityZone: string | null } {
  const { aggregate } = checked<{ aggregate: { name: string; availability_zone?: string | null } }>(SCHEMAS.aggregateCreate, body);
  return { name: aggregate.name, availabilityZone: aggregate.availability_zone || null };
}

export function parseAggregateUpdate(body: unknown): { name?: string; availabilityZone?: string | null } {
  const { aggregate } = checked<{ aggregate: { name?: string; availability_zone?: string | null } }>(SCHEMAS.aggregateUpdate, body);
  const patch: { name?: string; availabilityZone?: string | null } = {};
  if (aggregate.name !== undefined) patch.name = normalizeName(aggregate.name);
  if ('availability_zone' in aggregate) patch.availabilityZone = aggregate.availability_zone ?? null;
  return patch;
}

export type AggregateAction =
  | { kind: 'add_host'; host: string }
  | { kind: 'remove_host'; host: string }
  | { kind: 'metadata'; metadata: Record<string, string | null> };

/** /action: the one body key names the action (wsgi action_peek), then that action's schema. */
export function parseAction(body: unknown): AggregateAction {
  if (!body || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length !== 1) {
    throw new CoreError('VALIDATION', 'Malformed request body', { reason: 'malformed_json' });
  }
  const [name] = Object.keys(body);
  switch (name) {
    case 'add_host':
      return { kind: 'add_host', host: checked<{ add_host: { host: string } }>(SCHEMAS.addHost, body).add_host.host };
    case 'remove_host':
      return { kind: 'remove_host', host: checked<{ remove_host: { host: string } }>(SCHEMAS.removeHost, body).remove_host.host };
    case 'set_metadata':
      return {
        kind: 'metadata',
        metadata: checked<{ set_metadata: { metadata: Record<string, string | null> } }>(SCHEMAS.setMetadata, body).set_metadata.metadata,
      };
    default:
      throw novaFault('VALIDATION', `There is no such action: ${name}`);
  }
}

export function parseCacheImages(body: unknown): string[] {
  const { cache } = checked<{ cache: { id: string }[] }>(SCHEMAS.cacheImages, body);
  const ids = cache.map((c) => c.id);
  if (new Set(ids).size !== ids.length) throw novaFault('VALIDATION', 'Duplicate images in request');
  return ids;
}

export interface ServiceUpdate {
  status?: 'enabled' | 'disabled';
  disabledReason?: string;
  forcedDown?: boolean;
}

export function parseServiceUpdate(body: unknown): ServiceUpdate {
  const b = checked<{ status?: 'enabled' | 'disabled'; disabled_reason?: string; forced_down?: boolean }>(SCHEMAS.serviceUpdate, body);
  if (b.status === undefined && b.forced_down === undefined) {
    throw novaFault('VALIDATION', "At least one of 'status' or 'forced_down' must be specified in the request body.");
  }
  if (b.disabled_reason !== undefined && b.status !== 'disabled') {
    throw novaFault('VALIDATION', "Specifying 'disabled_reason' with status 'enabled' is invalid.");
  }
  return { status: b.status, disabledReason: b.disabled_reason, forcedDown: b.forced_down };
}

export interface ServerCreate {
  name: string;
  imageRef: string | null;
  flavorRef: string;
  zone?: string;
  host?: string;
  metadata: Record<string, string>;
}

/** availability_zone may be "zone", "zone:host" or "zone:host:node" (admins forcing a host). */
export function parseServerCreate(body: unknown, minor: number): ServerCreate {
  const { server } = checked<{
    server: { name: string; imageRef?: string | null; flavorRef: string | number; availability_zone?: string; metadata?: Record<string, string> };
  }>(minor >= 37 ? SERVER_CREATE_V237 : SCHEMAS.serverCreate, body);
  const [zone, host] = (server.availability_zone ?? '').split(':');
  return {
    name: normalizeName(server.name),
    imageRef: server.imageRef || null,
    flavorRef: String(server.flavorRef),
    zone: zone || undefined,
    host: host || undefined,
    metadata: server.metadata ?? {},
  };
}

export type ServerAction = { kind: 'start' } | { kind: 'stop' } | { kind: 'reboot'; hard: boolean };

/** Server /action: os-start and os-stop take any value (Nova has no schema for them), reboot its type. */
export function parseServerAction(body: unknown): ServerAction {
  if (!body || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length !== 1) {
    throw new CoreError('VALIDATION', 'Malformed request body', { reason: 'malformed_json' });
  }
  const [name] = Object.keys(body);
  switch (name) {
    case 'os-start':
      return { kind: 'start' };
    case 'os-stop':
      return { kind: 'stop' };
    case 'reboot':
      return { kind: 'reboot', hard: checked<{ reboot: { type: string } }>(SCHEMAS.reboot, body).reboot.type.toUpperCase() === 'HARD' };
    default:
      throw novaFault('VALIDATION', `There is no such action: ${name}`);
  }
}
