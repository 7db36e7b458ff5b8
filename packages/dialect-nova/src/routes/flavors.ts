import { Request, Response, Router } from 'express';
import { intParam, stringParams } from '@rosetta/http';
import { ComputeContext, caller, computeBase } from '../context';
import { novaFault } from '../errors';
import { Flavor, renderFlavor } from '../render';

/** Flavors come from configuration: public, read-only. */
export function flavorRoutes(router: Router, ctx: ComputeContext): void {
  const { flavors } = ctx.settings;

  const find = (id: string): Flavor => {
    const found = flavors.find((f) => f.id === id);
    if (!found) throw novaFault('NOT_FOUND', `Flavor ${id} could not be found.`);
    return found;
  };

  const listing = (detail: boolean) => async (req: Request, res: Response) => {
    caller(req);
    const minRam = intParam(req.query.minRam, 'minRam', { fallback: 0 })!;
    const minDisk = intParam(req.query.minDisk, 'minDisk', { fallback: 0 })!;
    const [marker] = stringParams(req.query.marker, 'marker');
    const limit = intParam(req.query.limit, 'limit', { min: 0 });
    let list = [...flavors].sort((a, b) => Number(a.id) - Number(b.id) || a.id.localeCompare(b.id)).filter((f) => f.ramMb >= minRam && f.diskGb >= minDisk);
    if (marker !== undefined) {
      const at = list.findIndex((f) => f.id === marker);
      if (at < 0) throw novaFault('VALIDATION', `marker [${marker}] not found`);
      list = list.slice(at + 1);
    }
    if (limit !== undefined) list = list.slice(0, limit);
    res.json({ flavors: list.map((f) => renderFlavor(f, computeBase(req), req.microversion, detail)) });
  };

  router.get('/flavors', listing(false));
  router.get('/flavors/detail', listing(true));
  router.get('/flavors/:id', async (req, res) => {
    caller(req);
    res.json({ flavor: renderFlavor(find(req.params.id), computeBase(req), req.microversion, true) });
  });
  router.get('/flavors/:id/os-extra_specs', async (req, res) => {
    caller(req);
    find(req.params.id);
    res.json({ extra_specs: {} });
  });
  router.get('/flavors/:id/os-extra_specs/:key', async (req) => {
    caller(req);
    find(req.params.id);
    throw novaFault('NOT_FOUND', `Flavor ${req.params.id} has no extra specs with key ${req.params.key}.`);
  });
}
