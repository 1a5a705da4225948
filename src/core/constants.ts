export const EXIT_CODES = {
  ok: 0,
  threshold: 1,
  usage: 2,
  aborted: 3,
  runFailed: 4,
  /** The run finished, but a technique it ran measured nothing (no copy delivered, every publish failed). */
  measuredNothing: 5,
} as const;
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_CHANNEL = 'default';
export const DEFAULT_RING_SIZE = 10_000;
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
/** All rings together; past it a channel evicts its own oldest messages, then publishes are refused (503). */
export const DEFAULT_BROKER_BYTES = 1024 * 1024 * 1024;
/** A poll answer or a catch-up write stops near this many bytes; the client asks again from its cursor. */
export const MAX_BATCH_BYTES = 1024 * 1024;
/**
 * Bytes a stream (SSE, WebSocket) may have queued for one client before the server stops
 * writing to it live and lets it catch up from the ring as it drains.
 */
export const STREAM_HIGH_WATER_BYTES = 512 * 1024;

export const DEFAULT_HEARTBEAT_MS = 15_000;
export const DEFAULT_SSE_RETRY_MS = 1_000;
export const DEFAULT_LONG_POLL_TIMEOUT_MS = 25_000;
export const MAX_LONG_POLL_TIMEOUT_MS = 120_000;
export const DEFAULT_POLL_INTERVAL_MS = 1_000;
export const DEFAULT_RECONNECT_DELAY_MS = 1_000;

/** Node's own defaults are generous; a benchmark server must not be held open by a slow sender. */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;
/** Longer than any sane poll interval, so short polling keeps its connection between polls. */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/**
 * Node's default accept backlog (511) overflows when a thousand clients connect at once, and
 * every dropped SYN costs its client a 1 s retransmit; the kernel caps this at somaxconn.
 */
export const LISTEN_BACKLOG = 4_096;
/** How long shutdown waits for sockets to close before destroying them. */
export const SHUTDOWN_GRACE_MS = 1_000;

/** Distinct error messages a result keeps per technique, for diagnosis (a merge keeps as many). */
export const ERROR_SAMPLES_KEPT = 5;

export const MAX_CHANNELS = 1_024;
export const CHANNEL_NAME_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
/** A log's name as clients hand it back (`?epoch=`); the server names its logs with a UUID. */
export const EPOCH_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
/** An envelope's `t`: `process.hrtime.bigint()` nanoseconds in decimal digits. */
export const HRTIME_PATTERN = /^\d{1,20}$/;

/**
 * The most clients `--h2-multiplex` puts on one HTTP/2 connection: under the concurrent streams
 * Node's server (as im-bench sets it) and nginx (`http2_max_concurrent_streams`, 128) allow.
 */
export const H2_MAX_MULTIPLEX = 100;
