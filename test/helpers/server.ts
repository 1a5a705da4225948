import { ReferenceServer } from '../../src/server/reference-server.js';
import { defer } from './cleanup.js';
import type { ServerOptions } from '../../src/server/server-options.js';

/** A reference server on 127.0.0.1, port 0, closed after the test. Timers are short so tests stay quick. */
export async function startServer(overrides: Partial<ServerOptions> = {}): Promise<ReferenceServer> {
  const server = await ReferenceServer.start({ reconnectDelayMs: 50, ...overrides });
  defer(() => server.close());
  return server;
}

export async function publish(baseUrl: string, data: string, extra: Record<string, unknown> = {}): Promise<number> {
  const response = await fetch(`${baseUrl}/publish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data, ...extra }),
  });
  if (response.status !== 202) throw new Error(`publish answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { seq: number }).seq;
}

/** Publishes `m<first>` … `m<last>` in order. */
export async function publishRange(baseUrl: string, first: number, last: number): Promise<void> {
  for (let i = first; i <= last; i++) await publish(baseUrl, `m${i}`);
}
