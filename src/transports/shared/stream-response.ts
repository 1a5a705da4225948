import type { IncomingHttpHeaders } from 'node:http';
import type { Client, Dispatcher } from 'undici';
import { REFUSAL_BYTES_KEPT, refusalText, SubscribeRefused } from './client-support.js';

/** What the client does with a stream, called from undici's callbacks as the bytes arrive. */
export interface StreamSink {
  /** The server accepted the stream (before any of its bytes are handed over). */
  opened(headers: IncomingHttpHeaders): void;
  /** Returns false when the client stopped reading (the `slow` fault): the stream is then held unread. */
  chunk(chunk: Buffer): boolean;
}

/**
 * One streaming GET (`/sse`, `/stream`) through undici's `dispatch`, with this object as the
 * handler: each body chunk goes straight to the sink, with no response stream or async iterator
 * between the socket and the parser. `accepted` settles on the headers (a 200 of the expected
 * content type, or a refusal, read to its end); `ended` when the stream ends or fails.
 */
export class StreamResponse implements Dispatcher.DispatchHandler {
  readonly accepted: Promise<IncomingHttpHeaders>;
  readonly ended: Promise<void>;
  private accept!: (headers: IncomingHttpHeaders) => void;
  private refuse!: (error: Error) => void;
  private end!: () => void;
  private fail!: (error: Error) => void;
  private refusedStatus = 0;
  private readonly refusalChunks: Buffer[] = [];
  private refusalBytes = 0;

  constructor(
    http: Client,
    private readonly path: string,
    headers: Record<string, string>,
    /** The stream's media type, such as `text/event-stream`: any other answer is a refusal. */
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
    // Nobody waits for the end of a stream that was refused.
    this.ended.catch(() => {});
    http.dispatch({ path, method: 'GET', headers }, this);
  }

  /** undici takes a handler for its documented (controller) interface by this method's presence. */
  onRequestStart(): void {}

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode === 200 && String(headers['content-type'] ?? '').startsWith(this.contentType)) {
      this.sink.opened(headers);
      this.accept(headers);
    } else {
      this.refusedStatus = statusCode;
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.refusedStatus !== 0) {
      if (this.refusalBytes < REFUSAL_BYTES_KEPT) {
        this.refusalChunks.push(chunk);
        this.refusalBytes += chunk.length;
      }
      return;
    }
    // A client that stopped reading never starts again: the rest waits, unread, until it is closed.
    if (!this.sink.chunk(chunk)) controller.pause();
  }

  onResponseEnd(): void {
    if (this.refusedStatus !== 0) {
      this.refuse(new SubscribeRefused(this.path, this.refusedStatus, refusalText(Buffer.concat(this.refusalChunks))));
    }
    this.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.refuse(error);
    this.fail(error);
  }
}
