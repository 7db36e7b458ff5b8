import { Router } from 'express';
import { ControlStore, CoreError, SnapshotDocument, SnapshotInfo } from '@rosetta/core';
import { RequestGate, toCoreBodyError } from '@rosetta/http';

export interface SnapshotRouteDeps {
  control: ControlStore;
  gate?: RequestGate;
  /** Planner statistics after the swap. */
  analyze(): Promise<void>;
  /** Puts restored unfinished jobs back on the queue. */
  afterRestore(): Promise<unknown>;
  /** Makes this process see restored control state (clock, fault rules) at once; others follow within their refresh interval. */
  reloadControl?(): Promise<void>;
}

const view = (s: SnapshotInfo) => ({
  name: s.name,
  createdAt: s.createdAt.toISOString(),
  schema: s.schema,
  rowCounts: s.rowCounts,
  rows: Object.values(s.rowCounts).reduce((a, b) => a + b, 0),
  ...(s.control ? { control: s.control } : {}),
});

function parseSave(body: unknown): { name: string; replace: boolean } {
  const b = (body ?? {}) as { name?: unknown; replace?: unknown };
  if (typeof b.name !== 'string') throw new CoreError('VALIDATION', 'name is required', { fields: [{ field: 'name', problem: 'must be a string' }] });
  if (b.replace !== undefined && typeof b.replace !== 'boolean') throw new CoreError('VALIDATION', 'replace must be a boolean', { fields: [{ field: 'replace', problem: 'must be a boolean' }] });
  return { name: b.name, replace: b.replace === true };
}

function parseDocument(body: unknown): SnapshotDocument {
  const d = body as Partial<SnapshotDocument> | undefined;
  const problems: { field: string; problem: string }[] = [];
  if (!d || typeof d !== 'object' || Array.isArray(d)) problems.push({ field: 'body', problem: 'must be a snapshot document' });
  else {
    if (d.format !== 'rosetta-snapshot') problems.push({ field: 'format', problem: 'must be "rosetta-snapshot"' });
    if (typeof d.name !== 'string') problems.push({ field: 'name', problem: 'must be a string' });
    if (typeof d.schema !== 'string') problems.push({ field: 'schema', problem: 'must be a string' });
    if (!d.tables || typeof d.tables !== 'object' || Array.isArray(d.tables) || Object.values(d.tables).some((rows) => !Array.isArray(rows))) {
      problems.push({ field: 'tables', problem: 'must map table names to arrays of rows' });
    }
  }
  if (problems.length) throw new CoreError('VALIDATION', 'not a Rosetta snapshot document', { fields: problems });
  return d as SnapshotDocument;
}

const queryName = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** Named snapshots of the whole domain: save, list, restore (atomic), delete, export, import. */
export function snapshotRoutes(r: Router, deps: SnapshotRouteDeps): void {
  const { control } = deps;
  const mustExist = async (name: string): Promise<SnapshotInfo> => {
    const s = await control.getSnapshot(name);
    if (!s) throw new CoreError('NOT_FOUND', `no snapshot named ${name}`, { kind: 'snapshot', id: name });
    return s;
  };

  r.get('/snapshots', async (_req, res) => {
    res.json({ snapshots: (await control.listSnapshots()).map(view) });
  });
  r.post('/snapshots', async (req, res) => {
    const { name, replace } = parseSave(req.body);
    res.status(201).json(view(await control.saveSnapshot(name, { replace })));
  });
  // Declared before /snapshots/:name so "import" is never read as a name.
  r.post('/snapshots/import', async (req, res) => {
    if (res.locals.bodyError) throw toCoreBodyError(res.locals.bodyError) ?? res.locals.bodyError;
    const doc = parseDocument(req.body);
    const replace = req.query.replace === 'true';
    res.status(201).json(view(await control.importSnapshot(doc, { name: queryName(req.query.name), replace })));
  });
  r.get('/snapshots/:name', async (req, res) => {
    res.json(view(await mustExist(req.params.name as string)));
  });
  r.delete('/snapshots/:name', async (req, res) => {
    if (!(await control.deleteSnapshot(req.params.name as string))) await mustExist(req.params.name as string);
    res.status(204).end();
  });
  r.get('/snapshots/:name/export', async (req, res) => {
    const name = req.params.name as string;
    const text = await control.exportSnapshot(name);
    if (text === undefined) await mustExist(name);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${name}.rosetta-snapshot.json"`);
    res.send(text);
  });
  r.post('/snapshots/:name/restore', async (req, res) => {
    const name = req.params.name as string;
    const started = Date.now();
    const swap = async () => {
      const done = await control.restoreSnapshot(name);
      // Inside the gate, so the first request after the swap sees the restored rules and time.
      await deps.reloadControl?.();
      return done;
    };
    const restored = deps.gate ? await deps.gate.exclusive(swap) : await swap();
    await deps.analyze();
    const requeued = await deps.afterRestore();
    res.json({ restored: view(restored), requeuedJobs: requeued, ms: Date.now() - started });
  });
}
