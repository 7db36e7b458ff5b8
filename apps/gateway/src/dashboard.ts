import fs from 'fs';
import path from 'path';
import express, { Router } from 'express';

/** Where `npm run build` leaves the dashboard (apps/dashboard/dist), from src/ and dist/ alike. */
export const DASHBOARD_DIR = path.resolve(__dirname, '../../dashboard/dist');

/**
 * The ops dashboard's built files at /_rosetta/ui. The files are served openly: they hold no data,
 * and every call they make goes to the control API, which keeps its loopback / admin-token guard
 * (the page asks for the token when the API refuses it). A gateway started before the dashboard
 * was built still starts, and says so here with a 503 until the files appear.
 */
export function dashboardRouter(dir: string = DASHBOARD_DIR): Router {
  const router = Router();
  // Vite names assets by content hash: they never change under a name, so caches may keep them.
  router.use('/assets', express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '1y' }));
  router.use(express.static(dir, { index: 'index.html', maxAge: 0 }));
  router.use((req, res) => {
    if (!fs.existsSync(path.join(dir, 'index.html'))) {
      res.status(503).type('text/plain').send('The Rosetta dashboard has not been built: run `npm run build` (or `npm run build -w apps/dashboard`), then reload.\n');
      return;
    }
    res.status(404).type('text/plain').send(`No dashboard file ${req.path}; the dashboard is at /_rosetta/ui/\n`);
  });
  return router;
}
