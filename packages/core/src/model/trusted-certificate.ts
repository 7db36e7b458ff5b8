import { Entity } from './entity';

/** A certificate an appliance trusts (OmniStack's trust store), identified by its SHA-1 thumbprint. */
export interface TrustedCertificate extends Entity {
  /** Lowercase hex SHA-1 of the DER encoding, no separators. */
  thumbprint: string;
  pem: string;
  subject: string;
  issuer: string;
  /** Serial number in hex, as X.509 tools print it. */
  serial: string;
}

export interface NewTrustedCertificate {
  id?: string;
  thumbprint: string;
  pem: string;
  subject: string;
  issuer: string;
  serial: string;
}
