import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Certificate } from '../core/certificate.js';
import { HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from '../core/constants.js';

/** The reference server's listening socket: HTTP/1.1, in cleartext or over TLS. */
export type HostServer = Server | HttpsServer;

/** Over TLS (https, wss) every technique is the same code: only the server that listens differs. */
export function createHostServer(tls: Certificate | undefined): HostServer {
  const options = {
    headersTimeout: HEADERS_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    // Node checks the two timeouts above only this often (30 s by default): a slow sender
    // would otherwise hold its socket for up to headersTimeout + 30 s.
    connectionsCheckingInterval: Math.min(1_000, HEADERS_TIMEOUT_MS),
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    noDelay: true,
  };
  if (tls === undefined) return createServer(options);
  // A handshake never finished holds its socket no longer than a request head never finished.
  return createHttpsServer({
    ...options,
    cert: tls.cert,
    key: tls.key,
    ALPNProtocols: ['http/1.1'],
    handshakeTimeout: HEADERS_TIMEOUT_MS,
  });
}
