import { connect, type Socket } from 'node:net';

/** As undici's default connect timeout: past it a connection attempt counts as failed. */
export const CONNECT_TIMEOUT_MS = 10_000;

/** A connection attempt that took longer than CONNECT_TIMEOUT_MS. */
export class ConnectTimeout extends Error {
  readonly code = 'IMB_ERR_CONNECT_TIMEOUT';

  constructor(url: string) {
    super(`connecting to ${url} took over ${CONNECT_TIMEOUT_MS} ms`);
  }
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
}

export function plainOrigin(baseUrl: string): PlainOrigin {
  const url = new URL(baseUrl);
  return {
    url: baseUrl,
    host: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port === '' ? 80 : Number(url.port),
    requestTail: ` HTTP/1.1\r\nhost: ${url.host}\r\nconnection: keep-alive\r\n`,
  };
}

/** A new connection to `origin`, from `localAddress` when given, Nagle off (a request is one write). */
export function connectPlain(origin: PlainOrigin, localAddress: string | undefined): Socket {
  return connect({
    host: origin.host,
    port: origin.port,
    noDelay: true,
    ...(localAddress === undefined ? {} : { localAddress }),
  });
}
