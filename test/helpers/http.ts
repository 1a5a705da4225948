import WebSocket from 'ws';
import { request } from 'undici';
import type { Transport } from '../../src/transports/transport.js';
import { defer } from './cleanup.js';

export interface SimpleResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export async function httpRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<SimpleResponse> {
  const response = await request(url, {
    method: (init.method ?? 'GET') as 'GET',
    headers: init.headers,
    body: init.body,
  });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

/** The WebSocket URL of `path` on the server at `httpUrl`. */
export function wsUrl(httpUrl: string, path = '/ws'): string {
  return `${httpUrl.replace(/^http/, 'ws')}${path}`;
}

/** Status of a WebSocket handshake: 101 when it opened, else the HTTP status the server refused it with. */
export function upgradeStatus(
  url: string,
  options: WebSocket.ClientOptions = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    socket.on('open', () => {
      socket.terminate();
      resolve({ status: 101, body: '' });
    });
    socket.on('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    socket.on('error', (error) => {
      if (!error.message.startsWith('Unexpected server response')) reject(error);
    });
  });
}

/** Subscribes the way `transport` does, with a raw query, and returns the answer's status and body. */
export async function subscribeStatus(
  transport: Transport,
  baseUrl: string,
  query: string,
): Promise<{ status: number; body: string }> {
  const url = `${baseUrl}${transport.path}?${query}`;
  if (transport.upgrade) return upgradeStatus(url.replace(/^http/, 'ws'));
  const response = await httpRequest(url);
  return { status: response.status, body: response.text };
}

export interface OpenStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Everything received so far. */
  text(): string;
  /** Settles when the server ends the response or the connection goes. */
  ended: Promise<void>;
  close(): void;
}

/** A raw streaming GET (an SSE response read as bytes, no parser); destroyed after the test. */
export async function openStream(url: string, headers: Record<string, string> = {}): Promise<OpenStream> {
  const controller = new AbortController();
  defer(() => controller.abort());
  const response = await request(url, { headers, signal: controller.signal });
  let received = '';
  response.body.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
  const ended = new Promise<void>((resolve) => {
    response.body.on('end', resolve);
    response.body.on('close', resolve);
    response.body.on('error', () => resolve());
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    text: () => received,
    ended,
    close: () => controller.abort(),
  };
}
