import { performance } from 'node:perf_hooks';
import { PollingClient } from '../shared/polling-client.js';
import type { ClientOptions } from '../transport.js';

/** A timed loop of `GET /poll`: polls start every `pollIntervalMs`, whatever each one returns. */
export class ShortPollingClient extends PollingClient {
  /** When the poll after the next one is due (performance.now ms); 0 until the first answer. */
  private nextStart = 0;

  constructor(options: ClientOptions) {
    // Five minutes of silence, as undici's default headers timeout.
    super(options, 300_000, '/poll');
  }

  /** The poll about to start follows the last answer at once: it is not one of the schedule's. */
  private followUp = false;

  protected override pollStarting(): void {
    // Fixed rate: a slow answer delays this poll, not the schedule of the ones after it; a
    // follow-up moves the schedule not at all (it would fall one interval behind per follow-up).
    if (this.nextStart !== 0 && !this.followUp)
      this.nextStart = Math.max(this.nextStart + this.options.pollIntervalMs, performance.now());
    this.followUp = false;
  }

  protected nextDelay(): number {
    const now = performance.now();
    if (this.nextStart === 0) this.nextStart = now + this.options.pollIntervalMs;
    // An answer cut short of the log's end (or, in a profile's dialect, any answer with a message:
    // one message per answer) is followed at once, as a client paging through would.
    this.followUp = this.more;
    return this.more ? 0 : this.nextStart - now;
  }
}
