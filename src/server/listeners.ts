import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2Server } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Certificate } from '../core/certificate.js';
import { LISTEN_BACKLOG, SHUTDOWN_GRACE_MS } from '../core/constants.js';
import { ImBenchError } from '../core/errors.js';
import { createH2cHost, createHostServer, H2Sessions, type HostServer } from './host-server.js';

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;
export type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

function formatUrl(host: string, port: number, secure: boolean): string {
  return `${secure ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * The reference server's listening sockets: its host (HTTP/1.1, or HTTP/2 beside it over TLS),
 * and with HTTP/2 in cleartext an h2c port of its own. Every request reaches one listener
 * through Node's compatibility API, whatever the protocol; upgrades come on HTTP/1.1 only.
 */
export class Listeners {
  private readonly host: HostServer;
  private readonly h2c: Http2Server | undefined;
  private readonly sessions = new H2Sessions();
  private readonly upgradedSockets = new Set<Duplex>();
  private readonly tcpSockets = new Set<Socket>();
  private closedSocketBytes = 0;
  private address: AddressInfo | undefined;
  private h2cAddress: AddressInfo | undefined;

  constructor(
    private readonly tls: Certificate | undefined,
    http2: boolean,
    onRequest: RequestListener,
    onUpgrade: UpgradeListener,
  ) {
    this.host = createHostServer(tls, http2);
    this.h2c = http2 && tls === undefined ? createH2cHost() : undefined;
    for (const server of this.h2c === undefined ? [this.host] : [this.host, this.h2c]) {
      server.on('request', onRequest as never);
      server.on('connection', (socket: Socket) => this.tally(socket));
    }
    this.host.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.upgradedSockets.add(socket);
      socket.once('close', () => this.upgradedSockets.delete(socket));
      onUpgrade(req, socket, head);
    });
    if (http2 && tls !== undefined) this.sessions.watch(this.host as never);
    if (this.h2c !== undefined) this.sessions.watch(this.h2c);
  }

  get port(): number {
    return this.address!.port;
  }

  /** The host's URL: https over TLS. */
  url(host: string): string {
    return formatUrl(host, this.port, this.tls !== undefined);
  }

  /** The h2c port's URL, when HTTP/2 goes in cleartext. */
  h2cUrl(host: string): string | undefined {
    return this.h2cAddress === undefined ? undefined : formatUrl(host, this.h2cAddress.port, false);
  }

  /**
   * Bytes read and written on every TCP socket the server accepted, closed or open: the wire
   * (TLS records, HTTP/2 frames, headers), as the clients count theirs.
   */
  wireBytes(): number {
    let total = this.closedSocketBytes;
    for (const socket of this.tcpSockets) total += socket.bytesRead + socket.bytesWritten;
    return total;
  }

  /** 'connection' gives the TCP socket before any TLS goes on it, over every protocol. */
  private tally(socket: Socket): void {
    this.tcpSockets.add(socket);
    socket.once('close', () => {
      this.tcpSockets.delete(socket);
      this.closedSocketBytes += socket.bytesRead + socket.bytesWritten;
    });
  }

  async listen(host: string, port: number, h2cPort = 0): Promise<void> {
    this.address = await listenOn(this.host, host, port);
    if (this.h2c !== undefined) this.h2cAddress = await listenOn(this.h2c, host, h2cPort);
  }

  /**
   * Stops listening; idle connections close at once, the rest once what they carry has ended
   * (the caller ends held polls and streams first). Whatever lingers is destroyed after a grace period.
   */
  async close(): Promise<void> {
    const servers = this.h2c === undefined ? [this.host] : [this.host, this.h2c];
    const closed = Promise.all(servers.map((server) => once(server, 'close')));
    for (const server of servers) server.close();
    this.sessions.close();
    const http1 = this.host as Partial<Pick<HostServer & { closeIdleConnections(): void }, 'closeIdleConnections'>> &
      Partial<{ closeAllConnections(): void }>;
    const sweep = setInterval(() => http1.closeIdleConnections?.(), 25);
    // Past the grace period every socket goes: HTTP/2's server has no closeAllConnections for the
    // HTTP/1.1 connections it took over TLS.
    const grace = setTimeout(() => {
      http1.closeAllConnections?.();
      this.sessions.destroy();
      for (const socket of this.upgradedSockets) socket.destroy();
      for (const socket of this.tcpSockets) socket.destroy();
    }, SHUTDOWN_GRACE_MS);
    await closed;
    clearInterval(sweep);
    clearTimeout(grace);
  }
}

async function listenOn(server: HostServer | Http2Server, host: string, port: number): Promise<AddressInfo> {
  server.listen({ port, host, backlog: LISTEN_BACKLOG });
  try {
    await once(server, 'listening');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new ImBenchError(
        'IMB_ERR_PORT_IN_USE',
        `port ${port} on ${host} is already in use: pick another with --port, or 0 for any free port`,
      );
    }
    throw new ImBenchError('IMB_ERR_LISTEN', `cannot listen on ${host}:${port}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return server.address() as AddressInfo;
}
