import { performance } from 'node:perf_hooks';
import { subscribePath } from '../client-support.js';
import { PollingClient } from '../polling-client.js';
import type { ClientOptions } from '../transport.js';

/** A timed loop of `GET /poll`: polls start every `pollIntervalMs`, whatever each one returns. */
export class ShortPollingClient extends PollingClient {
  constructor(options: ClientOptions) {
    super(options, {});
  }

  protected pollPath(): string {
    return subscribePath('/poll', { ch: this.options.channel, ...this.tracker.resumeParams() });
  }

  protected async run(first: Promise<void>): Promise<void> {
    await this.pollReportingErrors(first);
    const interval = this.options.pollIntervalMs;
    let nextStart = performance.now() + interval;
    while (!this.closed) {
      // An answer cut short of the log's end is followed at once, as a client paging through would.
      if (!this.more) await this.pause(nextStart - performance.now());
      if (this.closed) return;
      // Fixed rate: a slow answer delays this poll, not the schedule of the ones after it.
      nextStart = Math.max(nextStart + interval, performance.now());
      await this.pollReportingErrors();
    }
  }
}
