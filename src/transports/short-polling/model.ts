import type { TransportResult } from '../../document/result.js';
import type { Scenario } from '../../document/scenario.js';
import { chanceOfSilence, check, httpBytesCheck, type ModelChecks } from '../model.js';

/*
 * Short polling (notation in ../model.ts)
 *   - A message waits for the client's next poll. Polls come every I at a phase unrelated to
 *     publishing, so the wait is uniform on [0, I): mean added delay = I/2.
 *   - Each client polls W/I times in the window: requests = C × W / I.
 *   - A poll is empty when nothing was published in the interval before it. Poisson arrivals:
 *     P(empty) = e^(−λI). Evenly spaced messages (period 1/λ): P(empty) = max(0, 1 − λI).
 *     Bursts of b messages are evenly spaced events at λ/b: P(empty) = max(0, 1 − λI/b).
 *   - Bytes per message: (requests per message) × H + E + the array's brackets and commas, from
 *     the run's own H and E: an account of every byte (see httpBytesCheck).
 */
export function shortPollingModel(result: TransportResult, scenario: Scenario): ModelChecks {
  const interval = scenario.pollIntervalMs / 1000;
  const requests = result.requests.inWindow;
  return [
    check('mean added delay', 'ms', 'I / 2', (interval / 2) * 1000, result.latency.mean),
    check('requests', '', 'C × W / I', (result.clients.connected * result.windowSeconds) / interval, requests, {
      minimum: 10,
    }),
    check(
      'empty responses',
      '',
      'requests × P(no message in I)',
      requests * chanceOfSilence(scenario, interval),
      result.requests.empty,
      { minimum: 10 },
    ),
    httpBytesCheck(result),
  ];
}
