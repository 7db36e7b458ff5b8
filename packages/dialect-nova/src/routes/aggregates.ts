import { Request, Response, Router } from 'express';
import { HostAggregate } from '@rosetta/core';
import { StampedCache } from '@rosetta/http';
import { ComputeContext, aggregateBySeq, hostByName, hostNames, jsonBody, requireAdmin, novaInt, sendStampedJson } from '../context';
import { novaFault } from '../errors';
import { atLeast } from '../microversion';
import { parseAggregateCreate, parseAggregateUpdate, parseCacheImages, parseAction } from '../parse';
import { renderAggregate } from '../render';

const RULE = 'os_compute_api:os-aggregates';

async function send(res: Response, req: Request, ctx: ComputeContext, aggregate: HostAggregate): Promise<void> {
  const names = await hostNames(ctx.services, aggregate.hostIds);
  res.json({ aggregate: renderAggregate(aggregate, { version: req.microversion, hostNames: names }) });
}

/** os-aggregates: every check in Nova's order (schema, policy, id, logic). */
export function aggregateRoutes(router: Router, ctx: ComputeContext): void {
  const { services } = ctx;

  const listing = new StampedCache();
  router.get('/os-aggregates', async (req, res) => {
    requireAdmin(req, `${RULE}:index`);
    // Host names come from the hosts table, so a rename shows up too.
    const stamp = await services.changes.stamp(['host_aggregates', 'host_aggregate_hosts', 'hosts']);
    await sendStampedJson(res, listing, String(req.microversion.minor), stamp, async () => {
      const aggregates = await services.aggregates.list({ order: [{ field: 'seq', direction: 'asc' }] });
      const names = await hostNames(services, aggregates.flatMap((a) => a.hostIds));
      return { aggregates: aggregates.map((a) => renderAggregate(a, { version: req.microversion, hostNames: names })) };
    });
  });

  router.post('/os-aggregates', async (req, res) => {
    const input = parseAggregateCreate(jsonBody(req));
    requireAdmin(req, `${RULE}:create`);
    const created = await services.zones.createAggregate(input);
    res.json({ aggregate: renderAggregate(created, { version: req.microversion, hostNames: new Map(), created: true }) });
  });

  router.get('/os-aggregates/:id', async (req, res) => {
    requireAdmin(req, `${RULE}:show`);
    req.novaOp = { op: 'aggregate_show', id: req.params.id };
    await send(res, req, ctx, await aggregateBySeq(services, req.params.id));
  });

  router.put('/os-aggregates/:id', async (req, res) => {
    const patch = parseAggregateUpdate(jsonBody(req));
    requireAdmin(req, `${RULE}:update`);
    req.novaOp = { op: 'aggregate_update', id: req.params.id };
    const aggregate = await aggregateBySeq(services, req.params.id);
    await send(res, req, ctx, await services.zones.updateAggregate(aggregate.id, patch));
  });

  router.delete('/os-aggregates/:id', async (req, res) => {
    requireAdmin(req, `${RULE}:delete`);
    req.novaOp = { op: 'aggregate_delete', id: req.params.id };
    const aggregate = await aggregateBySeq(services, req.params.id);
    await services.aggregates.remove(aggregate.id);
    res.status(200).end();
  });

  router.post('/os-aggregates/:id/action', async (req, res) => {
    const action = parseAction(jsonBody(req));
    req.novaOp = { op: `aggregate_${action.kind}`, id: req.params.id };
    switch (action.kind) {
      case 'add_host':
      case 'remove_host': {
        requireAdmin(req, `${RULE}:${action.kind}`);
        novaInt(req.params.id);
        req.novaOp.host = action.host;
        const host = await hostByName(services, action.host);
        const aggregate = await aggregateBySeq(services, req.params.id);
        const change = action.kind === 'add_host' ? services.zones.addHost : services.zones.removeHost;
        return send(res, req, ctx, await change(aggregate.id, host.id));
      }
      case 'metadata': {
        requireAdmin(req, `${RULE}:set_metadata`);
        const aggregate = await aggregateBySeq(services, req.params.id);
        return send(res, req, ctx, await services.zones.setMetadata(aggregate.id, action.metadata));
      }
    }
  });

  router.post('/os-aggregates/:id/images', async (req, res) => {
    if (!atLeast(req, 81)) throw novaFault('NOT_FOUND', 'The resource could not be found.');
    const images = parseCacheImages(jsonBody(req));
    requireAdmin(req, 'compute:aggregates:images');
    req.novaOp = { op: 'aggregate_images', id: req.params.id };
    const aggregate = await aggregateBySeq(services, req.params.id);
    for (const id of images) {
      if (!ctx.settings.images.some((m) => m.id === id)) throw novaFault('VALIDATION', `Image ${id} could not be found.`);
    }
    // Pre-caching is a hint to the hypervisors; the domain has no image cache to fill.
    void aggregate;
    res.status(202).end();
  });
}
