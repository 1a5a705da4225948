import { defaultScenario } from '../../src/scenario/defaults.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';

// Shared by the scenario tests (test/unit/scenario-*.test.ts).

export const DEFAULT_SCENARIO = defaultScenario(TRANSPORT_NAMES);

export const ALL_TRANSPORTS = [...TRANSPORT_NAMES];
export const TRANSPORTS_EXPECTED = `all, or a comma-separated list of ${TRANSPORT_NAMES.join(', ')}`;
export const ALLOWED_FIELDS =
  'name, description, transport, clients, ramp-up, warmup, duration, drain, rate, pattern, burst-size, payload, ' +
  'publisher, channels, poll-interval, long-poll-timeout, sse-retry, sse-client, heartbeat, fault, fault-at, fault-share, journal';
