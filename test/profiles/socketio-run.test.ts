import { describe, expect, it } from 'vitest';
import type { RunResult, TransportResult } from '../../src/document/result.js';
import { runCli } from '../helpers/cli.js';
import { processesInPrefixOf } from '../helpers/processes.js';
import { validateResult } from '../helpers/result-schema.js';

// The Socket.IO relays im-bench starts itself, through the real CLI: socket.io-client on Engine.IO's
// polling transport (long polling) and on its websocket transport.

/** A small run on `servers` through the CLI: its document, once every relay it started is gone. */
async function runOn(servers: readonly string[], extra: readonly string[]): Promise<RunResult> {
  const result = await runCli(
    ['run', '--server', servers.join(','), '--clients', '10', '--ramp-up', '200ms', '--warmup', '300ms'].concat(
      ['--drain', '1s', '--json'],
      extra,
    ),
    120_000,
  );
  expect(result.code, result.stderr).toBe(0);
  const document = JSON.parse(result.stdout) as RunResult;
  expect(validateResult(document)).toEqual([]);
  for (const server of servers) expect(processesInPrefixOf(server), server).toEqual([]);
  return document;
}

const on = (document: RunResult, server: string): TransportResult[] =>
  document.transports.filter((t) => t.profile === server);

describe('the Socket.IO profiles', () => {
  // socketio-recovery loses nothing either: the drop test below shows it, with cut connections.
  it('socketio: long polling and WebSocket on a fresh relay each, losing nothing; what Socket.IO lacks is skipped', async () => {
    const document = await runOn(['socketio'], ['--transport', 'all', '--duration', '1s']);
    const results = on(document, 'socketio');
    expect(results.map((t) => t.transport)).toEqual(['long-polling', 'websocket']);
    for (const t of results) {
      expect([t.delivery.lost, t.delivery.duplicated, t.delivery.outOfOrder], t.transport).toEqual([0, 0, 0]);
      expect(t.delivery.deliveredInWindow, t.transport).toBeGreaterThan(0);
      // The relay's own process, read from /proc: Socket.IO keeps no /stats.
      expect(t.server.cpuSeconds, t.transport).toBeGreaterThan(0);
      expect(t.bytes.perMessage, t.transport).toBeGreaterThan(0);
    }
    // Polls are requests; a WebSocket opened once, before the window.
    expect(results[0]!.requests.perMessage).toBeGreaterThan(0.5);
    expect(results[1]!.requests.inWindow).toBe(0);
  }, 150_000);

  it('drop: recovery gives the cut clients what they missed; without it, what was sent while they reconnected is lost', async () => {
    // 20 msg/s: a reconnect of a few hundred milliseconds misses several messages without recovery.
    const document = await runOn(
      ['socketio', 'socketio-recovery'],
      ['--scenario', 'drop', '--rate', '20', '--duration', '2s', '--fault-at', '1s'],
    );
    for (const t of on(document, 'socketio-recovery')) {
      expect([t.delivery.lost, t.delivery.duplicated], t.transport).toEqual([0, 0]);
      expect(t.fault!.affectedClients, t.transport).toBeGreaterThan(0);
      expect(t.fault!.recoveredClients, t.transport).toBe(t.fault!.affectedClients);
    }
    for (const t of on(document, 'socketio')) {
      expect(t.delivery.lost, t.transport).toBeGreaterThan(0);
      expect(t.delivery.duplicated, t.transport).toBe(0);
      expect(t.fault!.recoveredClients, t.transport).toBe(t.fault!.affectedClients);
    }
  }, 150_000);
});
