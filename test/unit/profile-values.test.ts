import { describe, expect, it } from 'vitest';
import { profileTemplateValues } from '../../src/harness/target/profile-values.js';
import { defaultScenario } from '../../src/scenario/defaults.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';

describe("a profile's config values, from the scenario", () => {
  it('keeps every message of the run per channel, at least 1,000, and gives nginx whole seconds', () => {
    const scenario = {
      ...defaultScenario(TRANSPORT_NAMES),
      heartbeatMs: 15_000,
      longPollTimeoutMs: 400,
      pollIntervalMs: 250,
    };
    expect(profileTemplateValues(scenario, 2)).toMatchObject({
      workers: 2,
      buffer: 1_000,
      'heartbeat-seconds': 15,
      // nginx takes no fraction of a second: the shortest it can hold is 1 s.
      'long-poll-timeout-seconds': 1,
      'poll-interval-ms': 250,
    });
    const busy = {
      ...scenario,
      rate: 500,
      channels: 2,
      rampUpMs: 0,
      warmupMs: 5_000,
      durationMs: 60_000,
      drainMs: 5_000,
    };
    // 500 msg/s over 70 s on two channels: 17,500 each, with a quarter more for retries and faults.
    expect(profileTemplateValues(busy, 1)['buffer']).toBe(21_875);
  });
});
