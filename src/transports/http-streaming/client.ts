import { Client } from 'undici';
import { DEFAULT_HEARTBEAT_MS } from '../../core/constants.js';
import { ClientMeter, meteredConnector } from '../shared/client-meter.js';
import { epochOf, isConnectFailure, isPermanentRefusal, subscribePath } from '../shared/client-support.js';
import { CursorTracker } from '../shared/cursor-tracker.js';
import { StreamResponse, type StreamSink } from '../shared/stream-response.js';
import { keepSubscribed } from '../shared/stream-subscription.js';
import type { ClientOptions, TransportClient } from '../transport.js';
import { MAX_LINE_CHARS, NdjsonLines } from './ndjson-lines.js';

const NDJSON = 'application/x-ndjson';
/** Three missed heartbeats: the stream is presumed dead (half-open) and opened again from its cursor. */
const STREAM_SILENCE_LIMIT_MS = 3 * DEFAULT_HEARTBEAT_MS;

/**
 * `GET /stream?since=N`, read as a `fetch` reads a streamed body: straight from undici's
 * callbacks, split into lines, one JSON message each. When the stream ends or breaks it asks
 * again from its cursor after the reconnect delay (backing off while that fails); a permanent
 * refusal (a 4xx) ends the client.
 */
export class HttpStreamingClient implements TransportClient {
  readonly meter = new ClientMeter();
  private readonly tracker: CursorTracker;
  private readonly http: Client;
  private readonly stop = new AbortController();
  private readonly lines: NdjsonLines;
  private loop: Promise<void> | undefined;
  private readonly sink: StreamSink = {
    opened: (headers) => this.tracker.noteEpoch(epochOf(headers)),
    chunk: (chunk) => {
      if (!this.meter.reading) return false;
      this.lines.feed(chunk);
      return true;
    },
  };

  constructor(private readonly options: ClientOptions) {
    this.tracker = new CursorTracker(options.since, options.handlers);
    this.http = new Client(options.baseUrl, {
      pipelining: 1,
      bodyTimeout: STREAM_SILENCE_LIMIT_MS,
      connect: meteredConnector(this.meter),
      localAddress: options.localAddress,
    });
    this.lines = new NdjsonLines(
      (line) => this.onLine(line),
      () => options.handlers.onError(new Error(`a line over ${MAX_LINE_CHARS} characters was dropped`)),
    );
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
      delayMs: () => this.options.reconnectDelayMs,
      ends: isPermanentRefusal,
      onError: (error) => this.options.handlers.onError(error),
    });
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.http.destroy();
    await this.loop;
  }

  private onLine(line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      this.options.handlers.onError(new Error(`line is not JSON: ${line.slice(0, 200)}`));
      return;
    }
    this.tracker.message(message);
  }

  /** Opens the stream; resolves once the server has accepted it, with a promise of its end. */
  private async connect(): Promise<{ ended: Promise<void> }> {
    const path = subscribePath('/stream', { ch: this.options.channel, ...this.tracker.resumeParams() });
    this.meter.requests++;
    this.lines.reset();
    const response = new StreamResponse(this.http, path, { accept: NDJSON }, NDJSON, this.sink);
    try {
      await response.accepted;
    } catch (error) {
      if (isConnectFailure(error)) this.meter.requests--;
      throw error;
    }
    return response;
  }
}
