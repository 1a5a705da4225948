import { EventSource, type FetchLike } from 'eventsource';
import { Client, Headers, fetch as undiciFetch } from 'undici';
import { authorityOf } from '../shared/plain-connection.js';
import { ClientMeter, meteredConnector } from '../shared/client-meter.js';
import { CursorTracker } from '../shared/cursor-tracker.js';
import { subscribePath } from '../shared/client-support.js';
import type { ClientOptions, TransportClient } from '../transport.js';
import { EPOCH_HEADER } from '../../core/wire.js';
import { ProtocolError } from '../../core/envelope.js';

/**
 * The fidelity option (`--sse-client eventsource`): the `eventsource` package, a
 * spec-following EventSource with its own reconnect and `Last-Event-ID`. It costs about
 * 1.7× the CPU per message of `SseClient` (bench/hot-path.mjs).
 */
export class EventSourcePackageClient implements TransportClient {
  readonly meter = new ClientMeter();
  private readonly tracker: CursorTracker;
  private readonly http: Client;
  private source: EventSource | undefined;

  constructor(private readonly options: ClientOptions) {
    this.tracker = new CursorTracker(options.since, options.handlers, this.meter);
    this.http = new Client(options.baseUrl, {
      pipelining: 1,
      bodyTimeout: 0,
      connect: meteredConnector(this.meter, options.tls),
      localAddress: options.localAddress,
    });
  }

  get cursor(): number {
    return this.tracker.cursor;
  }

  open(): Promise<void> {
    const url = new URL(
      subscribePath('/sse', { ch: this.options.channel, since: this.tracker.cursor }),
      this.options.baseUrl,
    );
    const fetch: FetchLike = async (input, init) => {
      this.meter.requests++;
      // Each (re)connect names the log its Last-Event-ID belongs to, so a restarted server can reset it.
      const url = new URL(input);
      if (this.tracker.epoch !== undefined) url.searchParams.set('epoch', this.tracker.epoch);
      // The name a pinned address came from goes in Host, as in SNI (authorityOf).
      const headers = new Headers(init?.headers);
      if (this.options.tls?.servername !== undefined) headers.set('host', authorityOf(url, this.options.tls));
      const response = await undiciFetch(url, { ...init, headers, dispatcher: this.http });
      this.tracker.noteEpoch(response.headers.get(EPOCH_HEADER) ?? undefined);
      return response as Awaited<ReturnType<FetchLike>>;
    };
    const source = new EventSource(url, { fetch });
    this.source = source;
    source.onmessage = (event) => {
      const data = this.parse(event.data);
      if (data !== undefined) this.tracker.envelope(data, Buffer.byteLength(event.data));
    };
    source.addEventListener('gap', (event) => {
      const data = this.parse(event.data);
      if (data !== undefined) this.tracker.gap(data);
    });
    source.addEventListener('reset', (event) => {
      const data = this.parse(event.data);
      if (data !== undefined) this.tracker.resetTo(data);
    });
    return new Promise((resolve, reject) => {
      let opened = false;
      source.onopen = () => {
        if (opened) this.meter.reconnects++;
        opened = true;
        resolve();
      };
      source.onerror = (event) => {
        const error = new Error(
          `EventSource error${event.code === undefined ? '' : ` (status ${event.code})`}: ${event.message ?? 'connection lost'}`,
        );
        if (opened) {
          this.options.handlers.onError(error);
        } else {
          source.close();
          reject(error);
        }
      };
    });
  }

  async close(): Promise<void> {
    this.source?.close();
    await this.http.destroy();
  }

  /** The event's JSON data; undefined (and reported) when it is not JSON. */
  private parse(text: string): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      this.options.handlers.onError(new ProtocolError('event data is not JSON', text));
      return undefined;
    }
  }
}
