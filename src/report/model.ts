import type { TransportResult } from '../document/result.js';
import type { Scenario } from '../document/scenario.js';
import type { ModelCheck } from '../transports/model.js';
import { findTransport } from '../transports/registry.js';

/**
 * The model's checks for one technique's result (its own, from the registry), in the order a
 * report shows them. Checks the run cannot inform are left out: those of a figure not measured
 * (null: nothing delivered, a latency with no sample), and requests and bytes in a chat, where
 * the clients' own publishes are counted too and the model does not describe them.
 */
export function modelChecks(result: TransportResult, scenario: Scenario): ModelCheck[] {
  const checks = findTransport(result.transport)?.modelChecks(result, scenario) ?? [];
  return checks.filter(
    (check): check is ModelCheck =>
      check !== null && (scenario.publisher === 'server' || check.figure === 'mean added delay'),
  );
}
