import { NewTrustedCertificate, TrustedCertificate } from '@rosetta/core';
import { TableDef, entity, baseFields } from '../table-repository';

export const trustedCertificatesTable: TableDef<TrustedCertificate, NewTrustedCertificate, Record<string, never>> = {
  table: 'trusted_certificates',
  kind: 'certificate',
  fields: {
    ...baseFields,
    thumbprint: { column: 'thumbprint', type: 'string' },
    subject: { column: 'subject', type: 'string' },
    issuer: { column: 'issuer', type: 'string' },
    serial: { column: 'serial', type: 'string' },
  },
  toEntity: (r) => entity(r, {
    thumbprint: r.thumbprint as string,
    pem: r.pem as string,
    subject: r.subject as string,
    issuer: r.issuer as string,
    serial: r.serial as string,
  }),
  insertRow: (n) => ({ thumbprint: n.thumbprint, pem: n.pem, subject: n.subject, issuer: n.issuer, serial: n.serial }),
  patchRow: () => ({}),
};
