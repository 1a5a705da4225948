import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { ClientMeter, meteredNetConnect } from '../shared/client-meter.js';
import { authorityOf } from '../shared/plain-connection.js';
import { CursorTracker } from '../shared/cursor-tracker.js';
import {
  Backoff,
  epochOf,
  isPermanentRefusal,
  sleep,
  SubscribeRefused,
  subscribePath,
} from '../shared/client-support.js';
import type { ClientOptions, PublishMessage, TransportClient } from '../transport.js';
import { DialectCursor } from '../shared/dialect-cursor.js';
import { NchanFrameReader } from '../shared/nchan-frame.js';
import { takeEnvelope } from '../shared/dialect-answer.js';
import { ProtocolError } from '../../core/envelope.js';

const CLOSE_NORMAL = 1000;
const CLOSE_TIMEOUT_MS = 1_000;
const HANDSHAKE_TIMEOUT_MS = 10_000;

/** `GET /ws?since=N` with the `ws` library; on a lost socket, reconnects with its cursor. */
export class WebSocketClient implements TransportClient {
  readonly meter = new ClientMeter();
  private readonly tracker: CursorTracker;
  private readonly stop = new AbortController();
  private readonly backoff = new Backoff();
  private socket: WebSocket | undefined;
  /** A profile's dialect, when the server is not the reference server. */
  private readonly dialect: DialectCursor | undefined;
  /** The last ws+meta.nchan frame's id, handed to the dialect's cursor when the client subscribes again. */
  private readonly nchanFrames = new NchanFrameReader();

  constructor(private readonly options: ClientOptions) {
    this.tracker = new CursorTracker(options.since, options.handlers, this.meter);
    this.dialect =
      options.dialect === undefined
        ? undefined
        : new DialectCursor(options.dialect, options.channel, () => this.tracker.cursor);
  }

  get cursor(): number {
    return this.tracker.cursor;
  }

  async open(): Promise<void> {
    await this.connect();
  }

  async close(): Promise<void> {
    this.stop.abort();
    const socket = this.socket;
    if (socket === undefined || socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    if (socket.readyState === WebSocket.OPEN) {
      const timer = setTimeout(() => socket.terminate(), CLOSE_TIMEOUT_MS);
      socket.close(CLOSE_NORMAL);
      await closed;
      clearTimeout(timer);
    } else {
      socket.terminate();
      await closed;
    }
  }

  /** Publishes on the client's own socket; false (and reported) while the socket is not open. */
  publish(message: PublishMessage): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) {
      this.options.handlers.onError(new Error('publish while the WebSocket is not open'));
      return false;
    }
    this.socket.send(JSON.stringify({ type: 'publish', ...message }));
    return true;
  }

  private connect(): Promise<void> {
    const dialect = this.dialect;
    if (dialect !== undefined && this.nchanFrames.id !== '') dialect.lastId = this.nchanFrames.id;
    const path =
      dialect === undefined
        ? subscribePath('/ws', { ch: this.options.channel, ...this.tracker.resumeParams() })
        : dialect.path();
    const socket = this.openSocket(path);
    this.socket = socket;
    socket.once('upgrade', (response: IncomingMessage) => this.tracker.noteEpoch(epochOf(response.headers)));
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        this.options.handlers.onError(new ProtocolError('a binary frame', 'binary data'));
        return;
      }
      // binaryType is ws's default, nodebuffer: a text frame, even a fragmented one, comes as one Buffer.
      const frame = data as Buffer;
      if (dialect !== undefined) {
        this.dialectFrame(dialect, frame);
        return;
      }
      const text = frame.toString();
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch {
        this.options.handlers.onError(new ProtocolError('a frame is not JSON', text));
        return;
      }
      const refusal = publishRefusal(message);
      if (refusal !== undefined) {
        this.options.handlers.onError(refusal);
        return;
      }
      this.tracker.message(message, frame.length);
    });
    return new Promise((resolve, reject) => {
      let opened = false;
      const handshake = setTimeout(() => {
        reject(new Error(`${path}: no WebSocket handshake within ${HANDSHAKE_TIMEOUT_MS} ms`));
        socket.terminate();
      }, HANDSHAKE_TIMEOUT_MS);
      socket.once('open', () => {
        opened = true;
        clearTimeout(handshake);
        resolve();
      });
      // Listening here means ws leaves the refused request to us: read why, then drop it.
      socket.once('unexpected-response', (request, response: IncomingMessage) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          request.destroy();
          reject(new SubscribeRefused(path, response.statusCode ?? 0, body.slice(0, 300)));
        });
      });
      socket.on('error', (error) => {
        if (opened) this.options.handlers.onError(error);
        else reject(error);
      });
      socket.once('close', () => {
        clearTimeout(handshake);
        if (opened && !this.stop.signal.aborted) void this.reconnect();
      });
    });
  }

  /** The socket for `path`: the wire contract's, or a profile dialect's (its subprotocol and headers). */
  private openSocket(path: string): WebSocket {
    // No `handshakeTimeout`: connect() times the handshake itself. ws's (a timeout on its
    // http.request), with this createConnection, left a timer per socket alive after the
    // handshake, and 1,000 clients taking 65,000 frames a second from nchan promoted about
    // 1.7 MB to the old generation at every scavenge: p99 140–200 ms against 18–21 ms without.
    const url = new URL(path, this.options.baseUrl);
    const { tls } = this.options;
    // The name a pinned address came from goes in Host, as in SNI (authorityOf).
    const host: Record<string, string> = tls?.servername === undefined ? {} : { host: authorityOf(url, tls) };
    const options: WebSocket.ClientOptions = {
      perMessageDeflate: false,
      createConnection: meteredNetConnect(this.meter, url.protocol === 'https:', tls),
      ...(this.options.localAddress === undefined ? {} : { localAddress: this.options.localAddress }),
      headers: host,
    };
    if (this.dialect === undefined) return new WebSocket(url, options);
    const { subprotocol } = this.dialect.dialect;
    return new WebSocket(url, subprotocol === undefined ? [] : [subprotocol], {
      ...options,
      headers: { ...this.dialect.headers(), ...host },
    });
  }

  /**
   * A frame of a profile's dialect: the message body the publisher sent, after nchan's meta lines
   * if any. Only the body is decoded, and measured on the frame's bytes.
   */
  private dialectFrame(dialect: DialectCursor, frame: Buffer): void {
    if (dialect.dialect.frameMeta !== 'nchan') {
      takeEnvelope(frame.toString(), frame.length, this.tracker, this.reportError);
      return;
    }
    if (!this.nchanFrames.read(frame)) {
      this.options.handlers.onError(new ProtocolError('a frame without its ws+meta.nchan id', frame.toString()));
      return;
    }
    const start = this.nchanFrames.bodyStart;
    takeEnvelope(frame.toString('utf8', start), frame.length - start, this.tracker, this.reportError);
  }

  private readonly reportError = (error: Error): void => this.options.handlers.onError(error);

  private async reconnect(): Promise<void> {
    while (!this.stop.signal.aborted) {
      await sleep(this.backoff.delayMs(this.options.reconnectDelayMs), this.stop.signal);
      if (this.stop.signal.aborted) return;
      try {
        await this.connect();
        this.meter.reconnects++;
        this.backoff.succeeded();
        return;
      } catch (error) {
        if (this.stop.signal.aborted) return;
        this.options.handlers.onError(error as Error);
        if (isPermanentRefusal(error)) return;
        this.backoff.failed();
      }
    }
  }
}

/**
 * The contract's answer to a publish frame the server refused (`{"type":"error","error":{code,
 * message}}`): a failed publish, counted as an error, not a message that broke the contract.
 */
function publishRefusal(message: unknown): Error | undefined {
  if (typeof message !== 'object' || message === null || (message as { type?: unknown }).type !== 'error')
    return undefined;
  const { code, message: text } = ((message as { error?: unknown }).error ?? {}) as {
    code?: unknown;
    message?: unknown;
  };
  return new Error(`publish refused over WebSocket: ${String(code)}: ${String(text).slice(0, 200)}`);
}
