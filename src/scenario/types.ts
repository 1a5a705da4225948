import type { TransportName } from '../transports/transport.js';

export const PUBLISH_PATTERNS = ['constant', 'poisson', 'burst'] as const;
export type PublishPattern = (typeof PUBLISH_PATTERNS)[number];

/** Who publishes: the harness alone (fan-out), or the simulated clients themselves (chat). */
export const PUBLISHERS = ['server', 'clients'] as const;
export type Publisher = (typeof PUBLISHERS)[number];

/** `parser`: undici stream + eventsource-parser (lean, the default); `eventsource`: the eventsource package. */
export const SSE_CLIENTS = ['parser', 'eventsource'] as const;
export type SseClientKind = (typeof SSE_CLIENTS)[number];

/**
 * A scenario with every field resolved: built-in defaults, then the file, then the flags.
 * In files and on the command line the fields are spelled in kebab case (`poll-interval`,
 * `--poll-interval`) and durations may be written `500ms`, `10s` or `2m`.
 */
export interface Scenario {
  name: string;
  description: string;
  transports: TransportName[];
  clients: number;
  /** Clients connect spread evenly over this time; 0 = all at once. */
  rampUpMs: number;
  warmupMs: number;
  durationMs: number;
  /** After the last publish, how long to wait for copies still in flight before counting loss. */
  drainMs: number;
  /** Messages per second, all channels together. */
  rate: number;
  pattern: PublishPattern;
  /** Messages per burst when `pattern` is `burst` (bursts come rate / burstSize times a second). */
  burstSize: number;
  payloadBytes: number;
  publisher: Publisher;
  /** Clients are spread round-robin over this many channels; messages too. */
  channels: number;
  pollIntervalMs: number;
  longPollTimeoutMs: number;
  sseRetryMs: number;
  sseClient: SseClientKind;
}
