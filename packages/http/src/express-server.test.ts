import http from 'http';
import { AddressInfo } from 'net';
import express from 'express';
import { expressServerOptions } from './express-server';

async function serve(server: http.Server): Promise<{ base: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

describe('expressServerOptions', () => {
  it('hands express requests and responses that already have its prototypes, and express still works', async () => {
    const app = express();
    const seen: { requestProto: boolean; responseProto: boolean }[] = [];
    app.get('/items/:id', (req, res) => {
      res.status(201).json({ id: req.params.id, host: req.hostname, accept: req.get('accept'), q: req.query.q });
    });
    const server = http.createServer(expressServerOptions(app), app);
    // Runs before express's own listener: what Express's setPrototypeOf would have to change.
    server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      seen.push({ requestProto: Object.getPrototypeOf(req) === app.request, responseProto: Object.getPrototypeOf(res) === app.response });
    });
    const { base, close } = await serve(server);
    try {
      const res = await fetch(`${base}/items/7?q=x`, { headers: { accept: 'application/json' } });
      expect(res.status).toBe(201);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await res.json()).toEqual({ id: '7', host: '127.0.0.1', accept: 'application/json', q: 'x' });
      expect(seen).toEqual([{ requestProto: true, responseProto: true }]);
    } finally {
      await close();
    }
  });

  it('gives the same classes for the same app, and keeps the app settings express reads through req.app', async () => {
    const app = express();
    app.set('trust proxy', 'loopback');
    app.get('/ip', (req, res) => void res.send(`${req.ip} ${req.app === app}`));
    const options = expressServerOptions(app);
    expect(expressServerOptions(app)).toBe(options);
    const { base, close } = await serve(http.createServer(options, app));
    try {
      const res = await fetch(`${base}/ip`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
      expect(await res.text()).toBe('203.0.113.9 true');
    } finally {
      await close();
    }
  });
});
