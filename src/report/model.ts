import type { Scenario } from '../document/scenario.js';
import type { TransportResult } from '../document/result.js';

/*
 * What simple arithmetic predicts for each technique, to set beside what was measured.
 * Notation: C clients, W the window (s), I the poll interval (s), T the long-poll timeout (s),
 * λ the publish rate one client's channel sees (messages/s = rate / channels), E the bytes of
 * one envelope, H the bytes of one HTTP exchange without its body.
 *
 * Short polling
 *   - A message waits for the client's next poll. Polls come every I at a phase unrelated to
 *     publishing, so the wait is uniform on [0, I): mean added delay = I/2.
 *   - Each client polls W/I times in the window: requests = C × W / I.
 *   - A poll is empty when nothing was published in the interval before it. Poisson arrivals:
 *     P(empty) = e^(−λI). Evenly spaced messages (period 1/λ): P(empty) = max(0, 1 − λI).
 *     Bursts of b messages are evenly spaced events at λ/b: P(empty) = max(0, 1 − λI/b).
 * Long polling
 *   - A held poll is answered by the next message (or batch) or by the timeout, and re-issued:
 *     requests = answers with messages + timeouts. Answers with messages ≤ copies delivered (one
 *     each unless messages arrive while a poll is being re-issued); a client times out when no
 *     message comes for T: timeouts ≈ C × (W / T) × P(no message in T), P = e^(−λT) for Poisson
 *     arrivals, 0 for evenly spaced ones when λT ≥ 1.
 * Bytes per delivered message
 *   - HTTP techniques: (requests per message) × H + E (+1 for the array's separator).
 *   - SSE: E + the frame's `id: N\ndata: ` and blank line + the chunk's size line and CRLFs.
 *   - WebSocket: E + the frame header (2 bytes up to 125 payload bytes, 4 up to 65,535, else 10).
 * H and E are counted from the exact bytes the reference server and im-bench's clients send
 * (request line and headers, status line and headers, the envelope's JSON around the payload).
 */

/** Request (`GET /poll?ch=default&since=12345 HTTP/1.1`, host, connection) plus a 200's status line and headers. */
export const HTTP_EXCHANGE_BYTES = 275;
/** `{"seq":12345,"t":"1234567890123456","ch":"default","from":null,"data":""}` around the payload. */
export const ENVELOPE_OVERHEAD_BYTES = 70;
/** `id: 12345\ndata: ` + `\n\n` + the chunk's `xx\r\n` and `\r\n`. */
export const SSE_FRAME_BYTES = 27;
/** Past this deviation from its model a figure is flagged: the model or the run is telling something. */
export const MODEL_TOLERANCE = 0.25;

export interface ModelCheck {
  figure: string;
  unit: string;
  /** The formula, in the notation above, for a report's reader. */
  formula: string;
  predicted: number;
  measured: number;
  /** measured / predicted − 1 (0 when both are 0). */
  deviation: number;
  flagged: boolean;
}

function check(
  figure: string,
  unit: string,
  formula: string,
  predicted: number,
  measured: number,
  minimum = 0,
): ModelCheck {
  const deviation = predicted === 0 ? (measured === 0 ? 0 : Number.POSITIVE_INFINITY) : measured / predicted - 1;
  // A prediction too small to judge (a handful of timeouts, say) is shown but never flagged.
  const flagged = predicted >= minimum && Math.abs(deviation) > MODEL_TOLERANCE;
  return { figure, unit, formula, predicted, measured, deviation, flagged };
}

export function envelopeBytes(payloadBytes: number): number {
  return payloadBytes + ENVELOPE_OVERHEAD_BYTES;
}

export function webSocketFrameHeaderBytes(payloadBytes: number): number {
  if (payloadBytes <= 125) return 2;
  return payloadBytes <= 65_535 ? 4 : 10;
}

/** The chance that a client's channel sees no message for `seconds`. */
export function chanceOfSilence(scenario: Scenario, seconds: number): number {
  const perChannel = scenario.rate / scenario.channels;
  if (scenario.pattern === 'poisson') return Math.exp(-perChannel * seconds);
  const events = scenario.pattern === 'burst' ? perChannel / scenario.burstSize : perChannel;
  return Math.max(0, 1 - events * seconds);
}

/**
 * The model's checks for one technique's result, in the order a report shows them. Checks
 * the run cannot inform are left out: per-message figures when nothing was delivered, a
 * latency with no sample, and requests and bytes in a chat, where the clients' own publishes
 * are counted too and the model does not describe them.
 */
export function modelChecks(result: TransportResult, scenario: Scenario): ModelCheck[] {
  return allChecks(result, scenario).filter((check) => {
    if (check.figure === 'mean added delay') return result.latency.count > 0;
    if (result.delivery.deliveredInWindow === 0 && check.figure === 'bytes / msg') return false;
    return scenario.publisher === 'server' || check.figure === 'mean added delay';
  });
}

function allChecks(result: TransportResult, scenario: Scenario): ModelCheck[] {
  const clients = result.clients.connected;
  const window = result.windowSeconds;
  const envelope = envelopeBytes(scenario.payloadBytes);
  const perMessageRequests = result.requests.perMessage;
  switch (result.transport) {
    case 'short-polling': {
      const interval = scenario.pollIntervalMs / 1000;
      return [
        check('mean added delay', 'ms', 'I / 2', (interval / 2) * 1000, result.latency.mean),
        check('requests', '', 'C × W / I', (clients * window) / interval, result.requests.inWindow, 10),
        check(
          'empty responses',
          '',
          'requests × P(no message in I)',
          result.requests.inWindow * chanceOfSilence(scenario, interval),
          result.requests.empty,
          10,
        ),
        check(
          'bytes / msg',
          'B',
          'requests/msg × H + E',
          perMessageRequests * HTTP_EXCHANGE_BYTES + envelope + 1,
          result.bytes.perMessage,
        ),
      ];
    }
    case 'long-polling': {
      const timeout = scenario.longPollTimeoutMs / 1000;
      const timeouts = clients * (window / timeout) * chanceOfSilence(scenario, timeout);
      return [
        check(
          'requests',
          '',
          'deliveries + C × (W / T) × P(no message in T)',
          result.delivery.deliveredInWindow + timeouts,
          result.requests.inWindow,
          10,
        ),
        check(
          'bytes / msg',
          'B',
          'requests/msg × H + E',
          perMessageRequests * HTTP_EXCHANGE_BYTES + envelope,
          result.bytes.perMessage,
        ),
      ];
    }
    case 'sse':
      return [check('bytes / msg', 'B', 'E + SSE framing', envelope + SSE_FRAME_BYTES, result.bytes.perMessage)];
    case 'websocket':
      return [
        check(
          'bytes / msg',
          'B',
          'E + frame header',
          envelope + webSocketFrameHeaderBytes(envelope),
          result.bytes.perMessage,
        ),
      ];
    default:
      return [];
  }
}
