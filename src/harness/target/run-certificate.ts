import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Certificate, makeCertificate } from '../../core/certificate.js';
import { makeTemporaryFolder, removeTemporaryPath } from '../../core/temporary-paths.js';

/** A run's certificate, in memory for its clients and in files for the servers it starts (`serve --tls-cert`). */
export interface RunCertificate extends Certificate {
  files: { cert: string; key: string };
  /** Removes the files; the process's exit removes them too, whatever path it takes. */
  remove(): void;
}

export async function makeRunCertificate(): Promise<RunCertificate> {
  const certificate = await makeCertificate();
  const folder = makeTemporaryFolder('im-bench-tls-');
  const files = { cert: join(folder, 'cert.pem'), key: join(folder, 'key.pem') };
  writeFileSync(files.cert, certificate.cert);
  writeFileSync(files.key, certificate.key, { mode: 0o600 });
  return {
    ...certificate,
    files,
    remove: () => removeTemporaryPath(folder),
  };
}
