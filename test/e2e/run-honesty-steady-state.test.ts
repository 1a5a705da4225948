import { describe, expect, it } from 'vitest';
import type { TransportResult } from '../../src/document/result.js';
import { run } from '../../src/harness/run/run.js';
import { RUN_TIMEOUT_MS, scenario } from '../helpers/honesty.js';

describe('honesty of the figures (real server processes, small sizes)', () => {
  describe('all four techniques at steady state', () => {
    let results: Map<string, TransportResult>;
    const clients = 10;
    const payloadBytes = 200;

    async function measured(): Promise<Map<string, TransportResult>> {
      results ??= new Map(
        (
          await run({
            pin: 'off',
            scenario: scenario({ clients, durationMs: 1_000, rate: 20, payloadBytes, pollIntervalMs: 100 }),
          })
        ).transports.map((result) => [result.transport, result]),
      );
      return results;
    }

    it(
      'lose and duplicate nothing: delivered = published × clients',
      async () => {
        for (const result of (await measured()).values()) {
          expect(result.clients.connected, result.transport).toBe(clients);
          expect(result.delivery.lost, result.transport).toBe(0);
          expect(result.delivery.duplicated, result.transport).toBe(0);
          expect(result.delivery.outOfOrder, result.transport).toBe(0);
          expect(result.published.total, result.transport).toBeGreaterThan(20);
          expect(result.delivery.delivered, result.transport).toBe(result.published.total * clients);
          expect(result.delivery.expected, result.transport).toBe(result.published.total * clients);
          expect(result.requests.errors, result.transport).toBe(0);
        }
      },
      RUN_TIMEOUT_MS,
    );

    it('count at least the payload on the wire, and less overhead per message for WebSocket than for short polling', async () => {
      const all = await measured();
      for (const result of all.values()) {
        expect(result.bytes.perMessage, result.transport).toBeGreaterThan(payloadBytes);
        expect(result.bytes.inWindow, result.transport).toBeGreaterThan(
          payloadBytes * result.delivery.deliveredInWindow * 0.9,
        );
      }
      expect(all.get('websocket')!.bytes.perMessage).toBeLessThan(all.get('short-polling')!.bytes.perMessage!);
    });

    it('count the same requests as the server does', async () => {
      for (const result of (await measured()).values()) {
        expect(result.requests.total, result.transport).toBe(result.requests.serverCounted);
        expect(result.requests.total, result.transport).toBeGreaterThanOrEqual(clients);
      }
    });

    it('measure the server process: CPU, idle and peak RSS', async () => {
      for (const result of (await measured()).values()) {
        expect(result.server.idleRssBytes, result.transport).toBeGreaterThan(20 * 1024 * 1024);
        expect(result.server.peakRssBytes, result.transport).toBeGreaterThanOrEqual(result.server.idleRssBytes! * 0.9);
        expect(result.server.cpuSeconds, result.transport).toBeGreaterThanOrEqual(0);
        expect(result.connect.count, result.transport).toBe(clients);
      }
    });
  });
});
