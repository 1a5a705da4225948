import {
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_LONG_POLL_TIMEOUT_MS,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_SSE_RETRY_MS,
} from '../core/constants.js';
import type { Scenario, TransportName } from '../document/scenario.js';

/** The built-in run when no scenario is named. */
export const DEFAULT_SCENARIO_NAME = 'notify';

/** Every field's value but the techniques', before a scenario file or a flag says otherwise. */
export const DEFAULT_SETTINGS: Omit<Scenario, 'transports'> = Object.freeze({
  name: 'default',
  description: '',
  clients: 100,
  rampUpMs: 500,
  warmupMs: 1_000,
  durationMs: 8_000,
  drainMs: 1_500,
  rate: 2,
  pattern: 'constant',
  burstSize: 10,
  payloadBytes: 100,
  publisher: 'server',
  channels: 1,
  pollIntervalMs: DEFAULT_POLL_INTERVAL_MS,
  longPollTimeoutMs: DEFAULT_LONG_POLL_TIMEOUT_MS,
  sseRetryMs: DEFAULT_SSE_RETRY_MS,
  sseClient: 'parser',
  heartbeatMs: DEFAULT_HEARTBEAT_MS,
  fault: 'none',
  faultAtMs: 3_000,
  faultShare: 0.3,
  journal: true,
});

/** The default scenario for a run that may choose among `techniques` (the registry's names): it runs them all. */
export function defaultScenario(techniques: readonly TransportName[]): Scenario {
  return { ...DEFAULT_SETTINGS, transports: [...techniques] };
}
