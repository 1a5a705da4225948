import type { TransportResult } from '../../document/result.js';
import type { Scenario } from '../../document/scenario.js';
import { chanceOfSilence, check, httpBytesCheck, type ModelChecks } from '../model.js';

/*
 * Long polling (notation in ../model.ts)
 *   - A held poll is answered by the next message (or batch) or by the timeout, and re-issued:
 *     requests = answers with messages + timeouts. Answers with messages ≤ copies delivered (one
 *     each unless messages arrive while a poll is being re-issued); a client times out when no
 *     message comes for T: timeouts ≈ C × (W / T) × P(no message in T), P = e^(−λT) for Poisson
 *     arrivals, 0 for evenly spaced ones when λT ≥ 1.
 *   - Bytes per message: (requests per message) × H + E + the array's brackets and commas, from
 *     the run's own H and E: an account of every byte (see httpBytesCheck).
 */
export function longPollingModel(result: TransportResult, scenario: Scenario): ModelChecks {
  const timeout = scenario.longPollTimeoutMs / 1000;
  const timeouts = result.clients.connected * (result.windowSeconds / timeout) * chanceOfSilence(scenario, timeout);
  return [
    check(
      'requests',
      '',
      'deliveries + C × (W / T) × P(no message in T)',
      result.delivery.deliveredInWindow + timeouts,
      result.requests.inWindow,
      { minimum: 10 },
    ),
    httpBytesCheck(result),
  ];
}
