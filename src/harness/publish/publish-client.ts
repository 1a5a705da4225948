import { ClientMeter } from '../../transports/shared/client-meter.js';
import { sleep } from '../../transports/shared/client-support.js';
import { PollExchange } from '../../transports/shared/poll-exchange.js';

/**
 * Enough that publishing keeps to its schedule at any rate the server can take: with too few,
 * publishes queue here and the latency measured is this queue's, not the server's.
 */
const CONNECTIONS = 32;
const CLOSE_WAIT_MS = 1_000;
/** A publish the server has not answered in this long has failed. */
const ANSWER_TIMEOUT_MS = 30_000;

/**
 * Sends publish requests (`POST /publish`) without waiting for one before the next, over a
 * few keep-alive connections; answers are counted as they come back. Each request is one
 * buffer written at once on a plain socket (PollExchange): sent through undici, a publish
 * reached the server about 0.2 ms later at the median (measured beside a bare socket write),
 * and that delay is in every latency, since latency counts from the due time.
 */
export class PublishClient {
  accepted = 0;
  failed = 0;
  private readonly idle: PollExchange[] = [];
  private readonly all: PollExchange[] = [];
  private readonly queued: Array<{ body: string; channel: string }> = [];
  private outstanding = 0;
  private readonly drained: Array<() => void> = [];
  /** The channel of the publish each connection has out, for its acknowledgement. */
  private readonly channelOf = new Map<PollExchange, string>();

  /** Requests and bytes on the publishing connections, for when the clients are the publishers (chat). */
  readonly meter = new ClientMeter();

  constructor(
    private readonly baseUrl: string,
    private readonly onError: (error: Error) => void,
  ) {}

  /**
   * The highest sequence number the server acknowledged, per epoch and channel: what a log that
   * died with its server had accepted, so its loss can be counted exactly.
   */
  readonly acknowledged = new Map<string, Map<string, number>>();

  publish(body: string, channel: string): void {
    this.meter.requests++;
    this.outstanding++;
    const exchange = this.idle.pop() ?? (this.all.length < CONNECTIONS ? this.connection() : undefined);
    if (exchange === undefined) this.queued.push({ body, channel });
    else this.send(exchange, body, channel);
  }

  /** Resolves when every publish sent so far has been answered or has failed, or after `limitMs`. */
  async settled(limitMs?: number): Promise<void> {
    if (this.outstanding === 0) return;
    const drained = new Promise<void>((resolve) => this.drained.push(resolve));
    await (limitMs === undefined ? drained : Promise.race([drained, sleep(limitMs)]));
  }

  /** Waits a little for answers still due, then drops whatever is left (counted as failed). */
  async close(): Promise<void> {
    await this.settled(CLOSE_WAIT_MS);
    this.failed += this.queued.length;
    this.queued.length = 0;
    await Promise.all(this.all.map((exchange) => exchange.destroy()));
  }

  private connection(): PollExchange {
    const exchange: PollExchange = new PollExchange(
      { baseUrl: this.baseUrl, answerTimeoutMs: ANSWER_TIMEOUT_MS, meter: this.meter },
      (error) => this.answered(exchange, error),
    );
    this.all.push(exchange);
    return exchange;
  }

  private send(exchange: PollExchange, body: string, channel: string): void {
    this.channelOf.set(exchange, channel);
    exchange.post('/publish', 'application/json', body);
  }

  private answered(exchange: PollExchange, error: Error | undefined): void {
    this.count(exchange, error);
    this.outstanding--;
    const next = this.queued.shift();
    if (next === undefined) this.idle.push(exchange);
    else this.send(exchange, next.body, next.channel);
    if (this.outstanding === 0) for (const resolve of this.drained.splice(0)) resolve();
  }

  private count(exchange: PollExchange, error: Error | undefined): void {
    if (error === undefined && exchange.statusCode === 202) {
      this.accepted++;
      try {
        const answer = JSON.parse(exchange.body().toString('utf8')) as { seq?: unknown; epoch?: unknown };
        this.acknowledge(this.channelOf.get(exchange)!, answer);
      } catch {
        // A 202 without a readable body still took the message; it just names no seq.
      }
      return;
    }
    this.failed++;
    this.onError(error ?? new Error(`POST /publish answered ${exchange.statusCode}`));
  }

  private acknowledge(channel: string, answer: { seq?: unknown; epoch?: unknown }): void {
    if (typeof answer.seq !== 'number' || typeof answer.epoch !== 'string') return;
    let channels = this.acknowledged.get(answer.epoch);
    if (channels === undefined) this.acknowledged.set(answer.epoch, (channels = new Map()));
    channels.set(channel, Math.max(channels.get(channel) ?? 0, answer.seq));
  }
}
