import { generate } from 'selfsigned';

/** A certificate and its private key, PEM. */
export interface Certificate {
  cert: string;
  key: string;
}

/** Longer than any run (each phase may last 24 h, times 100 repetitions): only the run itself trusts it. */
const VALID_MS = 400 * 24 * 3_600_000;

/**
 * A certificate made for one run, for the names a loopback server answers to (127.0.0.1, ::1,
 * localhost), self-signed, ECDSA P-256: made in milliseconds with Node's own WebCrypto (the
 * `selfsigned` package), where an RSA key made in JavaScript would take seconds. Clients trust
 * exactly this certificate (their `ca`), never every certificate.
 */
export async function makeCertificate(): Promise<Certificate> {
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: 'im-bench run' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + VALID_MS),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
