import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { describe, expect, it } from 'vitest';
import { makeCertificate } from '../../src/core/certificate.js';
import { defer } from '../helpers/cleanup.js';
import { runCli, spawnServe } from '../helpers/cli.js';

/** Two certificates and their keys, as PEM files in a folder removed after the test. */
async function certificateFiles(): Promise<Record<'cert' | 'key' | 'otherKey', string>> {
  const dir = mkdtempSync(join(tmpdir(), 'im-bench-tls-'));
  defer(() => rmSync(dir, { recursive: true, force: true }));
  const [one, other] = await Promise.all([makeCertificate(), makeCertificate()]);
  const files = { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem'), otherKey: join(dir, 'other-key.pem') };
  writeFileSync(files.cert, one.cert);
  writeFileSync(files.key, one.key);
  writeFileSync(files.otherKey, other.key);
  return files;
}

describe('im-bench serve --tls-cert --tls-key (the real CLI)', () => {
  it('serves over https, verified against exactly that certificate', async () => {
    const files = await certificateFiles();
    const serve = await spawnServe(['--tls-cert', files.cert, '--tls-key', files.key]);
    expect(serve.readyLine).toMatch(/^listening https:\/\/127\.0\.0\.1:\d+$/);
    const { url } = serve;
    const trusting = new Agent({ connect: { ca: readFileSync(files.cert, 'utf8') } });
    defer(() => trusting.close());
    const stats = await fetch(`${url}/stats`, { dispatcher: trusting });
    expect(stats.status).toBe(200);
    await expect(fetch(`${url}/stats`)).rejects.toThrow();
  });

  it('refuses a certificate without its key, or with another one, exit 2 before listening', async () => {
    const files = await certificateFiles();
    const cases: Array<[string[], string]> = [
      [['--tls-cert', files.cert], '--tls-cert: expected a --tls-key, its private key'],
      [['--tls-key', files.key], '--tls-key: expected a --tls-cert whose key it is'],
      [['--tls-cert', files.cert, '--tls-key', files.otherKey], 'a PEM certificate whose private key is --tls-key'],
      [['--tls-cert', `${files.cert}.missing`, '--tls-key', files.key], 'a readable PEM file (ENOENT)'],
    ];
    for (const [flags, message] of cases) {
      const result = await runCli(['serve', '--port', '0', ...flags]);
      expect([result.code, result.stdout], flags.join(' ')).toEqual([2, '']);
      expect(result.stderr).toContain(message);
    }
  });
});
