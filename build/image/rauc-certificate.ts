/**
 * RAUC signs bundles with X.509 (CMS): a development certificate and key,
 * made with openssl next to the update key by `phone keygen`
 * (`<key>.rauc-cert.pem`, `<key>.rauc-key.pem`; ECDSA P-256, self-signed, so
 * the certificate is also the board's keyring `/etc/rauc/keyring.pem`). A
 * production certificate comes from the company's PKI (docs/update.md).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';

export interface RaucCertificate {
  certPem: string;
  keyPem: string;
}

export function raucCertificatePaths(updateKeyFile: string): RaucCertificate {
  return { certPem: `${updateKeyFile}.rauc-cert.pem`, keyPem: `${updateKeyFile}.rauc-key.pem` };
}

export function makeDevelopmentRaucCertificate(updateKeyFile: string, commonName = 'Desk phone development update signing'): RaucCertificate {
  const paths = raucCertificatePaths(updateKeyFile);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', paths.keyPem, '-out', paths.certPem, '-days', '3650', '-subj', `/O=Desk phone development/CN=${commonName}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,digitalSignature,keyCertSign',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  fs.chmodSync(paths.keyPem, 0o600);
  return paths;
}
