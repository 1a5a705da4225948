import type { Certificate } from '../core/certificate.js';
import { isIP } from 'node:net';
import type { ChannelState } from '../broker/broker.js';
import { normalizeHostName } from '../broker/host-check.js';
import {
  DEFAULT_BROKER_BYTES,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_HOST,
  DEFAULT_LONG_POLL_TIMEOUT_MS,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_RING_SIZE,
  DEFAULT_SSE_RETRY_MS,
} from '../core/constants.js';
import type { TransportName } from '../document/scenario.js';
import { TRANSPORTS } from '../transports/registry.js';
import type { ServerSettings } from '../transports/transport.js';

export interface ServerOptions extends ServerSettings {
  readonly transports: readonly TransportName[];
  readonly host: string;
  readonly port: number;
  readonly ringSize: number;
  /** Bytes of messages all rings together may hold. */
  readonly brokerBytes: number;
  /**
   * Host names answered besides IP addresses, `localhost` and `*.localhost` (the defence against
   * DNS rebinding); `.example.com` allows example.com and every name under it.
   */
  readonly allowHosts: readonly string[];
  /** An append-only file that keeps the log (and its epoch) across a restart; none by default. */
  readonly journalPath?: string;
  /** fdatasync the journal after each append, before the publish is acknowledged (survives a machine crash). */
  readonly journalFsync?: boolean;
  /** Each publish is held this long before it is appended: 0 except to slow the server on purpose (`--calibrate-delay`). */
  readonly calibrateDelayMs: number;
  /** CPU burned per delivered copy of an envelope, µs: 0 except to slow the server on purpose (`--calibrate-cpu`). */
  readonly calibrateCpuMicros: number;
  /** Serve over TLS (https, wss) with this certificate; cleartext without. */
  readonly tls?: Certificate;
  /**
   * Serve HTTP/2 too: over TLS on the one port (ALPN picks h2 or http/1.1), in cleartext (h2c,
   * prior knowledge) on a port of its own, `h2cPort` (0: any free port).
   */
  readonly http2?: boolean;
  readonly h2cPort?: number;
}

export const DEFAULT_SERVER_OPTIONS: ServerOptions = {
  transports: TRANSPORTS.map((transport) => transport.name),
  host: DEFAULT_HOST,
  port: 0,
  ringSize: DEFAULT_RING_SIZE,
  brokerBytes: DEFAULT_BROKER_BYTES,
  maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES,
  allowOrigins: [],
  allowHosts: [],
  heartbeatMs: DEFAULT_HEARTBEAT_MS,
  reconnectDelayMs: DEFAULT_SSE_RETRY_MS,
  longPollTimeoutMs: DEFAULT_LONG_POLL_TIMEOUT_MS,
  calibrateDelayMs: 0,
  calibrateCpuMicros: 0,
};

/** `--allow-host` names, and the name the server listens on when it was given one (as Vite does). */
export function allowedHostNames({ allowHosts, host }: ServerOptions): string[] {
  const names = allowHosts.map(normalizeHostName);
  return isIP(host) === 0 ? [...names, normalizeHostName(host)] : names;
}

export interface ServerStats {
  /** The log's name: it changes when the server starts without the journal of the one before. */
  epoch: string;
  uptimeSeconds: number;
  transports: TransportName[];
  connections: Record<string, number>;
  requests: Record<string, number>;
  /** Connections the server closed because their client stopped reading. */
  shed: Record<string, number>;
  /** Connections the server closed because their peer missed a heartbeat (half-open). */
  reaped: Record<string, number>;
  published: number;
  /** Bytes of serialized messages held in the rings. */
  brokerBytes: number;
  channels: Record<string, ChannelState>;
  cpuSeconds: { user: number; system: number; total: number };
  rssBytes: number;
  /** Bytes read and written on the server's TCP sockets since it started (TLS records, HTTP/2 frames, headers). */
  wireBytes?: number;
}
