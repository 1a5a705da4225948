import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Envelope, Gap } from '../core/envelope.js';
import type { Broker, BrokerEntry } from '../broker/broker.js';
import type { SseClientKind, TransportName } from '../document/scenario.js';
import type { ClientMeter } from './client-meter.js';

/** What the reference server shares with every technique's handler. */
export interface ServerContext {
  readonly broker: Broker;
  readonly settings: ServerSettings;
  /** Validates a publish request body and appends it to the broker; throws `HttpError` on bad input. */
  publish(body: unknown): BrokerEntry;
}

export interface ServerSettings {
  readonly maxMessageBytes: number;
  readonly heartbeatMs: number;
  readonly sseRetryMs: number;
  readonly longPollTimeoutMs: number;
  readonly allowOrigins: readonly string[];
}

export type RequestHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
) => void | Promise<void>;

/** One technique's server side. Bad input is thrown as `HttpError`; the host answers it. */
export interface TransportServer {
  handleRequest: RequestHandler;
  handleUpgrade?(req: IncomingMessage, socket: Duplex, head: Buffer, query: URLSearchParams): void;
  /** Connections closed by the server because their client stopped reading. */
  shed(): number;
  /** Connections closed by the server because their peer stopped answering its heartbeat (half-open). */
  reaped(): number;
  /** Shutdown: answer held requests, end streams, close sockets with a going-away reason. */
  close(): void;
}

export interface ClientHandlers {
  onEnvelope(envelope: Envelope): void;
  onGap(gap: Gap): void;
  /** The client learned the epoch of the log it reads: at its first answer, and after a reset to a new log. */
  onEpoch?(epoch: string): void;
  /** Failures while running are data (counted by the caller), never thrown. */
  onError(error: Error): void;
}

export interface ClientOptions {
  /** `http://host:port` of the server. */
  baseUrl: string;
  channel: string;
  /** Resume cursor: the last sequence number already seen (0 = from the start of the log). */
  since: number;
  pollIntervalMs: number;
  longPollTimeoutMs: number;
  /** Wait before re-subscribing after a lost connection (SSE uses the server's `retry:` instead). */
  reconnectDelayMs: number;
  /** SSE only: the lean parser client (default) or the `eventsource` package. */
  sseClient?: SseClientKind;
  /** Source address for the client's connections (`--local-address`): spreads clients over more local ports. */
  localAddress?: string;
  handlers: ClientHandlers;
}

/** A message a client publishes itself (chat); over WebSocket it goes on the client's own socket. */
export interface PublishMessage {
  ch: string;
  from: string;
  data: string;
  t: string;
}

/** One simulated subscriber. It re-subscribes by itself, resuming from `cursor`, until closed. */
export interface TransportClient {
  readonly cursor: number;
  readonly meter: ClientMeter;
  /** Present when the technique can publish on its subscribe connection (WebSocket); false when it could not send. */
  publish?(message: PublishMessage): boolean;
  /** Resolves once subscribed (first poll answered, stream or socket open); rejects if that fails. */
  open(): Promise<void>;
  close(): Promise<void>;
}

export interface Transport {
  readonly name: TransportName;
  readonly title: string;
  /** The subscribe path of the wire contract, e.g. `/poll`. */
  readonly path: string;
  /** True when subscribing is an HTTP upgrade rather than a plain request. */
  readonly upgrade: boolean;
  createServer(context: ServerContext): TransportServer;
  createClient(options: ClientOptions): TransportClient;
}
