// Shared helpers for the benchmarks: processes, databases, HTTP load, and the report table.
const { spawn } = require('child_process');
const path = require('path');
const http = require('http');
const crypto = require('crypto');
const fs = require('fs');

const ROOT = path.resolve(__dirname, '..');
const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

const rows = [];
function report(name, value, unit, target, ok) {
  rows.push({ name, value, unit, target, ok });
  const mark = ok === undefined ? '    ' : ok ? 'PASS' : 'MISS';
  process.stdout.write(`${mark}  ${name.padEnd(58)} ${String(value).padStart(10)} ${unit.padEnd(8)} target ${target}\n`);
}

function summary() {
  const missed = rows.filter((r) => r.ok === false);
  process.stdout.write(`\n${rows.filter((r) => r.ok).length} targets met, ${missed.length} missed\n`);
  return rows;
}

/** A fresh database for one benchmark, dropped by the returned function. */
async function freshDatabase(label) {
  const knex = require('knex');
  const name = `rosetta_bench_${label}_${crypto.randomBytes(3).toString('hex')}`;
  const admin = new URL(DATABASE_URL);
  admin.pathname = '/postgres';
  const k = knex({ client: 'pg', connection: admin.toString(), pool: { min: 0, max: 1 } });
  await k.raw('CREATE DATABASE ??', [name]);
  await k.destroy();
  const url = new URL(admin.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const d = knex({ client: 'pg', connection: admin.toString(), pool: { min: 0, max: 1 } });
      await d.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
      await d.destroy();
    },
  };
}

function startProcess(script, env, { quiet = true } = {}) {
  const child = spawn(process.execPath, [path.join(ROOT, script)], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'],
  });
  return child;
}

function get(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      })
      .on('error', reject);
  });
}

async function waitHealthy(base, ms = 120000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await get(`${base}/_rosetta/health`);
      if (r.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${base} did not become healthy`);
}

async function freePort() {
  const net = require('net');
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

function rssMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  return Math.round(kb / 1024);
}

/**
 * autocannon in a process of its own (bench/load-child.js): in this process it would take turns
 * with an in-process server on one event loop and bill its own CPU (parsing thousands of responses
 * a second) to the server's latency. Options are autocannon's, JSON only; `paths` replaces a
 * setupRequest function: the paths are requested in turn.
 */
function load(opts) {
  const { execFile } = require('child_process');
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [path.join(__dirname, 'load-child.js')], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`load generator failed: ${stderr || err.message}`));
      resolve(JSON.parse(stdout));
    });
    child.stdin.end(JSON.stringify(opts));
  });
}

/** An express app served the way the gateway serves it (expressServerOptions); resolves to the server. */
function listenLikeGateway(app) {
  const { expressServerOptions } = require(path.join(ROOT, 'packages/http/dist'));
  return new Promise((resolve) => {
    const s = http.createServer(expressServerOptions(app), app).listen(0, '127.0.0.1', () => resolve(s));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

module.exports = { ROOT, DATABASE_URL, REDIS_URL, report, summary, freshDatabase, startProcess, waitHealthy, freePort, rssMb, load, listenLikeGateway, get, stop };

/**
 * A whole domain on a fresh database with jobs run in-process, and one dialect router served on
 * a random port: what the in-process dialect benchmarks measure against.
 */
async function inProcessDialect(label) {
  const { createDatabase, migrate, createKnexStore } = require(path.join(ROOT, 'packages/store/dist'));
  const { createInProcessJobQueue } = require(path.join(ROOT, 'packages/queue/dist'));
  const core = require(path.join(ROOT, 'packages/core/dist'));
  const { requestId } = require(path.join(ROOT, 'packages/http/dist'));
  const express = require('express');
  const pino = require('pino');
  const db = await freshDatabase(label);
  const knex = createDatabase({ url: db.url, poolMax: 20 });
  await migrate(knex);
  const clock = new core.ControllableClock();
  const store = createKnexStore({ knex, now: () => clock.now() });
  const ids = new core.RandomIds();
  const queue = createInProcessJobQueue({ runner: core.createJobRunner({ store, clock, ids }), concurrency: 8 });
  const services = core.createServices({ store, clock, ids, queue, stepScale: 0 });
  const deps = { services, faults: core.NO_FAULTS, logger: pino({ level: 'silent' }), bodyLimitBytes: 1024 * 1024 };
  let server;
  return {
    core,
    knex,
    store,
    services,
    deps,
    /** Mounts the router at mountPath and listens; resolves to the base URL. */
    async serve(mountPath, router) {
      const app = express();
      app.disable('x-powered-by');
      app.set('etag', false);
      app.use(requestId());
      app.use(mountPath, router);
      server = await listenLikeGateway(app);
      return `http://127.0.0.1:${server.address().port}${mountPath}`;
    },
    async close() {
      if (server) await new Promise((r) => server.close(r));
      await queue.close();
      await knex.destroy();
      await db.drop();
    },
  };
}

/** Lets a benchmark file run on its own (`node bench/x.bench.js`) as well as from run.js. */
function runIfMain(mod, fn) {
  if (require.main === mod) {
    fn().catch((err) => {
      console.error(err);
      process.exit(1);
    });
  }
}

module.exports.inProcessDialect = inProcessDialect;
module.exports.runIfMain = runIfMain;
