import fs from 'fs';
import path from 'path';
import selfsigned from 'selfsigned';

export interface TlsMaterial {
  cert: string;
  key: string;
}

/**
 * A configured certificate, or a self-signed one generated at first start and kept under
 * the data directory (SAN IP:127.0.0.1 and DNS:localhost, as vendor SDKs check them).
 * The same PEM is what a client verifies against (IML serves it at /certificate/).
 */
export function loadTls(dataDir: string, certFile?: string, keyFile?: string): TlsMaterial {
  if (certFile && keyFile) return { cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8') };
  const dir = path.join(dataDir, 'tls');
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  if (fs.existsSync(cert) && fs.existsSync(key)) return { cert: fs.readFileSync(cert, 'utf8'), key: fs.readFileSync(key, 'utf8') };
  const pems = selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    days: 825,
    algorithm: 'sha256',
    extensions: [
      // Its own CA, as `openssl req -x509` makes them: clients given this file to verify with
      // (python-requests' verify=, curl --cacert) accept it only as a trust anchor with CA:TRUE.
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(cert, pems.cert);
  fs.writeFileSync(key, pems.private, { mode: 0o600 });
  return { cert: pems.cert, key: pems.private };
}
