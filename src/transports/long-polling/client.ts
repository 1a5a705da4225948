import { once } from 'node:events';
import { subscribePath } from '../client-support.js';
import { PollingClient } from '../polling-client.js';
import type { ClientOptions } from '../transport.js';

/** A `GET /long-poll` the server holds; re-issued as soon as it is answered. */
export class LongPollingClient extends PollingClient {
  constructor(options: ClientOptions) {
    // The answer may legitimately take the whole poll timeout to start.
    super(options, { headersTimeout: options.longPollTimeoutMs + 10_000 });
  }

  protected pollPath(): string {
    return subscribePath('/long-poll', {
      ch: this.options.channel,
      ...this.tracker.resumeParams(),
      timeout: this.options.longPollTimeoutMs,
    });
  }

  /**
   * The server may hold the first poll for its whole timeout, so the client counts as
   * subscribed once its connection is up. Nothing published meanwhile is missed: the held
   * poll asks for everything after its cursor.
   */
  protected override async subscribed(first: Promise<void>): Promise<void> {
    await Promise.race([first, once(this.http, 'connect')]);
  }

  protected async run(first: Promise<void>): Promise<void> {
    let answered = await this.pollReportingErrors(first);
    while (!this.closed) {
      if (!answered) await this.pause(this.backoff.delayMs(this.options.reconnectDelayMs));
      if (this.closed) return;
      answered = await this.pollReportingErrors();
    }
  }
}
