import type { Scenario } from '../../document/scenario.js';

/** A channel's buffer never holds fewer messages than this. */
const MIN_BUFFER = 1_000;
/** Room past the schedule for what a retry or a fault adds. */
const BUFFER_MARGIN = 1.25;

/** Whole seconds, at least 1: what nginx's time directives take. */
function wholeSeconds(ms: number): number {
  return Math.max(1, Math.round(ms / 1000));
}

/**
 * The values a profile's config template may use besides `prefix` and `port`, from the scenario:
 * a server's timers as the scenario sets them, and a per-channel buffer that keeps every message
 * of the run, so a client that resumes finds what it missed and loss is the server's doing alone.
 */
export function profileTemplateValues(scenario: Scenario, workers: number): Record<string, number> {
  const spanSeconds = (scenario.rampUpMs + scenario.warmupMs + scenario.durationMs + scenario.drainMs) / 1000;
  const perChannel = (scenario.rate * spanSeconds) / Math.max(1, scenario.channels);
  return {
    workers,
    buffer: Math.max(MIN_BUFFER, Math.ceil(perChannel * BUFFER_MARGIN)),
    'heartbeat-seconds': wholeSeconds(scenario.heartbeatMs),
    'long-poll-timeout-seconds': wholeSeconds(scenario.longPollTimeoutMs),
    'poll-interval-ms': scenario.pollIntervalMs,
  };
}
