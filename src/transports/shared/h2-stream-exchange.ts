import type { IncomingHttpHeaders } from 'node:http';
import { type ClientHttp2Stream, constants, type IncomingHttpStatusHeader } from 'node:http2';
import { REFUSAL_BYTES_KEPT, refusalText, SubscribeRefused } from './client-support.js';
import { type H2Link, streamFailure } from './h2-link.js';
import type { StreamSink } from './stream-exchange.js';

export interface H2StreamExchangeOptions {
  link: H2Link;
  /** As StreamExchange's: silence on an open stream after which it fails, ms. */
  silenceLimitMs: number;
}

/**
 * One streaming GET (`/sse`, `/stream`) as a stream of an HTTP/2 connection (H2Link): what
 * StreamExchange is over HTTP/1.1, with the same promises. A client that stops reading pauses
 * its stream, and HTTP/2's flow control holds the server's writes for it alone.
 */
export class H2StreamExchange {
  readonly accepted: Promise<IncomingHttpHeaders>;
  readonly ended: Promise<void>;
  private accept!: (headers: IncomingHttpHeaders) => void;
  private refuse!: (error: Error) => void;
  private end!: () => void;
  private fail!: (error: Error) => void;
  private readonly stream: ClientHttp2Stream;
  private readonly silenceTimer: NodeJS.Timeout;
  private heard = true;
  private refusedStatus = 0;
  private readonly refusalChunks: Buffer[] = [];
  private refusalBytes = 0;
  private held = false;
  private settled = false;
  /** Its headers came (accepted or refused): an end without them is a failure, not a refusal read whole. */
  private answered = false;

  constructor(
    private readonly options: H2StreamExchangeOptions,
    private readonly path: string,
    headers: Record<string, string>,
    private readonly contentType: string,
    private readonly sink: StreamSink,
  ) {
    this.accepted = new Promise((resolve, reject) => {
      this.accept = resolve;
      this.refuse = reject;
    });
    this.ended = new Promise((resolve, reject) => {
      this.end = resolve;
      this.fail = reject;
    });
    this.ended.catch(() => {});
    this.silenceTimer = setInterval(this.afterPendingReads, options.silenceLimitMs);
    const stream = options.link.request({ ':path': path, ...headers });
    this.stream = stream;
    stream.on('response', (answer: IncomingHttpHeaders & IncomingHttpStatusHeader) => this.onResponse(answer));
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('end', () =>
      this.settle(this.answered ? undefined : new Error(`GET ${path}: the stream ended before an answer`)),
    );
    stream.on('error', (error: Error) => this.settle(streamFailure(stream, error)));
    stream.on('close', () =>
      this.settle(
        streamFailure(stream, new Error(`GET ${path}: the stream closed before it ended (code ${stream.rstCode})`)),
      ),
    );
  }

  /** Closes the stream: it then ends without an error, and a subscription still waiting for its answer fails. */
  destroy(): Promise<void> {
    this.refuse(new Error(`GET ${this.path}: closed before an answer`));
    this.settle();
    const stream = this.stream;
    if (stream.closed) return Promise.resolve();
    const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
    stream.close(constants.NGHTTP2_CANCEL);
    return closed;
  }

  private onResponse(answer: IncomingHttpHeaders & IncomingHttpStatusHeader): void {
    this.answered = true;
    const status = answer[':status'] ?? 0;
    if (status === 200 && String(answer['content-type'] ?? '').startsWith(this.contentType)) {
      this.sink.opened(answer);
      this.accept(answer);
    } else {
      this.refusedStatus = status;
    }
  }

  private onData(chunk: Buffer): void {
    this.heard = true;
    if (this.refusedStatus !== 0) {
      if (this.refusalBytes < REFUSAL_BYTES_KEPT) {
        this.refusalChunks.push(chunk);
        this.refusalBytes += chunk.length;
      }
      return;
    }
    if (this.held) return;
    if (!this.sink.chunk(chunk)) {
      this.held = true;
      this.stream.pause();
    }
  }

  /**
   * Timers run before the socket reads of their event-loop turn: after the generator stalled
   * longer than the limit, bytes already in the socket are read first, not taken for silence.
   */
  private readonly afterPendingReads = (): void => {
    setImmediate(this.onSilenceCheck);
  };

  private readonly onSilenceCheck = (): void => {
    if (!this.heard && !this.held) {
      const error = new Error(`GET ${this.path}: nothing received for ${this.options.silenceLimitMs} ms or more`);
      this.settle(error);
      this.stream.close(constants.NGHTTP2_CANCEL);
    }
    this.heard = false;
  };

  /** Settles both promises, once, as StreamExchange's settle does. */
  private settle(error?: Error): void {
    if (this.settled) return;
    this.settled = true;
    clearInterval(this.silenceTimer);
    if (this.refusedStatus !== 0 && error === undefined) {
      const body = refusalText(Buffer.concat(this.refusalChunks));
      this.refuse(new SubscribeRefused(this.path, this.refusedStatus, body));
    } else if (error !== undefined) {
      this.refuse(error);
    }
    if (error === undefined) this.end();
    else this.fail(error);
  }
}
