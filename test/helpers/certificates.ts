import { generate } from 'selfsigned';
import type { Certificate } from '../../src/core/certificate.js';

/** A self-signed certificate naming localhost alone: not the address a client connects to. */
export async function localhostOnlyCertificate(): Promise<Certificate> {
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + 3_600_000),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }] }],
  });
  return { cert: pems.cert, key: pems.private };
}
