import { Request, Router } from 'express';
import { CoreError, Filter, Services, Store, coalescedReads } from '@rosetta/core';
import { StampedCache, intParam, stringParams } from '@rosetta/http';
import { OBJECT_FILTER_FIELDS, ObjectKind, isObjectKind, objectFilter, objectReads } from './object-query';

type StampedTable = Parameters<Services['changes']['stamp']>[0][number];

/**
 * The tables each kind's objects are read from. Pages of these kinds are kept rendered until a
 * write to one of them (by any process) moves the change stamp; kinds missing here (backups,
 * whose table keeps no stamp) are read from the database on every request.
 */
const STAMPED: Partial<Record<ObjectKind, StampedTable[]>> = {
  sites: ['sites'],
  clusters: ['clusters'],
  hosts: ['hosts'],
  devices: ['devices'],
  datastores: ['datastores'],
  vms: ['vms'],
  aggregates: ['host_aggregates', 'host_aggregate_hosts'],
  policies: ['policies'],
  volumes: ['volumes'],
  bricks: ['bricks'],
  filesystems: ['filesystems'],
  targets: ['targets'],
  // A job's steps change only together with its row (one statement), which bumps this stamp.
  jobs: ['jobs'],
};

const kindOf = (raw: string): ObjectKind => {
  if (!isObjectKind(raw)) throw new CoreError('NOT_FOUND', `unknown object kind ${raw}`, { kind: 'kind', id: raw });
  return raw;
};

interface PageQuery {
  filter?: Filter;
  limit: number;
  offset: number;
  after?: number;
  /** Every parameter the answer depends on, as the cache key. */
  key: string;
}

function parse(kind: ObjectKind, req: Request): PageQuery {
  const offset = intParam(req.query.offset, 'offset', { fallback: 0 })!;
  const after = intParam(req.query.after, 'after');
  if (after !== undefined && offset) {
    throw new CoreError('VALIDATION', 'give offset or after, not both', { fields: [{ field: 'after', problem: 'cannot be combined with offset' }] });
  }
  const limit = intParam(req.query.limit, 'limit', { min: 1, max: 1000, fallback: 100 })!;
  const named = ['name', 'q', ...OBJECT_FILTER_FIELDS].map((p) => stringParams(req.query[p], p)[0] ?? '');
  return { filter: objectFilter(kind, req), limit, offset, after, key: JSON.stringify([kind, limit, offset, after ?? null, ...named]) };
}

/**
 * GET /objects/{kind}: pages in creation order, by `offset` or by keyset (`after` = the `seq` of
 * the last object seen; `next` in each answer is the value for the following page, null at the
 * end). A keyset page costs the same at any depth; an offset page costs the rows it skips.
 */
export function objectRoutes(r: Router, services: Services, store: Store): void {
  const rendered = new StampedCache(16 * 1024 * 1024);
  // Concurrent requests share one stamp read (never one that began before they arrived).
  const stamps = new Map<ObjectKind, () => Promise<string>>();
  const stampOf = (kind: ObjectKind): (() => Promise<string>) | undefined => {
    const tables = STAMPED[kind];
    if (!tables) return undefined;
    let read = stamps.get(kind);
    if (!read) stamps.set(kind, (read = coalescedReads(() => services.changes.stamp(tables))));
    return read;
  };

  async function build(kind: ObjectKind, q: PageQuery): Promise<Buffer> {
    // One round trip when unfiltered: the page and the kept total of the whole listing (the
    // keyset cursor narrows the items, not the total).
    const { total, items } = await objectReads(kind, services, store).page({
      filter: q.filter,
      order: [{ field: 'seq', direction: 'asc' }],
      limit: q.limit,
      offset: q.offset,
      afterSeq: q.after,
    });
    const next = items.length === q.limit ? (items[items.length - 1] as { seq: number }).seq : null;
    return Buffer.from(JSON.stringify({ total, items, next }));
  }

  r.get('/objects/:kind', async (req, res) => {
    // Express 5 parses the query string again on every read of req.query, and a page reads it
    // a dozen times: parse it once.
    Object.defineProperty(req, 'query', { value: req.query, configurable: true, enumerable: true });
    const kind = kindOf(req.params.kind as string);
    const q = parse(kind, req);
    const stamp = stampOf(kind);
    // The stamp is read before the data, so a kept page is never older than its stamp.
    const body = stamp ? await rendered.get(q.key, await stamp(), () => build(kind, q)) : await build(kind, q);
    res.type('application/json; charset=utf-8').send(body);
  });
  r.get('/objects/:kind/:id', async (req, res) => {
    res.json(await objectReads(kindOf(req.params.kind as string), services, store).get(req.params.id as string));
  });
}
