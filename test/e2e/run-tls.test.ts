import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defer } from '../helpers/cleanup.js';
import type { RunResult } from '../../src/document/result.js';
import { runCli } from '../helpers/cli.js';
import { validateResult } from '../helpers/result-schema.js';

const SMALL = ['--clients', '10', '--duration', '1s', '--ramp-up', '100ms', '--warmup', '300ms'];
const TECHNIQUES = ['long-polling', 'sse', 'websocket'];

describe('im-bench run --tls (the real CLI)', () => {
  // One technique of each kind (a poll, an event stream, frames on a socket); the clients of all
  // five are tested over TLS against the reference server in test/transports/tls.test.ts.
  it('runs the techniques over TLS, losing nothing, and records the deployment', async () => {
    const result = await runCli(['run', '--tls', '--transport', TECHNIQUES.join(','), ...SMALL, '--json'], 60_000);
    expect([result.code, result.stderr]).toEqual([0, '']);
    const document = JSON.parse(result.stdout) as RunResult;
    expect(validateResult(document)).toEqual([]);
    expect(document.environment.deployment).toEqual({ tls: true, http: 'http/1.1', via: 'none' });
    expect(document.transports.map((t) => t.transport)).toEqual(TECHNIQUES);
    for (const t of document.transports) {
      expect([t.delivery.lost, t.delivery.deliveredInWindow > 0], t.transport).toEqual([0, true]);
      // Bytes are the TCP socket's: a copy costs its envelope, its framing (2 B for a WebSocket
      // frame, 7 for a chunk, 20 for an SSE event in cleartext) and a TLS record around the write
      // that carried it (22 B with TLS 1.3's AES-GCM): 22 B or more beyond the envelope.
      const envelope = t.bytes.wire!.envelopeBytes / t.bytes.wire!.envelopes;
      expect(t.bytes.perMessage! - envelope, t.transport).toBeGreaterThanOrEqual(22);
      // One handshake, apart: hellos, the certificate, the finished messages and the session tickets.
      expect(t.connect.handshakeBytes, t.transport).toBeGreaterThan(1_000);
    }
  });

  it('says so above the table and in the reports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'im-bench-tls-run-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    const [md, html] = [join(dir, 'r.md'), join(dir, 'r.html')];
    const table = await runCli(['run', '--tls', '--transport', 'sse', ...SMALL, '-o', md, '-o', html], 30_000);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/, over TLS \(https, wss\)$/);
    expect(readFileSync(md, 'utf8')).toContain('over TLS (https, wss)');
    expect(readFileSync(html, 'utf8')).toContain('<dt>deployment</dt><dd>over TLS (https, wss)</dd>');
  });
});
