import { describe, expect, it } from 'vitest';
import { run } from '../../src/harness/run/run.js';
import { emptyPollShare, RUN_TIMEOUT_MS, scenario } from '../helpers/honesty.js';

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

      const expectedEmpty = polling.requests.inWindow * emptyPollShare(measured, intervalMs);
      expect(expectedEmpty).toBeGreaterThan(30);
      expect(polling.requests.empty).toBeGreaterThan(expectedEmpty * 0.75);
      expect(polling.requests.empty).toBeLessThan(expectedEmpty * 1.25);
    },
    RUN_TIMEOUT_MS,
  );

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
