import { Router } from 'express';
import { CoreError } from '@rosetta/core';
import { RequestJournal, intParam, stringParams } from '@rosetta/http';

/** The recent-request ring of this gateway process: query newest first, tail with `after`, clear. */
export function journalRoutes(r: Router, journal: RequestJournal): void {
  r.get('/journal', (req, res) => {
    const status = stringParams(req.query.status, 'status')[0];
    if (status !== undefined && !/^([1-5]xx|\d{3})$/i.test(status)) {
      throw new CoreError('VALIDATION', 'status is a code (404) or a class (5xx)', { fields: [{ field: 'status', problem: 'must look like 404 or 5xx' }] });
    }
    const entries = journal.query({
      dialect: stringParams(req.query.dialect, 'dialect')[0],
      status,
      pathContains: stringParams(req.query.path, 'path')[0],
      jobId: stringParams(req.query.job, 'job')[0],
      objectId: stringParams(req.query.object, 'object')[0],
      after: intParam(req.query.after, 'after', { fallback: 0 }),
      limit: intParam(req.query.limit, 'limit', { min: 1, max: journal.size, fallback: 100 }),
    });
    res.json({ size: journal.size, count: journal.count(), captureBodies: journal.captureBodies, entries });
  });
  r.put('/journal/settings', (req, res) => {
    const body = (req.body ?? {}) as { captureBodies?: unknown };
    if (typeof body.captureBodies !== 'boolean') {
      throw new CoreError('VALIDATION', 'captureBodies must be true or false', { fields: [{ field: 'captureBodies', problem: 'must be a boolean' }] });
    }
    journal.captureBodies = body.captureBodies;
    res.json({ captureBodies: journal.captureBodies });
  });
  r.delete('/journal', (_req, res) => {
    journal.clear();
    res.status(204).end();
  });
}
