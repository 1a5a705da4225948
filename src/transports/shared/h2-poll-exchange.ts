import type { IncomingHttpHeaders } from 'node:http';
import { type ClientHttp2Stream, constants, type IncomingHttpStatusHeader } from 'node:http2';
import type { ClientMeter } from './client-meter.js';
import { REFUSAL_BYTES_KEPT } from './client-support.js';
import { type H2Link, streamFailure } from './h2-link.js';
import type { PollExchanger } from './poll-exchanger.js';

const NO_BODY = Buffer.alloc(0);

export interface H2PollExchangeOptions {
  link: H2Link;
  /** Longest silence while a poll is out, ms; the poll then fails. */
  answerTimeoutMs: number;
  meter: ClientMeter;
}

/** `name: value\r\n` lines (a profile dialect's headers) as an HTTP/2 header object. */
function headerObject(lines: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * One poll at a time as a stream of an HTTP/2 connection (H2Link), which the client may share
 * with others (`--h2-multiplex`). `done` is called once per poll, as PollExchange calls it.
 */
export class H2PollExchange implements PollExchanger {
  statusCode = 0;
  onConnected: () => void = () => {};
  readonly headBytes = undefined;
  private headers: IncomingHttpHeaders = {};
  private readonly chunks: Buffer[] = [];
  private chunkBytes = 0;
  private stream: ClientHttp2Stream | undefined;
  private requestPath = '';
  private inFlight = false;
  /** The link's session last announced to onConnected (H2Link.generation). */
  private announced = 0;
  private readonly onUp = (): void => this.onConnected();

  constructor(
    private readonly options: H2PollExchangeOptions,
    private readonly done: (error: Error | undefined) => void,
  ) {}

  get path(): string {
    return this.requestPath === '' ? '/' : this.requestPath;
  }

  send(path: string, headerLines = ''): void {
    this.requestPath = path;
    this.statusCode = 0;
    this.headers = {};
    this.chunks.length = 0;
    this.chunkBytes = 0;
    this.inFlight = true;
    const { link } = this.options;
    const stream = link.request({ ':path': path, ...(headerLines === '' ? {} : headerObject(headerLines)) });
    // Each connection it polls on is announced once, when up: a shared one may be up already.
    if (this.announced !== link.generation) {
      this.announced = link.generation;
      link.whenConnected(this.onUp);
    }
    this.stream = stream;
    const current = (): boolean => this.stream === stream;
    stream.setTimeout(this.options.answerTimeoutMs, () => {
      if (current()) this.fail(new Error(`GET ${path}: no answer within ${this.options.answerTimeoutMs} ms`));
    });
    stream.on('response', (headers: IncomingHttpHeaders & IncomingHttpStatusHeader) => {
      if (!current()) return;
      this.statusCode = headers[':status'] ?? 0;
      this.headers = headers;
    });
    stream.on('data', (chunk: Buffer) => {
      if (current()) this.onBody(stream, chunk);
    });
    stream.on('end', () => {
      if (current()) this.finish();
    });
    stream.on('error', (error: Error) => {
      if (current()) this.fail(streamFailure(stream, error));
    });
    stream.on('close', () => {
      if (current() && this.inFlight)
        this.fail(
          streamFailure(
            stream,
            new Error(`GET ${path}: the stream closed before the answer was complete (code ${stream.rstCode})`),
          ),
        );
    });
    // A client that stopped reading (the slow fault) holds every answer, an empty one too.
    if (!this.options.meter.reading) stream.pause();
  }

  header(name: string): string | undefined {
    const value = this.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  body(): Buffer {
    if (this.chunks.length === 1) return this.chunks[0]!;
    return this.chunks.length === 0 ? NO_BODY : Buffer.concat(this.chunks, this.chunkBytes);
  }

  /** Cancels a poll still out (without a `done`) and leaves the connection. */
  destroy(): Promise<void> {
    this.inFlight = false;
    const stream = this.stream;
    this.stream = undefined;
    if (stream !== undefined && !stream.closed) stream.close(constants.NGHTTP2_CANCEL);
    return this.options.link.leave();
  }

  private onBody(stream: ClientHttp2Stream, chunk: Buffer): void {
    // A client that stopped reading (the slow fault) holds its stream: flow control stops the server.
    if (!this.options.meter.reading) stream.pause();
    if (this.statusCode === 200 || (this.statusCode !== 204 && this.chunkBytes < REFUSAL_BYTES_KEPT)) {
      this.chunks.push(chunk);
      this.chunkBytes += chunk.length;
    }
  }

  private finish(): void {
    // A stream its connection's end closed, unanswered (the drop fault, a restart).
    if (this.statusCode === 0) {
      this.fail(new Error(`GET ${this.path}: the connection closed before the answer`));
      return;
    }
    this.stream = undefined;
    if (!this.inFlight) return;
    this.inFlight = false;
    this.done(undefined);
  }

  private fail(error: Error): void {
    const stream = this.stream;
    this.stream = undefined;
    if (stream !== undefined && !stream.closed) stream.close(constants.NGHTTP2_CANCEL);
    if (!this.inFlight) return;
    this.inFlight = false;
    this.done(error);
  }
}
