import { describe, expect, it } from 'vitest';
import { run } from '../../src/harness/run/run.js';
import { buildSchedule } from '../../src/harness/publish/schedule.js';
import type { TransportResult } from '../../src/document/result.js';
import { defaultScenario } from '../../src/scenario/defaults.js';
import type { Scenario } from '../../src/document/scenario.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';

function scenario(overrides: Partial<Scenario>): Scenario {
  return {
    ...defaultScenario(TRANSPORT_NAMES),
    name: 'honesty',
    rampUpMs: 300,
    warmupMs: 300,
    drainMs: 500,
    ...overrides,
  };
}

const RUN_TIMEOUT_MS = 60_000;

describe('honesty of the figures (real server processes, small sizes)', () => {
  it(
    'short polling: mean added delay ≈ interval/2, requests ≈ clients × duration / interval, empty answers as the schedule implies',
    async () => {
      const intervalMs = 200;
      const clients = 20;
      // Starts spread over exactly one interval: the clients' poll phases cover it evenly.
      const measured = scenario({
        transports: ['short-polling'],
        clients,
        rampUpMs: intervalMs,
        durationMs: 3_000,
        rate: 4,
        pattern: 'poisson',
        pollIntervalMs: intervalMs,
      });
      const polling = (await run({ pin: 'off', scenario: measured })).transports[0]!;
      expect(polling.latency.count).toBeGreaterThan(100);
      expect(polling.latency.mean).toBeGreaterThan((intervalMs / 2) * 0.75);
      expect(polling.latency.mean).toBeLessThan((intervalMs / 2) * 1.25);

      const expectedRequests = (clients * measured.durationMs) / intervalMs;
      expect(polling.requests.inWindow).toBeGreaterThan(expectedRequests * 0.9);
      expect(polling.requests.inWindow).toBeLessThan(expectedRequests * 1.1);

      // A poll at time p is empty when nothing was published in (p − interval, p]. With phases
      // spread evenly, the share of empty polls is the share of the window where that holds,
      // computed here from the very schedule the run published on.
      const offsets = buildSchedule({ ...measured, spanMs: measured.warmupMs + measured.durationMs });
      let emptyMs = 0;
      for (let t = measured.warmupMs; t < measured.warmupMs + measured.durationMs; t++) {
        if (!offsets.some((offset) => offset > t - intervalMs && offset <= t)) emptyMs++;
      }
      const expectedEmpty = polling.requests.inWindow * (emptyMs / measured.durationMs);
      expect(expectedEmpty).toBeGreaterThan(30);
      expect(polling.requests.empty).toBeGreaterThan(expectedEmpty * 0.75);
      expect(polling.requests.empty).toBeLessThan(expectedEmpty * 1.25);
    },
    RUN_TIMEOUT_MS,
  );

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
      expect(all.get('websocket')!.bytes.perMessage).toBeLessThan(all.get('short-polling')!.bytes.perMessage);
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
        expect(result.server.peakRssBytes, result.transport).toBeGreaterThanOrEqual(result.server.idleRssBytes * 0.9);
        expect(result.server.cpuSeconds, result.transport).toBeGreaterThanOrEqual(0);
        expect(result.connect.count, result.transport).toBe(clients);
      }
    });
  });

  it(
    'chat: clients publish, over POST /publish or on their WebSocket, and every copy arrives',
    async () => {
      const result = await run({
        pin: 'off',
        scenario: scenario({
          transports: ['long-polling', 'websocket'],
          clients: 6,
          channels: 2,
          publisher: 'clients',
          rate: 20,
          durationMs: 1_000,
        }),
      });
      for (const transport of result.transports) {
        expect(transport.delivery.lost, transport.transport).toBe(0);
        expect(transport.published.failed, transport.transport).toBe(0);
        // Each message goes to the 3 clients of its channel, the sender included.
        expect(transport.delivery.delivered, transport.transport).toBe(transport.published.total * 3);
      }
      // Over HTTP each message sent costs its sender a POST /publish, on top of the polls.
      const [longPolling, webSocket] = result.transports;
      expect(longPolling!.requests.inWindow).toBeGreaterThan(
        longPolling!.published.inWindow * 0.9 + longPolling!.delivery.deliveredInWindow * 0.5,
      );
      expect(webSocket!.requests.inWindow).toBe(0);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'stops when aborted and returns what was measured, marked aborted',
    async () => {
      const stop = new AbortController();
      const running = run({
        pin: 'off',
        signal: stop.signal,
        scenario: scenario({ transports: ['websocket', 'sse'], clients: 5, durationMs: 60_000 }),
        onProgress: (progress) => {
          if (progress.phase === 'measuring' && progress.measuredMs > 500) stop.abort();
        },
      });
      const started = Date.now();
      const result = await running;
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(result.aborted).toBe(true);
      expect(result.transports.map((transport) => transport.transport)).toEqual(['websocket']);
      expect(result.transports[0]!.windowSeconds).toBeLessThan(5);
    },
    RUN_TIMEOUT_MS,
  );
});
