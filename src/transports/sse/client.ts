import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';
import { StringDecoder } from 'node:string_decoder';
import { SubscribeRefused, subscribePath } from '../shared/client-support.js';
import type { ClientOptions } from '../transport.js';
import { StreamingClient } from '../shared/streaming-client.js';
import { DialectCursor } from '../shared/dialect-cursor.js';
import { ProtocolError } from '../../core/envelope.js';

/** The largest event the client holds (characters); past it the event is dropped and counted as an error. */
const MAX_EVENT_CHARS = 1024 * 1024;
/** A `retry:` beyond this is taken as this (setTimeout cannot wait past 2^31-1 ms: it would fire at once). */
const MAX_RETRY_MS = 60_000;

interface SkipState {
  atLineStart: boolean;
  afterCR: boolean;
}

/** Index just past the blank line that ends the event being skipped, or -1 when `text` does not reach it. */
function endOfEvent(text: string, state: SkipState): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 && state.afterCR) {
      state.afterCR = false;
      continue;
    }
    state.afterCR = false;
    if (c === 10 || c === 13) {
      if (state.atLineStart) return i + 1;
      state.atLineStart = true;
      state.afterCR = c === 13;
    } else {
      state.atLineStart = false;
    }
  }
  return -1;
}

/**
 * `GET /sse`, parsed by eventsource-parser (the parser the `eventsource` package uses).
 * Reconnects like a browser: after the server's `retry:`, with `Last-Event-ID`; a refusal
 * (non-200, wrong content type) ends the client, as it ends an `EventSource`.
 */
export class SseClient extends StreamingClient {
  private readonly parser: EventSourceParser;
  private lastEventId = '';
  private overflowed = false;
  private skip: SkipState | undefined;
  /** Keeps a UTF-8 character split across two chunks whole; one per stream. */
  private decoder = new StringDecoder('utf8');
  private atStreamStart = true;
  private retryMs: number;
  /** A profile's dialect, when the server is not the reference server. */
  private readonly dialect: DialectCursor | undefined;

  constructor(options: ClientOptions) {
    super(options, 'text/event-stream');
    this.retryMs = options.reconnectDelayMs;
    this.dialect =
      options.dialect === undefined
        ? undefined
        : new DialectCursor(options.dialect, options.channel, () => this.tracker.cursor);
    this.parser = createParser({
      maxBufferSize: MAX_EVENT_CHARS,
      onEvent: (event) => this.onEvent(event),
      onRetry: (ms) => (this.retryMs = Math.min(ms, MAX_RETRY_MS)),
      // A bad retry or an unknown field is ignored, as the spec says; only an oversize event is an error.
      onError: (error) => {
        if (error.type !== 'max-buffer-size-exceeded') return;
        this.overflowed = true;
        options.handlers.onError(new Error(`an event over ${MAX_EVENT_CHARS} characters was dropped`));
      },
    });
  }

  /** Last-Event-ID carries the cursor when there is one; `since` only starts a stream. */
  protected request(): { path: string; headers: Record<string, string> } {
    if (this.dialect !== undefined) {
      this.dialect.lastId = this.lastEventId;
      return { path: this.dialect.path(), headers: { accept: 'text/event-stream', ...this.dialect.headers() } };
    }
    const params: Record<string, string | number> = { ch: this.options.channel, ...this.tracker.resumeParams() };
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (this.lastEventId !== '') {
      delete params.since;
      headers['last-event-id'] = this.lastEventId;
    }
    return { path: subscribePath('/sse', params), headers };
  }

  protected startStream(): void {
    this.parser.reset();
    this.decoder = new StringDecoder('utf8');
    this.atStreamStart = true;
    this.skip = undefined;
  }

  protected reconnectDelayMs(): number {
    return this.retryMs;
  }

  /** Like an EventSource, a non-200 answer or a wrong content type ends the client. */
  protected endsOn(error: unknown): boolean {
    return error instanceof SubscribeRefused;
  }

  private onEvent(event: EventSourceMessage): void {
    if (event.id !== undefined) this.lastEventId = event.id;
    const type = event.event ?? 'message';
    if (type !== 'message' && type !== 'gap' && type !== 'reset') return;
    // Gap and reset markers are the reference server's; another server's named events are not messages.
    if (type !== 'message' && this.dialect !== undefined) return;
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      this.options.handlers.onError(new ProtocolError('event data is not JSON', event.data));
      return;
    }
    if (type === 'gap') {
      this.tracker.gap(data);
    } else if (type === 'reset') {
      // The old log's event id means nothing in the new one (a broken marker changes nothing).
      if (this.tracker.resetTo(data)) this.lastEventId = '';
    } else {
      this.tracker.envelope(data, Buffer.byteLength(event.data));
    }
  }

  /** One chunk of the stream, as it arrives. */
  protected feed(chunk: Buffer): void {
    let text = this.decoder.write(chunk);
    if (this.atStreamStart && text !== '') {
      this.atStreamStart = false;
      // The spec ignores one leading BOM; the parser only recognises it undecoded.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.skip !== undefined) {
      const end = endOfEvent(text, this.skip);
      if (end === -1) return;
      this.skip = undefined;
      this.parser.reset();
      text = text.slice(end);
    }
    this.parser.feed(text);
    if (this.overflowed) {
      this.overflowed = false;
      this.skip = { atLineStart: /[\r\n]$/.test(text), afterCR: text.endsWith('\r') };
    }
  }
}
