import type { IncomingHttpHeaders } from 'node:http';
import type { Client, Dispatcher } from 'undici';
import { REFUSAL_BYTES_KEPT } from './client-support.js';
const NO_BODY = Buffer.alloc(0);

/**
 * One poll at a time on one undici `Client`, through `dispatch` with this object as the
 * handler: no response stream, no body promise, no per-request closure. `done` is called once
 * per poll, when the whole answer is in (the fields below hold it until the next `send`) or
 * with the transport failure.
 */
export class PollExchange implements Dispatcher.DispatchHandler {
  statusCode = 0;
  headers: IncomingHttpHeaders = {};
  private readonly options: Dispatcher.DispatchOptions = { path: '/', method: 'GET' };
  private readonly chunks: Buffer[] = [];
  private chunkBytes = 0;

  /** `reading`: false once the client stopped reading (the `slow` fault); the answer is then held unread. */
  constructor(
    private readonly http: Client,
    private readonly reading: () => boolean,
    private readonly done: (error: Error | undefined) => void,
  ) {}

  get path(): string {
    return this.options.path;
  }

  send(path: string): void {
    this.options.path = path;
    this.statusCode = 0;
    this.chunks.length = 0;
    this.chunkBytes = 0;
    this.http.dispatch(this.options, this);
  }

  /** The body as bytes (a 200's whole body, the start of a refusal's; a 204 has none). */
  body(): Buffer {
    if (this.chunks.length === 1) return this.chunks[0]!;
    return this.chunks.length === 0 ? NO_BODY : Buffer.concat(this.chunks, this.chunkBytes);
  }

  /** undici takes a handler for its documented (controller) interface by this method's presence. */
  onRequestStart(): void {}

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    this.statusCode = statusCode;
    this.headers = headers;
    if (!this.reading()) controller.pause();
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.statusCode === 200 || (this.statusCode !== 204 && this.chunkBytes < REFUSAL_BYTES_KEPT)) {
      this.chunks.push(chunk);
      this.chunkBytes += chunk.length;
    }
    if (!this.reading()) controller.pause();
  }

  onResponseEnd(): void {
    this.done(undefined);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.done(error);
  }
}
