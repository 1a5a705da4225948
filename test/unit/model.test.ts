import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nothingDelivered } from '../helpers/exporters.js';
import { modelChecks } from '../../src/report/model.js';
import { wireBytes } from '../../src/document/figures.js';
import type { RunResult, TransportResult, WireSums } from '../../src/document/result.js';
import { ACCOUNTING_TOLERANCE, chanceOfSilence, MODEL_TOLERANCE } from '../../src/transports/model.js';

const fixture = (): RunResult =>
  JSON.parse(readFileSync(new URL('../fixtures/result-notify.json', import.meta.url), 'utf8')) as RunResult;

describe('model beside measurement', () => {
  it('predicts short polling from the scenario: delay, requests, empties and bytes', () => {
    const result = fixture();
    const checks = modelChecks(result.transports[0]!, result);
    expect(checks.map((check) => check.figure)).toEqual([
      'mean added delay',
      'requests',
      'empty responses',
      'bytes / msg',
    ]);
    expect(checks[0]!.predicted).toBe(result.scenario.pollIntervalMs / 2);
    expect(checks[1]!.predicted).toBeCloseTo(
      (result.transports[0]!.clients.connected * result.transports[0]!.windowSeconds) /
        (result.scenario.pollIntervalMs / 1000),
      6,
    );
  });

  it('gives the chance of a silent interval by publish pattern', () => {
    const scenario = fixture().scenario;
    expect(chanceOfSilence({ ...scenario, rate: 2, pattern: 'poisson', channels: 1 }, 0.5)).toBeCloseTo(
      Math.exp(-1),
      9,
    );
    expect(chanceOfSilence({ ...scenario, rate: 2, pattern: 'constant', channels: 1 }, 0.25)).toBeCloseTo(0.5, 9);
    expect(chanceOfSilence({ ...scenario, rate: 2, pattern: 'constant', channels: 2 }, 0.25)).toBeCloseTo(0.75, 9);
    expect(chanceOfSilence({ ...scenario, rate: 20, pattern: 'burst', burstSize: 10, channels: 1 }, 0.25)).toBeCloseTo(
      0.5,
      9,
    );
  });

  it('flags a figure more than 25 % off its prediction', () => {
    const result = fixture();
    const polling = result.transports[0]!;
    polling.requests.inWindow = Math.round(polling.requests.inWindow * 1.5);
    const requests = modelChecks(polling, result).find((check) => check.figure === 'requests')!;
    expect(requests.flagged).toBe(true);
    expect(requests.deviation).toBeCloseTo(0.5, 2);
  });

  it('leaves out what the run cannot inform: per-message figures with nothing delivered, requests and bytes in a chat', () => {
    const result = fixture();
    const polling = result.transports[0]!;
    const empty = nothingDelivered(polling);
    expect(modelChecks(empty, result).map((check) => check.figure)).toEqual(['requests', 'empty responses']);
    const chat = { ...result.scenario, publisher: 'clients' as const };
    expect(modelChecks(polling, { scenario: chat }).map((check) => check.figure)).toEqual(['mean added delay']);
    expect(modelChecks(result.transports[3]!, { scenario: chat })).toEqual([]);
  });

  it('over TLS checks only the delay: records wrap every write in bytes the model does not count', () => {
    const result = fixture();
    const overTls = {
      ...result,
      environment: {
        ...result.environment,
        deployment: { tls: true, http: 'http/1.1' as const, via: 'none' as const },
      },
    };
    expect(modelChecks(result.transports[0]!, result).length).toBeGreaterThan(1);
    expect(modelChecks(result.transports[0]!, overTls).map((check) => check.figure)).toEqual(['mean added delay']);
  });
});

/** A technique's result whose clients counted `sums` on the wire, plus `other` bytes in no head and no envelope. */
function measured(t: TransportResult, sums: WireSums, other: number, messages = sums.envelopes): TransportResult {
  const inWindow = sums.messageHeadBytes + sums.emptyHeadBytes + sums.envelopeBytes + other;
  return {
    ...t,
    delivery: { ...t.delivery, deliveredInWindow: messages },
    bytes: { ...t.bytes, inWindow, perMessage: inWindow / messages, wire: wireBytes(sums, inWindow) },
  };
}

const bytesCheck = (t: TransportResult, result: RunResult) =>
  modelChecks(t, result).find((check) => check.figure === 'bytes / msg')!;

describe('model beside measurement, from the H and E measured in the run', () => {
  // 10 answers with 2 envelopes each (H200 400 B), 5 empty answers (H204 322 B), envelopes of 170 B.
  const POLLS: WireSums = {
    messageExchanges: 10,
    messageHeadBytes: 4_000,
    emptyExchanges: 5,
    emptyHeadBytes: 1_610,
    envelopes: 20,
    envelopeBytes: 3_400,
  };
  // The array's brackets and commas: one byte per envelope and one more per answer.
  const SEPARATORS = 20 + 10;

  it('predicts polling bytes per message as an account: requests/msg × H + E + separators', () => {
    const result = fixture();
    const polling = measured(result.transports[0]!, POLLS, SEPARATORS);
    const check = bytesCheck(polling, result);
    expect(check.predicted).toBeCloseTo((10 * 400 + 5 * 322) / 20 + 170 + SEPARATORS / 20, 9);
    expect(check.measured).toBeCloseTo(check.predicted!, 9);
    expect(check.deviation).toBeCloseTo(0, 9);
    expect(check.tolerance).toBe(ACCOUNTING_TOLERANCE);
    expect(check.flagged).toBe(false);
  });

  it("follows another server's own heads, not a constant", () => {
    const result = fixture();
    const bigHeaders = { ...POLLS, messageHeadBytes: 10 * 900, emptyHeadBytes: 5 * 700 };
    const check = bytesCheck(measured(result.transports[1]!, bigHeaders, SEPARATORS), result);
    expect(check.predicted).toBeCloseTo((10 * 900 + 5 * 700) / 20 + 170 + SEPARATORS / 20, 9);
    expect(check.flagged).toBe(false);
  });

  it('flags bytes that belong to no head and no envelope (padding in the answers) past the accounting tolerance', () => {
    const result = fixture();
    const accounted = measured(result.transports[0]!, POLLS, SEPARATORS);
    // 64 bytes of whitespace around each answer's envelopes: 640 B over 20 messages, 32 B a message.
    const padded = measured(result.transports[0]!, POLLS, SEPARATORS + 640);
    const check = bytesCheck(padded, result);
    expect(check.deviation).toBeCloseTo(32 / accounted.bytes.perMessage!, 9);
    expect(check.deviation!).toBeGreaterThan(ACCOUNTING_TOLERANCE);
    expect(check.deviation!).toBeLessThan(MODEL_TOLERANCE);
    expect(check.flagged).toBe(true);
    // A few bytes a message (a poll cut off at the window's edge) stay within it.
    expect(bytesCheck(measured(result.transports[0]!, POLLS, SEPARATORS + 40), result).flagged).toBe(false);
  });

  it('takes no delivery counted across the window edge from its bytes for a missing or padded byte', () => {
    const result = fixture();
    // 21 copies counted in the window, the bytes of only 20 envelopes inside it (worker processes read the edge late).
    const skewed = measured(result.transports[1]!, POLLS, SEPARATORS, 21);
    expect(skewed.bytes.perMessage).toBeCloseTo(452 * (20 / 21), 9);
    expect(bytesCheck(skewed, result).deviation).toBeCloseTo(0, 9);
  });

  it("predicts a stream's bytes from the run's own E and the technique's framing", () => {
    const result = fixture();
    const envelopes: WireSums = {
      ...POLLS,
      messageExchanges: 0,
      messageHeadBytes: 0,
      emptyExchanges: 0,
      emptyHeadBytes: 0,
    };
    // 18 published on one channel: ids of 2 digits; `id: 18\ndata: ` + E + `\n\n` = 185 B, in a chunk `b9\r\n…\r\n`.
    const sse = bytesCheck(measured(result.transports[2]!, envelopes, 20 * (15 + 6)), result);
    expect(result.transports[2]!.published.total / result.scenario.channels).toBe(18);
    expect(sse.predicted).toBe(170 + 15 + 6);
    expect(sse.deviation).toBeCloseTo(0, 9);
    // A WebSocket frame of 126 to 65,535 payload bytes has a 4-byte header.
    const websocket = bytesCheck(measured(result.transports[3]!, envelopes, 20 * 4), result);
    expect(websocket.predicted).toBe(174);
    expect(websocket.tolerance).toBe(MODEL_TOLERANCE);
  });

  it('has no prediction for bytes, and flags nothing, where a document has no measured H and E', () => {
    const result = fixture();
    for (const t of result.transports) {
      delete t.bytes.wire;
      const check = bytesCheck(t, result);
      expect(check, t.transport).toMatchObject({ predicted: null, deviation: null, flagged: false });
      expect(check.measured).toBe(t.bytes.perMessage);
    }
  });
});
