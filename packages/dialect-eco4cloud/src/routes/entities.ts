import { Request, Response } from 'express';
import { CoreError, Services } from '@rosetta/core';
import { EntityName, pageOf, parseEntity, parseGetQuery, parseSetBody } from '../parse';
import { ENVELOPES } from '../render';
import { Resource } from './resource';
import { farm } from './farm';
import { cluster } from './cluster';
import { host } from './host';
import { vm } from './vm';
import { datastore } from './datastore';

const RESOURCES: Record<EntityName, Resource> = { Farm: farm, Cluster: cluster, Host: host, Vm: vm, DataStore: datastore };

const bodies = new WeakMap<object, string>();

/** GET /api/<Entity>/get?<filters>[&page=N] */
export function getEntities(services: Services) {
  return async (req: Request, res: Response): Promise<void> => {
    const entity = parseEntity(String(req.params.entity));
    const resource = RESOURCES[entity];
    const { filters, page } = parseGetQuery(req.query as Record<string, unknown>, resource.filters);
    const cached = await resource.cachedBody?.(services, filters, pageOf(page));
    if (cached) {
      res.type('application/json').send(cached);
      return;
    }
    const rows = await resource.list(services, filters, pageOf(page));
    // A resource that memoizes its rows returns the same array again: reuse its serialization too.
    let body = bodies.get(rows);
    if (body === undefined) {
      body = JSON.stringify({ [ENVELOPES[entity]]: rows });
      bodies.set(rows, body);
    }
    res.type('application/json').send(body);
  };
}

/** POST /api/<Entity>/set with {"setList":[...],"whereList":[...]} */
export function setEntities(services: Services) {
  return async (req: Request, res: Response): Promise<void> => {
    const entity = parseEntity(String(req.params.entity));
    const spec = RESOURCES[entity].set;
    if (!spec) throw new CoreError('VALIDATION', `entity ${entity} has no settable parameters`, { reason: 'not_settable' });
    const { name, patch } = parseSetBody(req.body, spec);
    const rows = await services.consolidation.configure(spec.kind, name, patch);
    res.json({ result: 'ok', rows_affected: rows });
  };
}
