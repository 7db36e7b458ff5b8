import { X509Certificate } from 'crypto';
import { CoreError, notFound } from '../errors';
import { NewTrustedCertificate, TrustedCertificate } from '../model/trusted-certificate';
import { eq } from '../ports/query';
import { ServiceDeps } from './deps';
import { Reads, readsOf } from './reads';

export interface TrustStoreService extends Reads<TrustedCertificate> {
  /** Adds a PEM or DER certificate; VALIDATION if it does not parse, ALREADY_EXISTS if trusted already. */
  add(certificate: string | Buffer): Promise<TrustedCertificate>;
  byThumbprint(thumbprint: string): Promise<TrustedCertificate>;
  remove(thumbprint: string): Promise<void>;
}

/** Reads one X.509 certificate; what it says about itself is what the store records. */
export function parseCertificate(certificate: string | Buffer): NewTrustedCertificate {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(certificate);
  } catch {
    throw new CoreError('VALIDATION', 'not an X.509 certificate', { fields: [{ field: 'certificate', problem: 'is not a PEM or DER X.509 certificate' }] });
  }
  return {
    thumbprint: x509.fingerprint.replace(/:/g, '').toLowerCase(),
    pem: x509.toString(),
    subject: x509.subject.split('\n').join(', '),
    issuer: x509.issuer.split('\n').join(', '),
    serial: x509.serialNumber.toLowerCase(),
  };
}

export function createTrustStoreService({ store }: ServiceDeps): TrustStoreService {
  const find = async (thumbprint: string): Promise<TrustedCertificate | undefined> =>
    (await store.repos.trustedCertificates.list({ filter: eq('thumbprint', thumbprint.replace(/:/g, '').toLowerCase()), limit: 1 }))[0];
  return {
    ...readsOf(store, 'certificate', (r) => r.trustedCertificates),
    async add(certificate) {
      const parsed = parseCertificate(certificate);
      return store.transaction(async (tx) => {
        const [clash] = await tx.trustedCertificates.list({ filter: eq('thumbprint', parsed.thumbprint), limit: 1 });
        if (clash) throw new CoreError('ALREADY_EXISTS', `certificate ${parsed.thumbprint} is already trusted`, { kind: 'certificate', id: parsed.thumbprint });
        return tx.trustedCertificates.insert(parsed);
      });
    },
    async byThumbprint(thumbprint) {
      const found = await find(thumbprint);
      if (!found) throw notFound('certificate', thumbprint);
      return found;
    },
    async remove(thumbprint) {
      const found = await find(thumbprint);
      if (!found) throw notFound('certificate', thumbprint);
      await store.transaction((tx) => tx.trustedCertificates.delete(found.id));
    },
  };
}
