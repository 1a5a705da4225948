import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/document/result.js';
import { serialize as serializeTable } from '../../src/report/exporters/table.js';
import { runCli } from '../helpers/cli.js';
import { nginxRunnable } from '../helpers/nchan.js';
import { validateResult } from '../helpers/result-schema.js';

const SMALL = ['--clients', '5', '--duration', '1s', '--ramp-up', '100ms', '--warmup', '300ms'];

async function runJson(flags: string[]): Promise<RunResult> {
  const result = await runCli(['run', ...flags, ...SMALL, '--json'], 90_000);
  expect(result.code, result.stderr).toBe(0);
  const document = JSON.parse(result.stdout) as RunResult;
  expect(validateResult(document)).toEqual([]);
  return document;
}

describe.skipIf(!nginxRunnable)('im-bench run --via (needs nginx-light)', () => {
  it('nginx configured for push: every technique through it loses nothing, and its CPU and memory are apart', async () => {
    const document = await runJson(['--via', 'nginx']);
    expect(document.environment.deployment).toEqual({ tls: false, http: 'http/1.1', via: 'nginx' });
    expect(document.transports.map((t) => t.transport)).toEqual(document.scenario.transports);
    expect(document.failed).toBeUndefined();
    for (const t of document.transports) {
      expect([t.delivery.lost, t.delivery.deliveredInWindow > 0], t.transport).toEqual([0, true]);
      // nginx forwarded every copy: it worked, and its processes were read apart from the server's.
      expect(t.proxy!.cpuSeconds, t.transport).toBeGreaterThan(0);
      expect(t.proxy!.rssBytes, t.transport).toBeGreaterThan(0);
    }
  });

  it('nginx with its defaults: SSE is held in its buffers and never opens, the WebSocket is refused, each said with its fix', async () => {
    // Three missed heartbeats and an SSE client gives a silent stream up: 3 s at 1 s.
    const document = await runJson(['--via', 'nginx-defaults', '--transport', 'sse,websocket', '--heartbeat', '1s']);
    expect(document.environment.deployment!.via).toBe('nginx-defaults');
    // Unbuffered (the test above) the stream opens at once; held in nginx's buffers with its
    // headers until 4 KB have come, it sends nothing, and the client never counts as subscribed.
    expect(document.transports).toEqual([]);
    const reasons = Object.fromEntries((document.failed ?? []).map((f) => [f.transport, f.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['sse', 'websocket']);
    expect(reasons.sse).toMatch(/nothing received for 3000 ms/);
    expect(reasons.websocket).toMatch(/426/);
    const table = serializeTable(document);
    expect(table).toContain('No technique completed.');
    expect(table).toContain('Through nginx with its defaults:');
    expect(table).toContain('proxy_buffering off;');
    expect(table).toContain('proxy_set_header Upgrade $http_upgrade;');
  });

  it('a profile’s server behind it, TLS and HTTP/2 ending at nginx: nchan over h2 loses nothing', async () => {
    const document = await runJson([
      ...['--via', 'nginx', '--tls', '--http2', '--server', 'nchan'],
      ...['--transport', 'short-polling,long-polling,sse'],
    ]);
    expect(document.environment.deployment).toEqual({ tls: true, http: 'h2', via: 'nginx' });
    expect(document.transports.map((t) => [t.profile, t.transport, t.delivery.lost])).toEqual([
      ['nchan', 'short-polling', 0],
      ['nchan', 'long-polling', 0],
      ['nchan', 'sse', 0],
    ]);
    for (const t of document.transports) expect(t.connect.handshakeBytes, t.transport).toBeGreaterThan(1_000);
    // The polls went out as HTTP/2 streams, which have no head of their own on the wire.
    expect(document.transports[0]!.bytes.wire!.h200).toBeNull();
  });

  it('Socket.IO behind it over TLS: socket.io-client’s polls and WebSocket trust the run’s certificate', async () => {
    const document = await runJson(['--via', 'nginx', '--tls', '--server', 'socketio']);
    expect(document.environment.deployment).toEqual({ tls: true, http: 'http/1.1', via: 'nginx' });
    expect(document.transports.map((t) => [t.profile, t.transport, t.delivery.lost])).toEqual([
      ['socketio', 'long-polling', 0],
      ['socketio', 'websocket', 0],
    ]);
    for (const t of document.transports) expect(t.delivery.deliveredInWindow, t.transport).toBeGreaterThan(0);
  });
});
