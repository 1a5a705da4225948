import { expect } from 'vitest';
import type { ReferenceServer } from '../../src/server/reference-server.js';
import { exchange, jsonError, type RawResponse } from './raw-connection.js';
import { handshakeRequest } from './ws-frames.js';

// Requests with a Host header of the test's choosing, over HTTP and as WebSocket handshakes.

export interface HostRequest {
  method?: string;
  target?: string;
  httpVersion?: string;
  /** Further header lines, each ending in CRLF. */
  headers?: string;
  body?: string;
}

/** `PORT` in a Host value stands for the server's port. */
export function withPort(host: string, port: number): string {
  return host.replaceAll('PORT', String(port));
}

/** One HTTP request whose Host is `host` (none when null), on a connection of its own. */
export function hostRequest(
  server: ReferenceServer,
  host: string | null,
  { method = 'GET', target = '/health', httpVersion = 'HTTP/1.1', headers = '', body = '' }: HostRequest = {},
): Promise<RawResponse & { closed: boolean }> {
  const hostLine = host === null ? '' : `Host: ${withPort(host, server.port)}\r\n`;
  const length = body === '' ? '' : `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`;
  return exchange(
    server.port,
    `${method} ${target} ${httpVersion}\r\n${hostLine}${length}${headers}Connection: close\r\n\r\n${body}`,
  );
}

/**
 * A WebSocket handshake whose Host is `host` (none when null); the other headers are valid.
 * `closeWithinMs`: how long to wait for the server to close (a refusal does; an open socket does not).
 */
export function hostHandshake(
  server: ReferenceServer,
  host: string | null,
  headers: Record<string, string> = {},
  closeWithinMs = 2_000,
): Promise<RawResponse & { closed: boolean }> {
  const hostHeader = host === null ? null : withPort(host, server.port);
  return exchange(server.port, handshakeRequest({ headers: { Host: hostHeader, ...headers } }), { closeWithinMs });
}

/** The answer is the documented refusal of a host: 403 `forbidden_host`, naming the host and `--allow-host`. */
export function expectForbiddenHost(answer: RawResponse, host: string, what: string): void {
  expect(answer.status, `${what}: ${answer.statusLine}`).toBe(403);
  const error = jsonError(answer.body);
  expect(error?.code, what).toBe('forbidden_host');
  if (host !== '') expect(error!.message, what).toContain(JSON.stringify(host).slice(1, -1));
  expect(error!.message, what).toContain('--allow-host');
}
