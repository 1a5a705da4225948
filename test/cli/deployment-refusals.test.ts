import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeCertificate } from '../../src/core/certificate.js';
import { temporaryFolder } from '../helpers/cleanup.js';
import { runCli } from '../helpers/cli.js';

// Nothing here measures: each refusal comes before anything starts. What these flags do when
// accepted is in test/e2e/run-tls, run-http2, run-via and run-https-target.
async function expectRefused(cases: ReadonlyArray<readonly [readonly string[], string]>): Promise<void> {
  for (const [flags, message] of cases) {
    const refused = await runCli(['run', ...flags]);
    expect([refused.code, refused.stdout], flags.join(' ')).toEqual([2, '']);
    expect(refused.stderr, flags.join(' ')).toContain(message);
  }
}

describe('im-bench run: deployments refused, exit 2, before anything runs', () => {
  it('--tls on what im-bench does not start, or a profile’s server with no proxy to end it', async () => {
    await expectRefused([
      [
        ['--tls', '--target', 'http://127.0.0.1:9'],
        '--tls: expected no --target with it: it is for the servers im-bench starts (a --target over TLS is an https:// URL',
      ],
      [
        ['--tls', '--server', 'socketio'],
        '--tls: expected the reference server, a profile whose server serves TLS (server.tls), or --via nginx in front of --server socketio',
      ],
    ]);
  });

  it('--http2 where its clients cannot go, and --h2-multiplex out of range or alone', async () => {
    await expectRefused([
      [['--h2-multiplex', '5'], '--h2-multiplex: expected --http2 with it'],
      [['--http2', '--h2-multiplex', '101'], '--h2-multiplex: expected an integer from 1 to 100'],
      [
        ['--http2', '--server', 'nchan'],
        '--http2: expected the reference server, --tls with a profile whose server serves h2 (server.tls), or --via nginx in front of --server nchan',
      ],
      [
        ['--http2', '--via', 'nginx', '--server', 'socketio'],
        "--http2: expected a server whose clients speak it: socketio's (socket.io-client) speak HTTP/1.1",
      ],
      [['--http2', '--sse-client', 'eventsource'], '--http2: expected the parser SSE client'],
      [
        ['--http2', '--target', 'http://127.0.0.1:9'],
        '--http2: expected an https:// --target (h2 by ALPN on its port)',
      ],
    ]);
  });

  it('--via with a target, or a proxy it does not know', async () => {
    await expectRefused([
      [['--via', 'haproxy'], "--via <proxy>' argument 'haproxy' is invalid"],
      [['--via', 'nginx', '--target', 'http://127.0.0.1:9'], '--via: expected no --target with it'],
    ]);
  });

  it('--ca without an https target, or a file that holds no certificate', async () => {
    const dir = temporaryFolder('im-bench-ca-');
    const files = { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem'), bad: join(dir, 'bad.pem') };
    const { cert, key } = await makeCertificate();
    writeFileSync(files.cert, cert);
    writeFileSync(files.key, key);
    writeFileSync(files.bad, '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');
    const https = ['--target', 'https://127.0.0.1:9'];
    await expectRefused([
      [['--ca', files.cert], '--ca: expected an https:// --target whose certificate it checks'],
      [['--ca', files.cert, '--target', 'http://127.0.0.1:9'], '--ca: expected an https:// --target'],
      [[...https, '--ca', join(dir, 'missing.pem')], '--ca: expected a readable PEM file (ENOENT)'],
      // A private key is PEM too, but no certificate to trust.
      [[...https, '--ca', files.key], '--ca: expected a PEM file of certificates (BEGIN CERTIFICATE)'],
      [[...https, '--ca', files.bad], '--ca: expected PEM certificates that parse'],
      [['--target', 'ftp://127.0.0.1:9'], '--target: expected an http:// or https:// URL of the server itself'],
    ]);
  });
});
