import { Router } from 'express';
import { TrustedCertificate } from '@rosetta/core';
import { CollectionSpec, ids, objectBody, parseList, str, text } from '../parse';
import { sendJson } from '../wire';
import { consumes } from '../media';
import { RouteContext, param, sendList } from './context';

const spec: CollectionSpec = {
  filters: { id: ids('id'), hash: text('thumbprint', false), subject: text('subject'), issuer: text('issuer') },
  sorts: { hash: 'thumbprint', subject: 'subject', issuer: 'issuer', serialno: 'serial' },
};

export const renderCertificate = (c: TrustedCertificate) => ({ certificate: c.pem, hash: c.thumbprint, subject: c.subject, issuer: c.issuer, serialno: c.serial });

/** The trust store, at /security/certificates and at /certificates (its path before REST 1.12, still used by HPE's cmdlets). */
export function certificateRoutes(router: Router, ctx: RouteContext): void {
  const store = ctx.services.trustStore;
  for (const base of ['/api/security/certificates', '/api/certificates']) {
    router.get(base, async (req, res) => {
      const parsed = await parseList(req, spec);
      sendList(res, 'certificates', parsed, await store.page(parsed.query), renderCertificate);
    });
    router.post(base, consumes(8, ctx.settings.strictMediaTypes), async (req, res) => {
      sendJson(res, 201, renderCertificate(await store.add(str(objectBody(req), 'certificate', true))));
    });
    router.get(`${base}/:hash`, async (req, res) => {
      sendJson(res, 200, renderCertificate(await store.byThumbprint(param(req, 'hash'))));
    });
    router.delete(`${base}/:hash`, async (req, res) => {
      await store.remove(param(req, 'hash'));
      res.status(204).end();
    });
  }
}
