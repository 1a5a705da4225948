import { io, type Socket } from 'socket.io-client';
import { channelPath } from '../dialect.js';
import type { ClientOptions, TransportClient } from '../transport.js';
import { ClientMeter } from './client-meter.js';
import { sleep } from './client-support.js';
import { CursorTracker } from './cursor-tracker.js';
import { EXCHANGE_OPTION, ExchangePolling } from './engine-io-polling.js';
import { MeteredAgent } from './metered-agent.js';
import { authorityOf, CONNECT_TIMEOUT_MS } from './plain-connection.js';
/** socket.io-client's own ceiling on its reconnection backoff. */
const RECONNECT_DELAY_MAX_MS = 5_000;
/** As the WebSocket client: a socket whose close handshake takes longer is cut. */
const CLOSE_TIMEOUT_MS = 1_000;
/** An event packet `message` in the main namespace, as the relay emits each published message. */
const MESSAGE_PACKET = '2["message",';

/**
 * A subscriber of a Socket.IO server: socket.io-client on one transport, never upgrading
 * (Engine.IO's polling transport for long polling, on im-bench's own HTTP exchanges, and its
 * websocket transport for WebSocket). It reconnects with socket.io-client's own backoff (its
 * jitter included), starting at the scenario's reconnect delay; what it hears again after a
 * reconnect is up to the server (connection state recovery).
 */
export class SocketIoClient implements TransportClient {
  readonly meter = new ClientMeter();
  private readonly tracker: CursorTracker;
  private readonly socket: Socket;
  /**
   * The envelopes' sizes in `message` packets read but not emitted yet: socket.io-client emits
   * an event on the next tick, or holds it until the socket is connected (recovered events come
   * before the connect packet). It keeps what it holds across reconnects, and so does this.
   */
  private readonly pendingBytes: number[] = [];
  private heardInPoll = false;
  private opened = false;
  private abandonOpen: ((error: Error) => void) | undefined;

  constructor(technique: 'long-polling' | 'websocket', options: ClientOptions) {
    this.tracker = new CursorTracker(options.since, options.handlers, this.meter);
    const url = new URL(channelPath(options.dialect!, options.channel), options.baseUrl);
    this.socket = io(url.origin, {
      path: url.pathname,
      // The name a pinned address came from goes in Host, as in SNI (authorityOf); the polls' own exchanges write it.
      ...(options.tls?.servername === undefined ? {} : { extraHeaders: { host: authorityOf(url, options.tls) } }),
      query: Object.fromEntries(url.searchParams),
      // Polls go through ExchangePolling's own connections; the agent carries the WebSocket upgrade alone.
      ...(technique === 'websocket'
        ? {
            transports: ['websocket'],
            agent: new MeteredAgent(
              this.meter,
              options.localAddress,
              url.protocol === 'https:',
              options.tls,
            ) as unknown as string,
          }
        : {
            transports: [ExchangePolling],
            transportOptions: {
              polling: {
                [EXCHANGE_OPTION]: { meter: this.meter, localAddress: options.localAddress, tls: options.tls },
              },
            },
          }),
      upgrade: false,
      forceNew: true,
      autoConnect: false,
      timeout: CONNECT_TIMEOUT_MS,
      // socket.io-client takes 0 for "unset" (1 s).
      reconnectionDelay: Math.max(1, options.reconnectDelayMs),
      reconnectionDelayMax: Math.max(options.reconnectDelayMs, RECONNECT_DELAY_MAX_MS),
    });
    this.socket.on('message', (message: unknown) => this.tracker.envelope(message, this.pendingBytes.shift() ?? 0));
    // A failed reconnect; a failed first connect is open()'s to report.
    this.socket.on('connect_error', (error) => {
      if (this.opened) options.handlers.onError(error);
    });
    const manager = this.socket.io;
    manager.on('open', () => this.watchEngine());
    manager.on('reconnect', () => this.meter.reconnects++);
  }

  get cursor(): number {
    return this.tracker.cursor;
  }

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const settle = (error: Error | undefined): void => {
        clearTimeout(timer);
        this.abandonOpen = undefined;
        this.socket.off('connect', opened);
        this.socket.off('connect_error', settle);
        if (error === undefined) {
          this.opened = true;
          resolve();
          return;
        }
        // The first attempt decides; socket.io-client would otherwise keep trying in the background.
        this.socket.disconnect();
        reject(error);
      };
      const opened = (): void => settle(undefined);
      // The handshake has its own timeout; this one also covers a connection lost before Socket.IO's connect.
      const timer = setTimeout(
        () => settle(new Error(`no Socket.IO connect within ${CONNECT_TIMEOUT_MS} ms`)),
        CONNECT_TIMEOUT_MS,
      );
      this.abandonOpen = settle;
      this.socket.once('connect', opened);
      this.socket.once('connect_error', settle);
      this.socket.connect();
    });
  }

  async close(): Promise<void> {
    this.abandonOpen?.(new Error('closed before Socket.IO connected'));
    this.socket.disconnect();
    // Let the last exchanges end (the POST of a poll's close packet, whose connection then closes;
    // a WebSocket's close handshake) for a moment, then cut whatever is still open: the meter
    // holds every socket, the agent's and the exchanges' alike.
    const deadline = performance.now() + CLOSE_TIMEOUT_MS;
    while (this.meter.openSockets > 0 && performance.now() < deadline) await sleep(20);
    this.meter.dropConnections();
  }

  /** Each new Engine.IO connection: the sizes of the envelopes it reads, and which polls came back empty. */
  private watchEngine(): void {
    const engine = this.socket.io.engine;
    engine.on('data', (data: unknown) => {
      if (typeof data === 'string' && data.startsWith(MESSAGE_PACKET)) this.pendingBytes.push(envelopeBytes(data));
    });
    // A poll answered with nothing but a ping (or a noop) is Engine.IO's "nothing new". The
    // handshake's poll is not: it is under way when this runs, its open packet already read.
    this.heardInPoll = true;
    engine.on('packet', ({ type }) => {
      if (type !== 'ping' && type !== 'noop') this.heardInPoll = true;
    });
    engine.transport.on('pollComplete', () => {
      if (!this.heardInPoll) this.meter.emptyResponses++;
      this.heardInPoll = false;
    });
  }
}

/** The envelope's bytes in a packet `2["message",{…}]` (or `…,{…},"offset"]` with recovery). */
function envelopeBytes(packet: string): number {
  const start = packet.indexOf('{');
  const end = packet.lastIndexOf('}') + 1;
  if (start < 0 || end <= start) return 0;
  // The framing around it is ASCII: what the packet has beyond its characters is the envelope's.
  return Buffer.byteLength(packet) - (packet.length - (end - start));
}
