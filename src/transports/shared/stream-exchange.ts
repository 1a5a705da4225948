import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { HTTPParser } from 'http-parser-js';
import type { ClientMeter } from './client-meter.js';
import { REFUSAL_BYTES_KEPT, refusalText, SubscribeRefused } from './client-support.js';
import { CONNECT_TIMEOUT_MS, ConnectTimeout, connectPlain, type PlainOrigin } from './plain-connection.js';

/** What the client does with a stream, as its bytes arrive. */
export interface StreamSink {
  /** The server accepted the stream (before any of its bytes are handed over). */
  opened(headers: IncomingHttpHeaders): void;
  /** Returns false when the client stopped reading (the `slow` fault): the stream is then held unread. */
  chunk(chunk: Buffer): boolean;
}

export interface StreamExchangeOptions {
  origin: PlainOrigin;
  localAddress?: string;
  /**
   * Silence on an open stream after which it fails (a half-open connection), ms: it fails after
   * between one and two of these without a byte.
   */
  silenceLimitMs: number;
  /** Every socket opened is handed to it (bytes, the drop and slow faults). */
  meter: ClientMeter;
}

/**
 * One streaming GET (`/sse`, `/stream`) on a connection of its own: a plain socket and the
 * http-parser-js response parser, as polling's PollExchange, with each body chunk handed
 * straight to the sink. `accepted` settles on the headers (a 200 of the expected content type,
 * or a refusal, read to its end); `ended` when the stream ends (resolved) or breaks (rejected).
 */
export class StreamExchange {
  readonly accepted: Promise<IncomingHttpHeaders>;
  readonly ended: Promise<void>;
  private accept!: (headers: IncomingHttpHeaders) => void;
  private refuse!: (error: Error) => void;
  private end!: () => void;
  private fail!: (error: Error) => void;
  private readonly socket: Socket;
  private readonly parser = new HTTPParser(HTTPParser.RESPONSE);
  private readonly connectTimer: NodeJS.Timeout;
  private readonly silenceTimer: NodeJS.Timeout;
  /** Bytes arrived since the silence timer last looked. */
  private heard = true;
  private statusCode = 0;
  private refusedStatus = 0;
  private readonly refusalChunks: Buffer[] = [];
  private refusalBytes = 0;
  private complete = false;
  private held = false;
  private socketError: Error | undefined;

  constructor(
    private readonly options: StreamExchangeOptions,
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
    this.parser[HTTPParser.kOnHeadersComplete] = this.onHeaders;
    this.parser[HTTPParser.kOnBody] = this.onBody;
    this.parser[HTTPParser.kOnMessageComplete] = this.onMessageComplete;
    const { socket, wire } = connectPlain(options.origin, options.localAddress);
    this.socket = socket;
    options.meter.track(socket, wire);
    this.connectTimer = setTimeout(this.onConnectTimeout, CONNECT_TIMEOUT_MS);
    // Not socket.setTimeout, which re-arms a timer at every read: at every copy, on a fan-out.
    this.silenceTimer = setInterval(this.afterPendingReads, options.silenceLimitMs);
    this.listen(this.socket);
    let head = `GET ${path}${options.origin.requestTail}`;
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
    this.socket.write(Buffer.from(`${head}\r\n`, 'latin1'));
  }

  /** Closes the stream: it then ends without an error, and a subscription still waiting for its answer fails. */
  destroy(): Promise<void> {
    this.refuse(new Error(`GET ${this.path}: closed before an answer`));
    this.settle();
    const socket = this.socket;
    if (socket.closed) return Promise.resolve();
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.destroy();
    return closed;
  }

  private listen(socket: Socket): void {
    // Over TLS the handshake is part of connecting: the timer runs until it is done.
    socket.on(this.options.origin.secure ? 'secureConnect' : 'connect', () => clearTimeout(this.connectTimer));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error: Error) => {
      this.socketError = error;
    });
    socket.on('close', () => this.onClose());
  }

  private onData(chunk: Buffer): void {
    this.heard = true;
    if (this.held) return;
    const parsed = this.parser.execute(chunk);
    if (parsed instanceof Error) this.close(new Error(`GET ${this.path}: malformed HTTP answer (${parsed.message})`));
    else if (this.complete) this.close(undefined);
  }

  /**
   * Timers run before the socket reads of their event-loop turn: after the generator stalled
   * longer than the limit, bytes already in the socket are read first, not taken for silence.
   */
  private readonly afterPendingReads = (): void => {
    setImmediate(this.onSilenceCheck);
  };

  private readonly onSilenceCheck = (): void => {
    // A client that stopped reading (the slow fault) hears nothing by its own choice.
    if (!this.heard && !this.held)
      this.close(new Error(`GET ${this.path}: nothing received for ${this.options.silenceLimitMs} ms or more`));
    this.heard = false;
  };

  private readonly onConnectTimeout = (): void => {
    this.close(new ConnectTimeout(this.options.origin.url));
  };

  private readonly onHeaders = (info: { statusCode: number; headers: string[] }): void => {
    this.statusCode = info.statusCode;
    const headers = headerObject(info.headers);
    if (info.statusCode === 200 && String(headers['content-type'] ?? '').startsWith(this.contentType)) {
      this.sink.opened(headers);
      this.accept(headers);
    } else {
      this.refusedStatus = info.statusCode;
    }
  };

  private readonly onBody = (chunk: Buffer, offset: number, length: number): void => {
    if (this.refusedStatus !== 0) {
      if (this.refusalBytes < REFUSAL_BYTES_KEPT) {
        this.refusalChunks.push(chunk.subarray(offset, offset + length));
        this.refusalBytes += length;
      }
      return;
    }
    if (this.held) return;
    // A client that stopped reading never starts again: the rest waits, unread, until it is closed.
    if (!this.sink.chunk(chunk.subarray(offset, offset + length))) {
      this.held = true;
      this.socket.pause();
    }
  };

  // Only marks the answer complete: the connection is closed once the parser has returned.
  private readonly onMessageComplete = (): void => {
    this.complete = true;
  };

  private onClose(): void {
    // A body without a length ends with its connection.
    if (!this.complete && this.statusCode !== 0) this.parser.finish();
    if (this.complete) {
      this.settle();
      return;
    }
    const what = this.statusCode === 0 ? 'an answer' : 'the stream ended';
    this.settle(this.socketError ?? new Error(`GET ${this.path}: the connection closed before ${what}`));
  }

  /** Ends the exchange (`error` undefined: as it should), then its connection. */
  private close(error: Error | undefined): void {
    this.settle(error);
    this.socket.destroy();
  }

  /**
   * Settles both promises, once: a refusal read to its end refuses the subscription; a stream
   * ends, or breaks with `error`. A later call changes nothing.
   */
  private settle(error?: Error): void {
    clearTimeout(this.connectTimer);
    clearInterval(this.silenceTimer);
    if (this.refusedStatus !== 0 && this.complete) {
      const body = refusalText(Buffer.concat(this.refusalChunks));
      this.refuse(new SubscribeRefused(this.path, this.refusedStatus, body));
    } else if (error !== undefined) {
      this.refuse(error);
    }
    if (error === undefined) this.end();
    else this.fail(error);
  }
}

/** http-parser-js's flat header list as Node's headers object: names in lower case, repeats joined. */
function headerObject(list: string[]): IncomingHttpHeaders {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) {
    const name = list[i]!.toLowerCase();
    const value = list[i + 1]!;
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return headers;
}
