import { Router } from 'express';
import { Site } from '@rosetta/core';
import { CollectionSpec, ids, objectBody, parseList, str, text } from '../parse';
import { consumes } from '../media';
import { RouteContext, param, sendList, sendTask } from './context';

/** A cluster group is the core site: the federation's clusters, grouped for access control. */
const spec: CollectionSpec = { filters: { id: ids('id'), name: text('name') }, sorts: { name: 'name', id: 'id' } };

export function clusterGroupRoutes(router: Router, ctx: RouteContext): void {
  router.get('/api/cluster_groups', async (req, res) => {
    const parsed = await parseList(req, spec);
    const page = await ctx.services.sites.page(parsed.query);
    const siteIds = page.items.map((s) => s.id);
    const clusters = siteIds.length ? await ctx.services.clusters.list({ filter: { field: 'siteId', op: 'in', value: siteIds }, order: [{ field: 'name', direction: 'asc' }] }) : [];
    sendList(res, 'cluster_groups', parsed, page, (s: Site) => ({ id: s.id, name: s.name, clusters: clusters.filter((c) => c.siteId === s.id).map((c) => c.id) }));
  });

  // Renaming a cluster group renames the site, as every dialect sees it (Eco4Cloud Farm, Nova region).
  router.post('/api/cluster_groups/:id/rename', consumes(7, ctx.settings.strictMediaTypes), async (req, res) => {
    sendTask(res, await ctx.services.operations.renameSite(ctx.origin, param(req, 'id'), str(objectBody(req), 'cluster_group_name', true)));
  });
}
