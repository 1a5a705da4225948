import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  connect as h2Connect,
  type OutgoingHttpHeaders,
} from 'node:http2';
import type { Socket } from 'node:net';
import {
  authorityOf,
  BEFORE_HANDSHAKE,
  CONNECT_TIMEOUT_MS,
  ConnectTimeout,
  connectPlain,
  type PlainOrigin,
} from './plain-connection.js';

/**
 * An HTTP/2 connection of one simulated client, or of `--h2-multiplex` clients together (as one
 * browser's tabs of one origin): each request is a stream on it. h2 over TLS (ALPN), h2c with
 * prior knowledge in cleartext. It is opened at the first request and again at the first after
 * it closed. Its bytes are those of its TCP sockets (TLS records, frames, compressed headers),
 * shared by its members: a member's share is the whole divided by how many there are.
 */
export class H2Link {
  /** Clients that joined it (ClientMeter.shareLink), and those of them not gone (`leave`). */
  members = 0;
  private present = 0;
  private session: ClientHttp2Session | undefined;
  /** Its TCP sockets still open: a session going away may finish its streams while the next one starts. */
  private readonly wires = new Set<Socket>();
  private closedBytes = 0;
  private readonly waiting = new Set<() => void>();
  private negotiated: string | undefined;
  private opened = 0;

  /** `:authority` of every request: the name a pinned address came from, as in Host (authorityOf). */
  private readonly authority: string;

  constructor(
    private readonly origin: PlainOrigin,
    private readonly localAddress: string | undefined,
  ) {
    this.authority = authorityOf(new URL(origin.url), origin.tls);
  }

  /** A stream for this request, on the open session or on a new one. */
  request(headers: OutgoingHttpHeaders): ClientHttp2Stream {
    const session =
      this.session !== undefined && !this.session.closed && !this.session.destroyed ? this.session : this.open();
    return session.request({ ':authority': this.authority, ...headers });
  }

  /** A client joins (through ClientMeter.shareLink, which counts its share of the bytes). */
  join(): void {
    this.members++;
    this.present++;
  }

  /** What the last session was speaking: `h2` over TLS (ALPN), `h2c` in cleartext; undefined before one was up. */
  get protocol(): string | undefined {
    return this.negotiated;
  }

  /** A session is open and connected (its handshake and SETTINGS done). */
  get up(): boolean {
    return this.session !== undefined && !this.session.connecting && !this.session.closed;
  }

  /** Sessions opened so far: a new one means a new connection to announce. */
  get generation(): number {
    return this.opened;
  }

  /** Calls `connected` once the current session is up: soon when it is already (each function once, however often given). */
  whenConnected(connected: () => void): void {
    if (this.up) process.nextTick(connected);
    else this.waiting.add(connected);
  }

  /** Bytes read and written on its TCP sockets so far, closed and open. */
  bytes(): number {
    let total = this.closedBytes;
    for (const wire of this.wires) total += wire.bytesRead + wire.bytesWritten;
    return total;
  }

  /** Cuts the connection, as a network failure would: every stream on it fails. */
  drop(): void {
    this.session?.destroy();
  }

  /** Ends the connection once nobody speaks on it any more (its members joined through ClientMeter.shareLink). */
  leave(): Promise<void> {
    this.present--;
    const session = this.session;
    if (this.present > 0 || session === undefined || session.destroyed) return Promise.resolve();
    const closed = new Promise<void>((resolve) => session.once('close', () => resolve()));
    session.destroy();
    return closed;
  }

  private open(): ClientHttp2Session {
    const origin = this.origin;
    const { socket, wire } = connectPlain(origin, this.localAddress, 'h2');
    this.wires.add(wire);
    wire.once('close', () => {
      this.closedBytes += wire.bytesRead + wire.bytesWritten;
      this.wires.delete(wire);
    });
    const session = h2Connect(origin.url, { createConnection: () => socket, settings: { enablePush: false } });
    this.session = session;
    this.opened++;
    // One timer per session: a session closing late must not clear the next one's.
    const connectTimer = setTimeout(() => session.destroy(new ConnectTimeout(origin.url)), CONNECT_TIMEOUT_MS);
    session.once('connect', () => {
      clearTimeout(connectTimer);
      this.negotiated = session.alpnProtocol;
      for (const connected of this.waiting) connected();
      this.waiting.clear();
    });
    // Its streams fail with the error; the session's own event has nobody else to tell.
    session.on('error', () => {});
    // A server going away takes no new stream on this session (request() would throw): the next one opens another.
    session.once('goaway', () => {
      if (this.session === session) this.session = undefined;
    });
    session.once('close', () => {
      clearTimeout(connectTimer);
      if (this.session === session) this.session = undefined;
    });
    return session;
  }
}

/**
 * The HTTP/2 connections of a pool of clients: client `index` speaks on connection
 * ⌊index / multiplex⌋ (with multiplex 1, each on its own). Clients in other processes never share one.
 */
export class H2Links {
  private readonly links = new Map<number, H2Link>();

  constructor(
    private readonly origin: PlainOrigin,
    private readonly multiplex: number,
  ) {}

  /** Which connection client `index` speaks on: what its source address is dealt out by. */
  groupOf(index: number): number {
    return Math.floor(index / this.multiplex);
  }

  linkFor(index: number, localAddress: string | undefined): H2Link {
    const group = this.groupOf(index);
    let link = this.links.get(group);
    if (link === undefined) {
      link = new H2Link(this.origin, localAddress);
      this.links.set(group, link);
    }
    return link;
  }
}

/**
 * A stream's failure as the clients count it: one that never left the client (Node holds a
 * session's first streams until it is up, and fails them with a cancel of its own when it never
 * is, refused, timed out or not trusted) is marked BEFORE_HANDSHAKE, so it is no request.
 */
export function streamFailure(stream: ClientHttp2Stream, error: Error): Error {
  if (stream.id === undefined || stream.pending)
    (error as Error & { [BEFORE_HANDSHAKE]?: true })[BEFORE_HANDSHAKE] = true;
  return error;
}
