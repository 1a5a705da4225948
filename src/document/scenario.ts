/**
 * A technique's name as the registry (src/transports/registry.ts) spells it. Below the transports
 * layer it is plain text, checked against the registry where it comes in: option parsing and
 * document loading.
 */
export type TransportName = string;

export const PUBLISH_PATTERNS = ['constant', 'poisson', 'burst'] as const;
export type PublishPattern = (typeof PUBLISH_PATTERNS)[number];

/** Who publishes: the harness alone (fan-out), or the simulated clients themselves (chat). */
export const PUBLISHERS = ['server', 'clients'] as const;
export type Publisher = (typeof PUBLISHERS)[number];

/**
 * A fault injected once, `faultAtMs` into the window: `restart` kills the server (SIGKILL) and
 * starts it again on the same port; `drop` cuts a share of the clients' connections; `slow`
 * makes a share of the clients stop reading.
 */
export const FAULTS = ['none', 'restart', 'drop', 'slow'] as const;
export type FaultKind = (typeof FAULTS)[number];

/** `parser`: a plain socket (StreamExchange) + eventsource-parser (lean, the default); `eventsource`: the eventsource package. */
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
  /** The server's SSE heartbeat and WebSocket ping interval; a stalled stream is shed after two. */
  heartbeatMs: number;
  fault: FaultKind;
  /** When the fault strikes, from the start of the window. */
  faultAtMs: number;
  /** The share of clients a `drop` or `slow` fault affects. */
  faultShare: number;
  /** With `restart`: whether the server keeps its log in a journal across the restart. */
  journal: boolean;
}
