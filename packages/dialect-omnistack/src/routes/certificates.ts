import express, { NextFunction, Request, Response, Router } from 'express';
import { toCoreBodyError } from '@rosetta/http';
import { CoreError, TrustedCertificate } from '@rosetta/core';
import { multipartField } from '../multipart';
import { CollectionSpec, ids, objectBody, parseList, str, text } from '../parse';
import { sendJson } from '../wire';
import { consumes } from '../media';
import { RouteContext, param, sendList } from './context';

const spec: CollectionSpec = {
  filters: { id: ids('id'), hash: text('thumbprint', false), subject: text('subject'), issuer: text('issuer') },
  sorts: { hash: 'thumbprint', subject: 'subject', issuer: 'issuer', serialno: 'serial' },
};

export const renderCertificate = (c: TrustedCertificate) => ({ certificate: c.pem, hash: c.thumbprint, subject: c.subject, issuer: c.issuer, serialno: c.serial });

const parseRaw = express.raw({ type: (req) => /^multipart\/form-data/i.test(req.headers['content-type'] ?? ''), limit: 1024 * 1024 });
/** The upload's body as bytes; body-parser failures (too large) in the vendor's shape. */
const rawMultipart = (req: Request, res: Response, next: NextFunction): void =>
  parseRaw(req, res, (err?: unknown) => next(err ? (toCoreBodyError(err) ?? err) : undefined));

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
    // multipart/form-data with the DER (or PEM) file in a part named `certificate`; 201 as the JSON upload.
    router.post(`${base}/upload_der_encoded_certificate`, rawMultipart, async (req, res) => {
      const type = req.headers['content-type'] ?? '';
      if (!/^multipart\/form-data/i.test(type) || !Buffer.isBuffer(req.body)) {
        throw new CoreError('VALIDATION', `Content type '${type.split(';')[0]}' not supported`, { reason: 'media_type', fields: [{ field: 'Content-Type', problem: 'must be multipart/form-data' }] });
      }
      sendJson(res, 201, renderCertificate(await store.add(multipartField(type, req.body, 'certificate'))));
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
