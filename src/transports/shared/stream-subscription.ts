import type { ClientMeter } from './client-meter.js';
import { Backoff, sleep } from './client-support.js';

/** What a streaming client (SSE, HTTP streaming) tells `keepSubscribed`. */
export interface Resubscriber {
  readonly signal: AbortSignal;
  readonly meter: ClientMeter;
  /** Opens the stream again from the client's cursor; resolves once the server accepted it. */
  connect(): Promise<{ ended: Promise<void> }>;
  /** The wait before asking again, before any backoff (the reconnect delay, or an SSE server's `retry:`). */
  delayMs(): number;
  /** A failure to subscribe that ends the client for good (a refusal that would only be refused again). */
  ends(error: unknown): boolean;
  onError(error: Error): void;
}

/**
 * Subscribes again after each end of `stream` until the client's signal aborts, counting each
 * success as a reconnect and backing off while subscribing fails. Failures are reported, never
 * thrown.
 */
export async function keepSubscribed(stream: Promise<void>, client: Resubscriber): Promise<void> {
  const { signal } = client;
  const backoff = new Backoff();
  for (;;) {
    try {
      await stream;
    } catch (error) {
      if (!signal.aborted) client.onError(error as Error);
    }
    if (signal.aborted) return;
    await sleep(backoff.delayMs(client.delayMs()), signal);
    if (signal.aborted) return;
    try {
      stream = (await client.connect()).ended;
      client.meter.reconnects++;
      backoff.succeeded();
    } catch (error) {
      if (signal.aborted) return;
      client.onError(error as Error);
      if (client.ends(error)) return;
      backoff.failed();
      stream = Promise.resolve();
    }
  }
}
