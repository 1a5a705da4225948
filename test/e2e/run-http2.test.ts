import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/document/result.js';
import { serialize as serializeTable } from '../../src/report/exporters/table.js';
import { runCli } from '../helpers/cli.js';
import { validateResult } from '../helpers/result-schema.js';

const SMALL = ['--clients', '10', '--duration', '1s', '--ramp-up', '100ms', '--warmup', '300ms'];

async function runJson(flags: string[]): Promise<RunResult> {
  const result = await runCli(['run', ...flags, ...SMALL, '--json'], 60_000);
  expect([result.code, result.stderr]).toEqual([0, '']);
  const document = JSON.parse(result.stdout) as RunResult;
  expect(validateResult(document)).toEqual([]);
  for (const t of document.transports)
    expect([t.delivery.lost, t.delivery.deliveredInWindow > 0], t.transport).toEqual([0, true]);
  return document;
}

describe('im-bench run --http2 (the real CLI)', () => {
  // The clients of the four HTTP techniques over h2 and h2c, shared connections and the WebSocket
  // beside them are tested against the reference server in test/transports/http2.test.ts.
  it('h2 over TLS: the HTTP techniques lose nothing, the WebSocket runs beside them, the deployment is recorded', async () => {
    const document = await runJson(['--tls', '--http2', '--transport', 'short-polling,sse,websocket']);
    expect(document.environment.deployment).toEqual({ tls: true, http: 'h2', via: 'none' });
    const polling = document.transports[0]!;
    // HTTP/2 has no head per exchange on the wire: H is not measured, not 0.
    expect([polling.bytes.wire!.messageExchanges, polling.bytes.wire!.h200]).toEqual([0, null]);
    expect(polling.requests.total).toBeGreaterThan(0);
    expect(polling.connect.handshakeBytes).toBeGreaterThan(1_000);
  });

  it('h2c with shared connections: recorded with its multiplex, and said above the table', async () => {
    const document = await runJson(['--http2', '--h2-multiplex', '5', '--transport', 'long-polling']);
    expect(document.environment.deployment).toEqual({ tls: false, http: 'h2c', h2Multiplex: 5, via: 'none' });
    const [polling] = document.transports;
    // Five clients to a connection: each counts as subscribed when its shared connection is up.
    expect(polling!.connect.p99).toBeLessThan(1_000);
    // Ten clients, five to a connection: the server holds two, and the bytes are given per connection too.
    expect(polling!.bytes.connections).toBe(2);
    expect(polling!.bytes.perConnection).toBeCloseTo(polling!.bytes.inWindow / 2, 6);
    const table = serializeTable({
      ...document,
      environment: { ...document.environment, deployment: { tls: false, http: 'h2c', via: 'none' } },
    });
    expect(table.split('\n')[0]).toMatch(/, over HTTP\/2 in cleartext \(h2c; the WebSocket over HTTP\/1\.1\)$/);
    expect(serializeTable(document).split('\n')[0]).toMatch(/\(h2c, 5 clients per connection; /);
  });
});
