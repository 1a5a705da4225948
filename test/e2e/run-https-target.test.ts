import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/document/result.js';
import { localhostOnlyCertificate } from '../helpers/certificates.js';
import { temporaryFolder } from '../helpers/cleanup.js';
import { runCli, spawnServe } from '../helpers/cli.js';
import { validateResult } from '../helpers/result-schema.js';

const SMALL = ['--clients', '5', '--duration', '1s', '--ramp-up', '100ms', '--warmup', '300ms'];

/** A server over TLS whose certificate names localhost alone, not the address the load goes to. */
async function serverForLocalhost(serveFlags: string[] = []): Promise<{ port: number; ca: string }> {
  const pems = await localhostOnlyCertificate();
  const dir = temporaryFolder('im-bench-https-target-');
  const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
  writeFileSync(cert, pems.cert);
  writeFileSync(key, pems.key);
  const serve = await spawnServe(['--tls-cert', cert, '--tls-key', key, ...serveFlags]);
  return { port: serve.port, ca: cert };
}

describe('im-bench run --target https://… (the real CLI)', () => {
  it('drives a server over TLS, checking its certificate against --ca for the name in the URL', async () => {
    const { port, ca } = await serverForLocalhost();
    const techniques = 'short-polling,long-polling,sse,websocket,http-streaming';
    const result = await runCli(
      ['run', '--target', `https://localhost:${port}`, '--ca', ca, '--transport', techniques, ...SMALL, '--json'],
      60_000,
    );
    expect(result.code, result.stderr).toBe(0);
    const document = JSON.parse(result.stdout) as RunResult;
    expect(validateResult(document)).toEqual([]);
    // The load went to the address localhost resolved to; the certificate was checked for localhost.
    expect(document.environment.target).toBe(`https://127.0.0.1:${port}`);
    expect(document.environment.deployment).toEqual({ tls: true, http: 'http/1.1', via: 'none' });
    expect(document.transports.map((t) => t.transport)).toEqual(techniques.split(','));
    for (const t of document.transports) {
      expect([t.delivery.lost, t.delivery.deliveredInWindow > 0], t.transport).toEqual([0, true]);
      expect(t.connect.handshakeBytes, t.transport).toBeGreaterThan(500);
    }
  });

  it('over HTTP/2 when the target chooses h2 by ALPN, and says so when it does not', async () => {
    const { port, ca } = await serverForLocalhost(['--http2']);
    const flags = ['--target', `https://localhost:${port}`, '--ca', ca, '--http2', ...SMALL];
    const result = await runCli(['run', ...flags, '--transport', 'short-polling,sse', '--json'], 60_000);
    expect(result.code, result.stderr).toBe(0);
    const document = JSON.parse(result.stdout) as RunResult;
    expect(document.environment.deployment).toEqual({ tls: true, http: 'h2', via: 'none' });
    for (const t of document.transports) expect(t.delivery.lost, t.transport).toBe(0);
    // The polls went out as HTTP/2 streams, which have no head of their own on the wire.
    expect(document.transports[0]!.bytes.wire!.h200).toBeNull();
    const h1Only = await serverForLocalhost();
    const refused = await runCli(
      [
        'run',
        '--target',
        `https://localhost:${h1Only.port}`,
        '--ca',
        h1Only.ca,
        '--http2',
        '--transport',
        'sse',
        ...SMALL,
      ],
      30_000,
    );
    expect([refused.code, refused.stdout]).toEqual([4, '']);
    expect(refused.stderr).toMatch(/chose no protocol by ALPN, not h2: it does not speak HTTP\/2 over TLS/);
  });

  it('refuses a certificate that is not for the URL’s name, or that nothing it trusts signed', async () => {
    const { port, ca } = await serverForLocalhost();
    const cases: Array<[string[], RegExp]> = [
      // Checked for 127.0.0.1, which the certificate does not name.
      [['--target', `https://127.0.0.1:${port}`, '--ca', ca], /127\.0\.0\.1 is not in the cert's list[\s\S]*--ca/],
      // Against the system's CAs, which never signed it.
      [['--target', `https://localhost:${port}`], /self-signed certificate[\s\S]*--ca/],
    ];
    // With a profile there is no /stats to read first: the clients' own check (the handshake
    // probe's, made as theirs are) refuses it before any client subscribes.
    const relay = fileURLToPath(new URL('../fixtures/user-relay/relay.yaml', import.meta.url));
    cases.push([
      ['--target', `https://127.0.0.1:${port}`, '--ca', ca, '--profile', relay],
      /127\.0\.0\.1 is not in the cert's list[\s\S]*--ca/,
    ]);
    for (const [flags, message] of cases) {
      const refused = await runCli(['run', ...flags, '--transport', 'sse', ...SMALL], 30_000);
      expect([refused.code, refused.stdout], flags.join(' ')).toEqual([4, '']);
      expect(refused.stderr, flags.join(' ')).toMatch(message);
    }
  });
});
