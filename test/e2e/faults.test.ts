import { describe, expect, it } from 'vitest';
import { run } from '../../src/harness/run/run.js';
import type { TransportResult } from '../../src/document/result.js';
import { loadScenario } from '../../src/scenario/loader.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';

const RUN_TIMEOUT_MS = 90_000;

/** A built-in fault scenario at test size: a few clients, a short window, the fault in its middle. */
async function faulted(name: string, overrides: Record<string, string> = {}): Promise<TransportResult[]> {
  const scenario = await loadScenario(
    name,
    {
      clients: '8',
      warmup: '300ms',
      duration: '2s',
      'fault-at': '1s',
      drain: '1s',
      'ramp-up': '200ms',
      ...overrides,
    },
    TRANSPORT_NAMES,
  );
  return (await run({ scenario, pin: 'off' })).transports;
}

describe('fault scenarios (real server processes)', () => {
  it(
    'restart with the journal: every technique resumes from its cursor and loses and repeats nothing',
    async () => {
      for (const result of await faulted('restart', { 'poll-interval': '300ms' })) {
        const name = result.transport;
        expect(result.fault, name).toMatchObject({
          kind: 'restart',
          journal: true,
          epochs: 1,
          affectedClients: 8,
          recoveredClients: 8,
        });
        expect(result.delivery.lost, name).toBe(0);
        expect(result.delivery.duplicated, name).toBe(0);
        expect(result.delivery.delivered, name).toBe(result.delivery.expected);
        expect(result.fault!.recovery.count, name).toBe(8);
        expect(result.fault!.recovery.p99, name).toBeLessThan(5_000);
      }
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'restart without the journal: clients start over in the new log, and what the old one held but did not deliver is counted lost',
    async () => {
      for (const result of await faulted('restart', { journal: 'false', 'poll-interval': '300ms' })) {
        const name = result.transport;
        expect(result.fault, name).toMatchObject({ kind: 'restart', journal: false, epochs: 2, recoveredClients: 8 });
        expect(result.delivery.duplicated, name).toBe(0);
        expect(result.delivery.delivered + result.delivery.lost, name).toBe(result.delivery.expected);
        expect(result.delivery.expected, name).toBeGreaterThan(0);
      }
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'drop: the cut clients reconnect and resume, losing and repeating nothing',
    async () => {
      for (const result of await faulted('drop', { clients: '10', 'fault-share': '0.3', 'poll-interval': '300ms' })) {
        const name = result.transport;
        expect(result.fault, name).toMatchObject({ kind: 'drop', affectedClients: 3, recoveredClients: 3 });
        expect(result.delivery.lost, name).toBe(0);
        expect(result.delivery.duplicated, name).toBe(0);
      }
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'slow consumers: the server sheds the streams that stopped reading and keeps serving the rest on time',
    async () => {
      const results = await faulted('slow-consumers', {
        transport: 'sse,websocket',
        // The stalled streams are shed two heartbeats (1 s each) after the fault.
        duration: '4s',
        'fault-at': '500ms',
      });
      for (const result of results) {
        const name = result.transport;
        expect(result.fault, name).toMatchObject({ kind: 'slow', affectedClients: 2 });
        expect(result.fault!.shed, name).toBe(2);
        expect(result.delivery.lost, name).toBe(0);
      }
    },
    RUN_TIMEOUT_MS,
  );
});
