import { NO_SAMPLES } from '../../src/core/histogram.js';
import { describe, expect } from 'vitest';
import type { RunResult, TransportResult } from '../../src/document/result.js';
import { nothingMeasured } from '../../src/document/unmeasured.js';
import { EXIT_CODES } from '../../src/core/constants.js';
import { runCli } from '../helpers/cli.js';
import { nothingDelivered } from '../helpers/exporters.js';
import { validateResult } from '../helpers/result-schema.js';
import { hostileCase, Tally } from './tally.js';
import { readFileSync } from 'node:fs';

const tally = new Tally('harness', 'runs that measured nothing');

const fixture = (): RunResult =>
  JSON.parse(readFileSync(new URL('../fixtures/result-notify.json', import.meta.url), 'utf8')) as RunResult;

describe('a run that measured nothing says so', () => {
  hostileCase(
    tally,
    'no message scheduled inside the window → exit 5, a warning naming the technique, null latencies, "–" in the table',
    async () => {
      // One message at 0 s (inside the 1 s warm-up), the next at 10 s: none inside the window.
      const args = [
        'run',
        '--transport',
        'sse',
        '--clients',
        '2',
        '--duration',
        '1s',
        '--warmup',
        '1s',
        '--rate',
        '0.1',
      ];
      const json = await runCli([...args, '--json'], 20_000);
      expect(json.code).toBe(EXIT_CODES.measuredNothing);
      expect(json.stderr).toMatch(/warning: sse measured nothing: no message was scheduled inside the window/);
      const result = JSON.parse(json.stdout) as RunResult;
      expect(validateResult(result)).toEqual([]);
      const sse = result.transports[0]!;
      expect(sse.latency).toEqual(NO_SAMPLES);
      expect([sse.requests.perMessage, sse.bytes.perMessage, sse.server.cpuMicrosPerMessage]).toEqual([
        null,
        null,
        null,
      ]);
      const table = await runCli([...args, '--format', 'table'], 20_000);
      expect(table.code).toBe(EXIT_CODES.measuredNothing);
      expect(table.stdout).toMatch(/latency p50 \(ms\)\s*│\s*–\s*│/);
      expect(table.stdout).not.toMatch(/latency p\d+ \(ms\)\s*│\s*0\.00/);
    },
    { timeoutMs: 45_000 },
  );

  const reasons: ReadonlyArray<[string, (t: TransportResult) => TransportResult, RegExp | null]> = [
    ['a technique that delivered copies', (t) => t, null],
    [
      'nothing delivered of messages published',
      (t) => nothingDelivered(t),
      /no client received any of the \d+ messages/,
    ],
    [
      'every publish failed',
      (t) => ({ ...nothingDelivered(t), published: { total: 8, inWindow: 8, failed: 8 } }),
      /every publish failed \(8 of 8\)/,
    ],
    [
      'no client connected',
      (t) => ({ ...nothingDelivered(t), clients: { requested: 5, connected: 0, failed: 5 } }),
      /no client connected/,
    ],
    [
      'broken envelopes only',
      (t) => {
        const none = nothingDelivered(t);
        return { ...none, delivery: { ...none.delivery, protocolErrors: 12 } };
      },
      /12 messages broke the wire contract/,
    ],
  ];
  for (const [name, shape, reason] of reasons) {
    hostileCase(tally, `${name} → ${reason === null ? 'measured' : 'measured nothing, with its reason'}`, async () => {
      const found = nothingMeasured(shape(fixture().transports[2]!));
      if (reason === null) expect(found).toBeNull();
      else expect(found).toMatch(reason);
    });
  }
});
