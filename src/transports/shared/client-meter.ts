import { connect as netConnect, type NetConnectOpts, type Socket } from 'node:net';
import { buildConnector } from 'undici';
import type { H2Link } from './h2-link.js';
import {
  type ClientTls,
  CONNECT_TIMEOUT_MS,
  ConnectTimeout,
  connectPlain,
  plainOrigin,
  secureOn,
} from './plain-connection.js';

/**
 * Where a client's bytes went, counted where it reads them: the inputs of the model (model.ts),
 * taken from the run itself. An exchange's head is its request line and headers as written plus
 * its status line and headers as read (with any chunk framing): its bytes without the body.
 */
export interface WireCounts {
  /**
   * Exchanges answered with envelopes (a 200), and the bytes of their heads. Over HTTP/2 an
   * exchange has no head of its own on the wire (frames, compressed headers on a shared
   * connection): its answers are not counted here, and H is not measured.
   */
  messageExchanges: number;
  messageHeadBytes: number;
  /** Exchanges answered with nothing new (a 204) whose heads were measured, and the bytes of those heads. */
  emptyExchanges: number;
  emptyHeadBytes: number;
  /** Envelopes received, and their exact bytes as they came: no separator, framing or padding around them. */
  envelopes: number;
  envelopeBytes: number;
}

export function noWireCounts(): WireCounts {
  return {
    messageExchanges: 0,
    messageHeadBytes: 0,
    emptyExchanges: 0,
    emptyHeadBytes: 0,
    envelopes: 0,
    envelopeBytes: 0,
  };
}

/**
 * What one simulated client spent: requests, empty answers, reconnects, and every byte read
 * and written on its sockets (headers, chunk and frame overhead included). Bytes come from
 * the sockets' own counters, so nothing on the per-message path has to count them; the
 * WireCounts say where they went. They are the meter's own fields, not an object of their own:
 * with 1,000 clients, one object more read at every copy cost 0.1–0.2 µs a copy (bench/README.md).
 */
export class ClientMeter implements WireCounts {
  requests = 0;
  emptyResponses = 0;
  reconnects = 0;
  messageExchanges = 0;
  messageHeadBytes = 0;
  emptyExchanges = 0;
  emptyHeadBytes = 0;
  envelopes = 0;
  envelopeBytes = 0;
  private closedSocketBytes = 0;
  /** Each socket a client reads and writes, to the TCP socket under it whose bytes count (itself, without TLS). */
  private readonly sockets = new Map<Socket, Socket>();
  /** HTTP/2 connections this client speaks on, perhaps with others (`--h2-multiplex`). */
  private readonly links: H2Link[] = [];
  private isReading = true;

  /**
   * A socket of this client. Over TLS, `wire` is the TCP socket under it: its counters hold the
   * bytes on the wire (records, handshake), where the TLS socket's hold the plaintext.
   */
  track(socket: Socket, wire: Socket = socket): void {
    this.sockets.set(socket, wire);
    if (!this.isReading) socket.pause();
    wire.once('close', () => {
      this.closedSocketBytes += wire.bytesRead + wire.bytesWritten;
      this.sockets.delete(socket);
    });
  }

  /** An HTTP/2 connection this client speaks on: its share of the bytes is the link's divided by its members. */
  shareLink(link: H2Link): void {
    link.join();
    this.links.push(link);
  }

  /** Sockets of this client not closed yet. */
  get openSockets(): number {
    return this.sockets.size;
  }

  /** The `drop` fault: destroys every open socket of this client at once, as a network failure would. */
  dropConnections(): void {
    for (const socket of this.sockets.keys()) socket.destroy();
    for (const link of this.links) link.drop();
  }

  /**
   * The `slow` fault: this client stops reading, now and on any socket it opens later. An HTTP
   * client also stops consuming its response bodies (see `reading`): undici resumes a paused
   * socket on its own, but holds it once the body it feeds is not read.
   */
  stopReading(): void {
    this.isReading = false;
    for (const socket of this.sockets.keys()) socket.pause();
  }

  get reading(): boolean {
    return this.isReading;
  }

  /** An envelope of `bytes` bytes arrived. */
  envelope(bytes: number): void {
    this.envelopes++;
    this.envelopeBytes += bytes;
  }

  /** A poll was answered with nothing new, its head `headBytes` long (undefined: not measured, over HTTP/2). */
  emptyAnswer(headBytes: number | undefined): void {
    this.emptyResponses++;
    if (headBytes === undefined) return;
    this.emptyExchanges++;
    this.emptyHeadBytes += headBytes;
  }

  /** A poll was answered with messages, its head `headBytes` long (undefined: not measured, over HTTP/2). */
  messageAnswer(headBytes: number | undefined): void {
    if (headBytes === undefined) return;
    this.messageExchanges++;
    this.messageHeadBytes += headBytes;
  }

  /** Bytes read + written so far, on closed and open sockets. */
  bytes(): number {
    let total = this.closedSocketBytes;
    for (const wire of this.sockets.values()) total += wire.bytesRead + wire.bytesWritten;
    for (const link of this.links) total += link.bytes() / link.members;
    return total;
  }
}

const undiciConnector = buildConnector({});

/**
 * An undici `connect` option that hands every socket it opens to `meter`. Over TLS it makes the
 * TCP socket itself and puts TLS on it, trusting `tls.ca` when given, so that the meter counts
 * the TCP socket's bytes (a TLS socket undici opens on its own has no TCP socket to read).
 */
export function meteredConnector(meter: ClientMeter, tls?: ClientTls): buildConnector.connector {
  return (options, callback) => {
    if (options.protocol === 'https:') {
      secureConnect(meter, options, tls, callback);
      return;
    }
    undiciConnector(options, (error, socket) => {
      // On failure undici passes the error alone: there is no socket to track.
      if (error != null) {
        callback(error, null);
        return;
      }
      meter.track(socket as Socket);
      callback(null, socket);
    });
  };
}

function secureConnect(
  meter: ClientMeter,
  options: buildConnector.Options,
  tls: ClientTls | undefined,
  callback: buildConnector.Callback,
): void {
  const origin = plainOrigin(`https://${options.host}`, tls);
  const { socket, wire } = connectPlain(origin, options.localAddress ?? undefined);
  let settled = false;
  const fail = (error: Error): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    socket.destroy();
    callback(error, null);
  };
  // As undici's own connector: a connection (here with its handshake) not made in time has failed.
  const timer = setTimeout(() => fail(new ConnectTimeout(origin.url)), CONNECT_TIMEOUT_MS);
  socket.once('secureConnect', () => {
    settled = true;
    clearTimeout(timer);
    meter.track(socket, wire);
    callback(null, socket);
  });
  socket.once('error', fail);
}

/**
 * A `ws` `createConnection` option that hands every socket it opens to `meter`. Each socket
 * carries exactly one upgrade request, written once it connects: that is when it counts. For a
 * `wss:` URL (`secure`), TLS goes on the TCP socket here, trusting `tls.ca` when given, so that
 * the meter counts the TCP socket's bytes.
 */
export function meteredNetConnect(meter: ClientMeter, secure = false, tls?: ClientTls): typeof netConnect {
  const connect = (options: NetConnectOpts & { host?: string }): Socket => {
    const wire = netConnect(options);
    const socket = secure ? secureOn(wire, options.host ?? 'localhost', tls, ['http/1.1']) : wire;
    meter.track(socket, wire);
    // The upgrade is written once the connection is up: over TLS, once its handshake is done.
    socket.once(secure ? 'secureConnect' : 'connect', () => meter.requests++);
    return socket;
  };
  // ws only ever calls it with one options object; the overloads of net.connect are not needed.
  return connect as typeof netConnect;
}
