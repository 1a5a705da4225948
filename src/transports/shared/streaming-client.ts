import { DEFAULT_HEARTBEAT_MS } from '../../core/constants.js';
import type { ClientOptions, TransportClient } from '../transport.js';
import { ClientMeter } from './client-meter.js';
import { epochOf, isConnectFailure } from './client-support.js';
import { CursorTracker } from './cursor-tracker.js';
import { plainOrigin } from './plain-connection.js';
import { StreamExchange, type StreamExchangeOptions, type StreamSink } from './stream-exchange.js';
import { H2StreamExchange } from './h2-stream-exchange.js';
import { keepSubscribed } from './stream-subscription.js';

/**
 * Three missed heartbeats (the server's, when the client knows it): the stream is presumed dead
 * (half-open, or held by a proxy that buffers it) and opened again from its cursor.
 */
const SILENCE_HEARTBEATS = 3;

/**
 * A client that reads one long HTTP response (SSE, HTTP streaming) straight from its socket's
 * parser (StreamExchange), with no response stream or async iterator in between, and
 * subscribes again from its cursor when the stream ends. A technique says how it asks
 * (`request`), how it reads (`startStream`, `feed`), how long it waits before asking again and
 * which refusal ends it.
 */
export abstract class StreamingClient implements TransportClient {
  readonly meter = new ClientMeter();
  protected readonly tracker: CursorTracker;
  private readonly exchangeOptions: StreamExchangeOptions;
  private stream: StreamExchange | H2StreamExchange | undefined;
  private readonly stop = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly sink: StreamSink = {
    opened: (headers) => this.tracker.noteEpoch(epochOf(headers)),
    chunk: (chunk) => {
      // A client that stopped reading (the `slow` fault) holds the rest of the stream unread.
      if (!this.meter.reading) return false;
      this.feed(chunk);
      return true;
    },
  };

  constructor(
    protected readonly options: ClientOptions,
    /** The stream's media type: any other answer is a refusal. */
    private readonly contentType: string,
  ) {
    this.tracker = new CursorTracker(options.since, options.handlers, this.meter);
    this.exchangeOptions = {
      origin: plainOrigin(options.baseUrl, options.tls),
      localAddress: options.localAddress,
      silenceLimitMs: this.silenceLimitMs,
      meter: this.meter,
    };
    if (options.h2 !== undefined) this.meter.shareLink(options.h2);
  }

  private get silenceLimitMs(): number {
    return SILENCE_HEARTBEATS * (this.options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  }

  get cursor(): number {
    return this.tracker.cursor;
  }

  async open(): Promise<void> {
    const stream = await this.connect();
    this.loop = keepSubscribed(stream.ended, {
      signal: this.stop.signal,
      meter: this.meter,
      connect: () => this.connect(),
      delayMs: () => this.reconnectDelayMs(),
      ends: (error) => this.endsOn(error),
      onError: (error) => this.options.handlers.onError(error),
    });
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.stream?.destroy();
    await this.loop;
    await this.options.h2?.leave();
  }

  /** The subscribe request, from the cursor as it stands: path and query, and headers. */
  protected abstract request(): { path: string; headers: Record<string, string> };
  /** A new stream begins: nothing the last one left half-read carries over. */
  protected abstract startStream(): void;
  /** One chunk of the body, as it arrives. */
  protected abstract feed(chunk: Buffer): void;
  /** The wait before asking again after the stream ended, before any backoff. */
  protected abstract reconnectDelayMs(): number;
  /** A failure to subscribe that ends the client for good. */
  protected abstract endsOn(error: unknown): boolean;

  /** Opens the stream; resolves once the server has accepted it, with a promise of its end. */
  private async connect(): Promise<{ ended: Promise<void> }> {
    const { path, headers } = this.request();
    this.meter.requests++;
    // Its bytes may arrive with its headers: the parser starts afresh first.
    this.startStream();
    const { h2 } = this.options;
    const response =
      h2 === undefined
        ? new StreamExchange(this.exchangeOptions, path, headers, this.contentType, this.sink)
        : new H2StreamExchange(
            { link: h2, silenceLimitMs: this.silenceLimitMs },
            path,
            headers,
            this.contentType,
            this.sink,
          );
    this.stream = response;
    try {
      await response.accepted;
    } catch (error) {
      if (isConnectFailure(error)) this.meter.requests--;
      throw error;
    }
    return response;
  }
}
