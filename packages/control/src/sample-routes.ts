import { Router } from 'express';
import { CoreError, Services } from '@rosetta/core';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An ISO 8601 date-time (a date alone means its midnight UTC), as Date.parse reads it. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const invalid = (field: string, problem: string): CoreError => new CoreError('VALIDATION', `${field} ${problem}`, { fields: [{ field, problem }] });

function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(name, 'must be given once');
  return value;
}

function date(query: Record<string, unknown>, name: string): Date | undefined {
  const raw = single(query, name);
  if (raw === undefined) return undefined;
  // An unencoded "+01:00" offset arrives as " 01:00" (a query string's + is a space).
  const text = raw.replace(/ (\d{2}:?\d{2})$/, '+$1');
  const ms = ISO_DATE.test(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms)) throw invalid(name, 'must be an ISO 8601 date-time such as 2026-12-01T10:00:00Z');
  return new Date(ms);
}

/**
 * The stored performance time series, for dashboards: a site's power draw per sampling instant.
 * GET /samples/power?site=<uuid>&since=<iso>&until=<iso> (default: the last hour on the domain clock).
 */
export function sampleRoutes(r: Router, services: Services): void {
  r.get('/samples/power', async (req, res) => {
    const query = req.query as Record<string, unknown>;
    const site = single(query, 'site');
    if (site === undefined || site === '') throw invalid('site', 'is required (a site uuid)');
    if (!UUID.test(site)) throw invalid('site', 'must be a uuid');
    const points = await services.samples.powerSeries(site, date(query, 'since'), date(query, 'until'));
    res.json({ points: points.map((p) => ({ at: p.at.toISOString(), watts: p.watts, hostsOn: p.hostsOn, hostsOff: p.hostsOff })) });
  });
}
