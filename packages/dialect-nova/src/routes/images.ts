import { Router } from 'express';
import { stringParams } from '@rosetta/http';
import { ComputeContext, caller, computeBase } from '../context';
import { novaFault } from '../errors';
import { renderGlanceImage } from '../render';

/**
 * The smallest Glance v2 the compute clients need to resolve an image name (mounted at
 * <compute>/image, which the catalog lists as the image service). Images come from configuration.
 */
export function imageRoutes(router: Router, ctx: ComputeContext): void {
  const { images } = ctx.settings;
  // Configured images have no creation time of their own: they exist as long as the service.
  const since = ctx.services.clock.now();

  router.get('/', (req, res) => {
    const base = `${computeBase(req)}/image`;
    res.status(300).json({
      versions: ['2.9', '2.8', '2.7', '2.6', '2.5', '2.4', '2.3', '2.2', '2.1', '2.0'].map((v, i) => ({
        id: `v${v}`,
        status: i === 0 ? 'CURRENT' : 'SUPPORTED',
        links: [{ rel: 'self', href: `${base}/v2/` }],
      })),
    });
  });

  router.get('/v2/images', async (req, res) => {
    caller(req);
    const [name] = stringParams(req.query.name, 'name');
    const [id] = stringParams(req.query.id, 'id');
    const list = images.filter((m) => (name === undefined || m.name === name) && (id === undefined || m.id === id));
    res.json({ images: list.map((m) => renderGlanceImage(m, since)), schema: '/v2/schemas/images', first: '/v2/images' });
  });

  router.get('/v2/images/:id', async (req, res) => {
    caller(req);
    const found = images.find((m) => m.id === req.params.id);
    if (!found) throw novaFault('NOT_FOUND', `No image found with ID ${req.params.id}`);
    res.json(renderGlanceImage(found, since));
  });
}
