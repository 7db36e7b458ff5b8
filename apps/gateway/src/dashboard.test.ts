import fs from 'fs';
import os from 'os';
import path from 'path';
import express from 'express';
import request from 'supertest';
import { dashboardRouter } from './dashboard';

const appFor = (dir: string) => express().use('/_rosetta/ui', dashboardRouter(dir));

describe('the dashboard files at /_rosetta/ui', () => {
  it('says the dashboard is not built (503, plain text) when its files are missing', async () => {
    const res = await request(appFor(path.join(os.tmpdir(), 'no-such-dashboard-build'))).get('/_rosetta/ui/').expect(503);
    expect(res.type).toBe('text/plain');
    expect(res.text).toContain('npm run build');
  });

  it('serves the built page and its hashed assets, and answers 404 for other files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-dist-'));
    try {
      fs.mkdirSync(path.join(dir, 'assets'));
      fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
      fs.writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
      const app = appFor(dir);
      const page = await request(app).get('/_rosetta/ui/').expect(200);
      expect(page.text).toContain('id="root"');
      const asset = await request(app).get('/_rosetta/ui/assets/index-abc123.js').expect(200);
      expect(asset.headers['cache-control']).toContain('immutable');
      const missing = await request(app).get('/_rosetta/ui/assets/gone.js').expect(404);
      expect(missing.text).toContain('No dashboard file');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
