import type { Socket } from 'node:net';
import { HTTPParser } from 'http-parser-js';
import type { ClientMeter } from './client-meter.js';
import type { PollExchanger } from './poll-exchanger.js';
import { REFUSAL_BYTES_KEPT } from './client-support.js';
import {
  type ClientTls,
  CONNECT_TIMEOUT_MS,
  ConnectTimeout,
  connectPlain,
  type PlainOrigin,
  plainOrigin,
} from './plain-connection.js';

const NO_BODY = Buffer.alloc(0);

export interface PollExchangeOptions {
  baseUrl: string;
  /** With an https baseUrl: the certificate to trust. */
  tls?: ClientTls;
  localAddress?: string;
  /** Longest silence while a poll is out, ms; the poll then fails. */
  answerTimeoutMs: number;
  /** Every socket opened is handed to it (bytes, the drop and slow faults). */
  meter: ClientMeter;
}

/**
 * One poll (or one publish, `post`) at a time over one keep-alive HTTP/1.1 connection, on a
 * plain socket with the http-parser-js response parser (autocannon's): the request is one
 * buffer, built again only when the path changes, written at once; the answer's headers stay
 * the parser's flat list.
 * `done` is called once per poll, when the whole answer is in (the fields below hold it until
 * the next `send`) or with the failure. A connection the server closes is replaced at the next
 * poll. Unlike undici, the next poll is written at once, without first waiting an event-loop
 * turn for a close the server may have sent as the last answer went out: such a poll fails and
 * is counted (the reference server keeps idle connections 65 s).
 */
export class PollExchange implements PollExchanger {
  statusCode = 0;
  /** Called each time a connection is up (long polling counts as subscribed then). */
  onConnected: () => void = () => {};
  private headerList: string[] = [];
  private readonly chunks: Buffer[] = [];
  private chunkBytes = 0;
  /** Bytes of the current answer read so far, and those of them in its body. */
  private answerBytes = 0;
  private bodyBytes = 0;
  private socket: Socket | undefined;
  private parser = new HTTPParser(HTTPParser.RESPONSE);
  private connectTimer: NodeJS.Timeout | undefined;
  private requestPath = '';
  private headerLines = '';
  /** `GET /poll?…` or `POST /publish`: the request in error messages. */
  private requestLine = '';
  /** The request for requestPath, kept while the path stays the same (a poll answered 204). */
  private request = NO_BODY;
  private inFlight = false;
  private complete = false;
  private keepAlive = true;
  private socketError: Error | undefined;
  private readonly origin: PlainOrigin;

  constructor(
    private readonly options: PollExchangeOptions,
    private readonly done: (error: Error | undefined) => void,
  ) {
    this.origin = plainOrigin(options.baseUrl, options.tls);
  }

  get path(): string {
    return this.requestPath === '' ? '/' : this.requestPath;
  }

  /** A GET of `path`; `headerLines` (`name: value\r\n` each) are a profile dialect's, such as its validators. */
  send(path: string, headerLines = ''): void {
    if (path !== this.requestPath || headerLines !== this.headerLines || !this.requestLine.startsWith('GET')) {
      this.requestPath = path;
      this.headerLines = headerLines;
      this.requestLine = `GET ${path}`;
      this.request = Buffer.from(`GET ${path}${this.origin.requestTail}${headerLines}\r\n`, 'latin1');
    }
    this.start();
  }

  /** One request with a body (POST, or a profile's PUT), written at once as a single buffer. */
  post(path: string, contentType: string, body: string, method = 'POST', headerLines = ''): void {
    this.requestPath = path;
    this.headerLines = headerLines;
    this.requestLine = `${method} ${path}`;
    const length = Buffer.byteLength(body);
    this.request = Buffer.from(
      `${method} ${path}${this.origin.requestTail}content-type: ${contentType}\r\ncontent-length: ${length}\r\n${headerLines}\r\n${body}`,
    );
    this.start();
  }

  private start(): void {
    this.statusCode = 0;
    this.headerList = [];
    this.chunks.length = 0;
    this.chunkBytes = 0;
    this.answerBytes = 0;
    this.bodyBytes = 0;
    this.complete = false;
    this.inFlight = true;
    (this.socket ?? this.open()).write(this.request);
  }

  /** A header of the last answer (name in lower case), or undefined. */
  header(name: string): string | undefined {
    const list = this.headerList;
    for (let i = 0; i < list.length; i += 2) {
      const key = list[i]!;
      if (key.length === name.length && key.toLowerCase() === name) return list[i + 1];
    }
    return undefined;
  }

  /** The body as bytes (a 200's whole body, the start of a refusal's; a 204 has none). */
  body(): Buffer {
    if (this.chunks.length === 1) return this.chunks[0]!;
    return this.chunks.length === 0 ? NO_BODY : Buffer.concat(this.chunks, this.chunkBytes);
  }

  /**
   * The last exchange's bytes without its body: the request as written, the status line and
   * headers as read (and a chunked body's framing, which is no part of the body either).
   */
  get headBytes(): number {
    return this.request.length + this.answerBytes - this.bodyBytes;
  }

  /** Closes the connection; a poll still out is dropped without a `done`. */
  destroy(): Promise<void> {
    this.inFlight = false;
    const socket = this.socket;
    this.discard();
    if (socket === undefined || socket.closed) return Promise.resolve();
    return new Promise((resolve) => socket.once('close', () => resolve()));
  }

  private open(): Socket {
    const { socket, wire } = connectPlain(this.origin, this.options.localAddress);
    this.socket = socket;
    this.socketError = undefined;
    this.parser = new HTTPParser(HTTPParser.RESPONSE);
    this.parser[HTTPParser.kOnHeadersComplete] = this.onHeaders;
    this.parser[HTTPParser.kOnBody] = this.onBody;
    this.parser[HTTPParser.kOnMessageComplete] = this.onMessageComplete;
    this.options.meter.track(socket, wire);
    this.connectTimer = setTimeout(this.onConnectTimeout, CONNECT_TIMEOUT_MS);
    socket.setTimeout(this.options.answerTimeoutMs);
    // One set of listeners per connection; a replaced connection's late events are ignored.
    const current = (): boolean => this.socket === socket;
    // Over TLS the connection is up once the handshake is done (its TCP socket connected earlier).
    socket.on(this.origin.secure ? 'secureConnect' : 'connect', () => {
      if (!current()) return;
      clearTimeout(this.connectTimer);
      this.onConnected();
    });
    socket.on('data', (chunk: Buffer) => {
      if (current()) this.onData(chunk);
    });
    socket.on('timeout', () => {
      // An idle keep-alive connection may stay silent for as long as it likes.
      if (current() && this.inFlight)
        this.fail(new Error(`${this.requestLine}: no answer within ${this.options.answerTimeoutMs} ms`));
    });
    socket.on('error', (error: Error) => {
      if (current()) this.socketError = error;
    });
    socket.on('close', () => {
      if (current()) this.onClose();
    });
    return socket;
  }

  private discard(): void {
    clearTimeout(this.connectTimer);
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
  }

  private fail(error: Error): void {
    this.discard();
    if (!this.inFlight) return;
    this.inFlight = false;
    this.done(error);
  }

  private finish(): void {
    this.inFlight = false;
    if (!this.keepAlive) this.discard();
    this.done(undefined);
  }

  private readonly onConnectTimeout = (): void => {
    this.fail(new ConnectTimeout(this.origin.url));
  };

  private readonly onHeaders = (info: { statusCode: number; headers: string[]; shouldKeepAlive: boolean }): void => {
    this.statusCode = info.statusCode;
    this.headerList = info.headers;
    this.keepAlive = info.shouldKeepAlive;
  };

  private readonly onBody = (chunk: Buffer, offset: number, length: number): void => {
    this.bodyBytes += length;
    if (this.statusCode === 200 || (this.statusCode !== 204 && this.chunkBytes < REFUSAL_BYTES_KEPT)) {
      this.chunks.push(chunk.subarray(offset, offset + length));
      this.chunkBytes += length;
    }
  };

  // Only marks the answer complete: the poll after it is sent once the parser has returned.
  private readonly onMessageComplete = (): void => {
    this.complete = true;
  };

  private onData(chunk: Buffer): void {
    if (!this.inFlight) {
      // Bytes nobody asked for: the connection can no longer be trusted to frame answers.
      this.discard();
      return;
    }
    this.answerBytes += chunk.length;
    const parsed = this.parser.execute(chunk);
    if (parsed instanceof Error) {
      this.fail(new Error(`${this.requestLine}: malformed HTTP answer (${parsed.message})`));
    } else if (this.complete) {
      this.finish();
    }
  }

  private onClose(): void {
    clearTimeout(this.connectTimer);
    this.socket = undefined;
    if (!this.inFlight) return;
    // An answer without a length ends with its connection.
    if (this.statusCode !== 0 && !(this.parser.finish() instanceof Error) && this.complete) {
      this.finish();
      return;
    }
    this.fail(
      this.socketError ?? new Error(`${this.requestLine}: the connection closed before the answer was complete`),
    );
  }
}
