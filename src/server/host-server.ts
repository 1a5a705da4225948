import { createServer, type Server } from 'node:http';
import {
  createServer as createH2cServer,
  createSecureServer as createH2Server,
  type Http2SecureServer,
  type Http2Server,
  type Http2Session,
} from 'node:http2';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Certificate } from '../core/certificate.js';
import { HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from '../core/constants.js';

/**
 * The reference server's listening socket: HTTP/1.1 in cleartext or over TLS, or, over TLS with
 * HTTP/2, both on one port (ALPN picks; the WebSocket upgrade is HTTP/1.1).
 */
export type HostServer = Server | HttpsServer | Http2SecureServer;

/**
 * How many streams an HTTP/2 client may have open at once on a connection: above the 100 clients
 * `--h2-multiplex` may put on one, at nginx's default (`http2_max_concurrent_streams 128`).
 */
export const H2_MAX_STREAMS = 128;

const HTTP1_TIMEOUTS = {
  headersTimeout: HEADERS_TIMEOUT_MS,
  requestTimeout: REQUEST_TIMEOUT_MS,
  keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
};

/** Over TLS (https, wss) every technique is the same code: only the server that listens differs. */
export function createHostServer(tls: Certificate | undefined, http2 = false): HostServer {
  const options = {
    ...HTTP1_TIMEOUTS,
    // Node checks the two timeouts above only this often (30 s by default): a slow sender
    // would otherwise hold its socket for up to headersTimeout + 30 s.
    connectionsCheckingInterval: Math.min(1_000, HEADERS_TIMEOUT_MS),
    noDelay: true,
  };
  if (tls === undefined) return createServer(options);
  // A handshake never finished holds its socket no longer than a request head never finished.
  const secure = { cert: tls.cert, key: tls.key, handshakeTimeout: HEADERS_TIMEOUT_MS };
  if (!http2) return createHttpsServer({ ...options, ...secure, ALPNProtocols: ['http/1.1'] });
  const server = createH2Server({
    ...secure,
    allowHTTP1: true,
    settings: { maxConcurrentStreams: H2_MAX_STREAMS },
  });
  // The HTTP/1.1 connections it falls back to (the WebSocket upgrade) keep HTTP/1.1's timeouts.
  Object.assign(server, HTTP1_TIMEOUTS, { connectionsCheckingInterval: options.connectionsCheckingInterval });
  return server;
}

/**
 * HTTP/2 in cleartext with prior knowledge (h2c) on a port of its own: Node's http2 server cannot
 * also speak HTTP/1.1 on one, so the HTTP/1.1 port keeps the WebSocket upgrade and the publisher.
 */
export function createH2cHost(): Http2Server {
  return createH2cServer({ settings: { maxConcurrentStreams: H2_MAX_STREAMS } });
}

/**
 * The HTTP/2 sessions a server has open, so that a shutdown can end them: HTTP/2 servers have no
 * closeIdleConnections. `close()` sends each a GOAWAY (streams in progress finish), `destroy()` cuts them.
 */
export class H2Sessions {
  private readonly open = new Set<Http2Session>();

  watch(server: Http2Server | Http2SecureServer): void {
    server.on('session', (session: Http2Session) => {
      this.open.add(session);
      session.once('close', () => this.open.delete(session));
      // A peer that resets its connection is no failure of the server.
      session.on('error', () => {});
    });
  }

  close(): void {
    for (const session of this.open) if (!session.closed) session.close();
  }

  destroy(): void {
    for (const session of this.open) session.destroy();
  }
}
