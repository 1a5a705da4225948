import { PollingClient } from '../shared/polling-client.js';
import type { ClientOptions } from '../transport.js';

/** A `GET /long-poll` the server holds; re-issued as soon as it is answered. */
export class LongPollingClient extends PollingClient {
  constructor(options: ClientOptions) {
    // The answer may legitimately take the whole poll timeout to start.
    super(options, options.longPollTimeoutMs + 10_000, '/long-poll', `&timeout=${options.longPollTimeoutMs}`);
  }

  // The server may hold the first poll for its whole timeout, so the client counts as
  // subscribed once its connection is up. Nothing published meanwhile is missed: the held
  // poll asks for everything after its cursor.
  protected override connected(): void {
    this.subscribed();
  }

  protected nextDelay(answered: boolean): number {
    return answered ? 0 : this.backoff.delayMs(this.options.reconnectDelayMs);
  }
}
