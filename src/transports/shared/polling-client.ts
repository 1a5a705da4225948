import { performance } from 'node:perf_hooks';
import { ClientMeter } from './client-meter.js';
import { CursorTracker } from './cursor-tracker.js';
import {
  Backoff,
  isConnectFailure,
  isPermanentRefusal,
  parseJsonBody,
  refusalText,
  sleep,
  SubscribeRefused,
} from './client-support.js';
import { DialectCursor } from './dialect-cursor.js';
import { takePollAnswer } from './dialect-answer.js';
import { PollExchange } from './poll-exchange.js';
import { H2PollExchange } from './h2-poll-exchange.js';
import type { PollExchanger } from './poll-exchanger.js';
import { PollTarget } from './poll-target.js';
import type { ClientOptions, TransportClient } from '../transport.js';
import { EPOCH_HEADER, MORE_HEADER } from '../../core/wire.js';

/**
 * A request written this recently may not have reached the server yet; close() waits this
 * long after the last one so that clients and the server's /stats count the same requests.
 */
const IN_FLIGHT_SETTLE_MS = 20;

/**
 * What short and long polling share: one keep-alive connection per simulated client (see
 * PollExchange), a request that answers 200 with a JSON batch or 204, re-issued after each
 * answer.
 *
 * The loop is driven by callbacks rather than awaits: an answer is handled in the socket's own
 * data callback and the next poll written from there (or from one timer), so a poll costs no
 * promise, closure or stream of its own.
 */
export abstract class PollingClient implements TransportClient {
  readonly meter = new ClientMeter();
  protected readonly tracker: CursorTracker;
  /** The last answer was cut short of the log's end (MORE_HEADER): ask again at once. */
  protected more = false;
  protected readonly backoff = new Backoff();
  private readonly exchange: PollExchanger;
  /** The wire contract's request target; undefined when a profile's dialect speaks instead. */
  private readonly target: PollTarget | undefined;
  private readonly dialect: DialectCursor | undefined;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private lastRequestAt = 0;
  /** Settles open(): the first answer decides, unless `subscribed()` came first. */
  private opening: { resolve: () => void; reject: (error: Error) => void } | undefined;
  private readonly pollNow = (): void => this.poll();

  constructor(
    protected readonly options: ClientOptions,
    /** Longest silence while a poll is out, ms. */
    answerTimeoutMs: number,
    path: string,
    extraQuery = '',
  ) {
    this.tracker = new CursorTracker(options.since, options.handlers, this.meter);
    const answered = (error: Error | undefined): void => this.answered(error);
    this.exchange =
      options.h2 === undefined
        ? new PollExchange(
            {
              baseUrl: options.baseUrl,
              ...(options.tls === undefined ? {} : { tls: options.tls }),
              answerTimeoutMs,
              meter: this.meter,
              ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
            },
            answered,
          )
        : new H2PollExchange({ link: options.h2, answerTimeoutMs, meter: this.meter }, answered);
    if (options.h2 !== undefined) this.meter.shareLink(options.h2);
    this.exchange.onConnected = () => this.connected();
    if (options.dialect === undefined) {
      this.target = new PollTarget(path, options.channel, extraQuery);
    } else {
      this.dialect = new DialectCursor(options.dialect, options.channel, () => this.tracker.cursor);
    }
  }

  get cursor(): number {
    return this.tracker.cursor;
  }

  /** Resolves once the first poll is answered (or `subscribed()` is called); rejects, and stops, if it fails. */
  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.opening = { resolve, reject };
      this.poll();
    });
  }

  async close(): Promise<void> {
    this.stop();
    await sleep(this.lastRequestAt + IN_FLIGHT_SETTLE_MS - performance.now());
    await this.exchange.destroy();
  }

  /** Delay before the next poll, ms, once one was answered (`answered`) or failed. */
  protected abstract nextDelay(answered: boolean): number;

  /** Called as each poll is sent. */
  protected pollStarting(): void {}

  /** Called each time a connection is up. */
  protected connected(): void {}

  /** The client counts as subscribed before its first answer (long polling: once connected). */
  protected subscribed(): void {
    const opening = this.opening;
    this.opening = undefined;
    opening?.resolve();
  }

  private stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private poll(): void {
    this.timer = undefined;
    if (this.stopped) return;
    this.pollStarting();
    this.meter.requests++;
    this.lastRequestAt = performance.now();
    this.more = false;
    if (this.target !== undefined) this.exchange.send(this.target.of(this.tracker));
    else this.exchange.send(this.dialect!.path(), this.dialect!.headerLines());
  }

  /**
   * One poll ended. Its messages are handed over; a failure is reported, and the first success
   * after failures counts as a reconnect. A permanent refusal (a 4xx such as a bad cursor)
   * stops the client for good. The first poll's failure is open()'s instead.
   */
  private answered(failure: Error | undefined): void {
    let error = failure;
    if (error === undefined) {
      error = this.takeAnswer();
    } else if (isConnectFailure(error)) {
      this.meter.requests--;
    }
    const opening = this.opening;
    if (opening !== undefined) {
      this.opening = undefined;
      if (error !== undefined) {
        this.stop();
        opening.reject(error);
        return;
      }
      opening.resolve();
    }
    if (this.stopped) return;
    if (error === undefined) {
      if (this.backoff.failing) this.meter.reconnects++;
      this.backoff.succeeded();
    } else {
      this.backoff.failed();
      this.options.handlers.onError(error);
      if (isPermanentRefusal(error)) {
        this.stop();
        return;
      }
    }
    const delay = this.nextDelay(error === undefined);
    // After a failure the next poll waits for a timer even at no delay: a failure reported
    // from within dispatch itself must not turn into recursion.
    if (delay > 0 || error !== undefined) this.timer = setTimeout(this.pollNow, Math.max(delay, 0));
    else this.poll();
  }

  /** Hands the answer's messages over; returns what went wrong with it, if anything. */
  private takeAnswer(): Error | undefined {
    const exchange = this.exchange;
    if (this.dialect !== undefined) return this.takeDialectAnswer(this.dialect);
    try {
      this.tracker.noteEpoch(exchange.header(EPOCH_HEADER));
      this.more = exchange.header(MORE_HEADER) === '1';
      if (exchange.statusCode === 204) {
        this.meter.emptyAnswer(exchange.headBytes);
      } else if (exchange.statusCode === 200) {
        this.meter.messageAnswer(exchange.headBytes);
        const body = exchange.body();
        this.tracker.batch(parseJsonBody(body), body);
      } else {
        return new SubscribeRefused(exchange.path, exchange.statusCode, refusalText(exchange.body()));
      }
      return undefined;
    } catch (error) {
      return error as Error;
    }
  }

  /** takeAnswer for a profile's dialect: its "nothing new" statuses, its decoding, its cursor. */
  private takeDialectAnswer(cursor: DialectCursor): Error | undefined {
    const exchange = this.exchange;
    const { dialect } = cursor;
    try {
      const status = exchange.statusCode;
      if (status === 200 || dialect.nothingNew.includes(status))
        cursor.noteValidators(exchange.header('last-modified'), exchange.header('etag'));
      if (dialect.nothingNew.includes(status)) {
        this.meter.emptyAnswer(exchange.headBytes);
      } else if (status === 200) {
        this.meter.messageAnswer(exchange.headBytes);
        const { handlers } = this.options;
        takePollAnswer(dialect.decode, exchange.body(), exchange.header('content-type'), this.tracker, (error) =>
          handlers.onError(error),
        );
        this.more =
          dialect.askAgain === 'after-message' ||
          (dialect.askAgain === 'more-header' && exchange.header(MORE_HEADER) === '1');
      } else {
        return new SubscribeRefused(exchange.path, status, refusalText(exchange.body()));
      }
      return undefined;
    } catch (error) {
      return error as Error;
    }
  }
}
