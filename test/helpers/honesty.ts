import type { Scenario } from '../../src/document/scenario.js';
import { buildSchedule } from '../../src/harness/publish/schedule.js';
import { defaultScenario } from '../../src/scenario/defaults.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';

// Shared by the honesty tests (test/e2e/run-honesty*.test.ts).

export function scenario(overrides: Partial<Scenario>): Scenario {
  return {
    ...defaultScenario(TRANSPORT_NAMES),
    name: 'honesty',
    rampUpMs: 300,
    warmupMs: 300,
    drainMs: 500,
    ...overrides,
  };
}

export const RUN_TIMEOUT_MS = 60_000;

/**
 * The share of the measured window in which a short poll finds nothing to deliver. A poll at
 * time p is empty when nothing was published in (p − interval, p]. With phases spread evenly,
 * the share of empty polls is the share of the window where that holds, computed here from the
 * very schedule the run published on.
 */
export function emptyPollShare(measured: Scenario, intervalMs: number): number {
  const offsets = buildSchedule({ ...measured, spanMs: measured.warmupMs + measured.durationMs });
  let emptyMs = 0;
  for (let t = measured.warmupMs; t < measured.warmupMs + measured.durationMs; t++) {
    if (!offsets.some((offset) => offset > t - intervalMs && offset <= t)) emptyMs++;
  }
  return emptyMs / measured.durationMs;
}
