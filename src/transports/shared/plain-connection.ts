import { connect, isIP, type Socket } from 'node:net';
import { createSecureContext, type SecureContext, connect as tlsConnect, type TLSSocket } from 'node:tls';

/** As undici's default connect timeout: past it a connection attempt counts as failed. */
export const CONNECT_TIMEOUT_MS = 10_000;

/** A connection attempt that took longer than CONNECT_TIMEOUT_MS. */
export class ConnectTimeout extends Error {
  readonly code = 'IMB_ERR_CONNECT_TIMEOUT';

  constructor(url: string) {
    super(`connecting to ${url} took over ${CONNECT_TIMEOUT_MS} ms`);
  }
}

/**
 * What a client over TLS checks the server's certificate against: signed by `ca` (PEM: the run's
 * own certificate, or an https target's `--ca`), else by a CA of Node's store; and carrying
 * `servername`, the name the user gave, when the URL's host is the address that name was pinned
 * to (else the URL's host: a name, or an address checked against the certificate's IP names).
 */
export interface ClientTls {
  readonly ca?: string;
  readonly servername?: string;
}

/** Where a base URL's plain HTTP/1.1 connections (polls, streams) go, parsed once. */
export interface PlainOrigin {
  url: string;
  host: string;
  port: number;
  /**
   * What follows `METHOD PATH` in every request: the version and the header lines undici
   * writes, so that bytes on the wire stay comparable with its clients'.
   */
  requestTail: string;
  /** `https:`: over TLS, checked as `tls` says (by default against Node's CA store, for `host`). */
  secure: boolean;
  tls: ClientTls | undefined;
}

export function plainOrigin(baseUrl: string, tls?: ClientTls): PlainOrigin {
  const url = new URL(baseUrl);
  const secure = url.protocol === 'https:';
  return {
    url: baseUrl,
    host: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
    requestTail: ` HTTP/1.1\r\nhost: ${authorityOf(url, tls)}\r\nconnection: keep-alive\r\n`,
    secure,
    tls,
  };
}

/**
 * What a request names as its server (Host, HTTP/2's `:authority`): the URL's host, or, when
 * the URL's host is the address a name was pinned to (`tls.servername`), that name, as SNI
 * does: a browser sends the name it was given to the address it resolved.
 */
export function authorityOf(url: URL, tls: ClientTls | undefined): string {
  if (tls?.servername === undefined) return url.host;
  return url.port === '' ? tls.servername : `${tls.servername}:${url.port}`;
}

/** A client's connection: the socket it speaks on, and the TCP socket whose counters are its bytes on the wire. */
export interface Connection {
  socket: Socket;
  wire: Socket;
}

/**
 * A new connection to `origin`, from `localAddress` when given, Nagle off (a request is one
 * write); over TLS, a TLS socket on that TCP socket offering `alpn`, which checks the server's
 * certificate against the origin's host (an IP address against the certificate's IP names).
 */
export function connectPlain(origin: PlainOrigin, localAddress: string | undefined, alpn = 'http/1.1'): Connection {
  const wire = connect({
    host: origin.host,
    port: origin.port,
    noDelay: true,
    ...(localAddress === undefined ? {} : { localAddress }),
  });
  if (!origin.secure) return { socket: wire, wire };
  return { socket: secureOn(wire, origin.host, origin.tls, [alpn]), wire };
}

/** Set on an error a TLS socket raised before its handshake was done: no request went out on it. */
export const BEFORE_HANDSHAKE = Symbol('before the TLS handshake');

/**
 * TLS on a TCP socket to `host`, trusting exactly `tls.ca` when given, for `tls.servername` when
 * given (else `host`); `alpn` offered in the handshake. An error before the handshake is done (a certificate refused, a reset) is marked
 * BEFORE_HANDSHAKE, so that the clients count it as a connection not made, not as a request.
 */
export function secureOn(wire: Socket, host: string, tls: ClientTls | undefined, alpn: string[]): TLSSocket {
  const servername = tls?.servername ?? (isIP(host) === 0 ? host : undefined);
  const socket = tlsConnect({
    socket: wire,
    host,
    // SNI carries names only, and the certificate is checked for it; without one, `host` (an
    // address) is checked against the certificate's IP names.
    ...(servername === undefined ? {} : { servername }),
    ...(tls?.ca === undefined ? {} : { secureContext: trusting(tls.ca) }),
    ALPNProtocols: alpn,
  });
  let secured = false;
  socket.once('secureConnect', () => (secured = true));
  socket.on('error', (error: Error & { [BEFORE_HANDSHAKE]?: true }) => {
    if (!secured) error[BEFORE_HANDSHAKE] = true;
  });
  return socket;
}

const contexts = new Map<string, SecureContext>();

/** One TLS context per certificate trusted: made once, not parsed again for each of thousands of connections. */
function trusting(ca: string): SecureContext {
  let context = contexts.get(ca);
  if (context === undefined) {
    context = createSecureContext({ ca });
    contexts.set(ca, context);
  }
  return context;
}

/** Drops the context of a certificate no longer trusted (its run is over). */
export function forgetSecureContext(ca: string): void {
  contexts.delete(ca);
}
