import type { ClientTls } from '../../transports/transport.js';
import { ClientMeter } from '../../transports/shared/client-meter.js';
import { isConnectFailure, sleep } from '../../transports/shared/client-support.js';
import { PollExchange } from '../../transports/shared/poll-exchange.js';
import { channelPath } from '../../transports/dialect.js';
import { PROFILE_EPOCH, type PublishDialect, senderLog } from '../../profiles/profile.js';

/**
 * Enough that publishing keeps to its schedule at any rate the server can take: with too few,
 * publishes queue here and the latency measured is this queue's, not the server's.
 */
const CONNECTIONS = 32;
const CLOSE_WAIT_MS = 1_000;
/** A publish the server has not answered in this long has failed. */
const ANSWER_TIMEOUT_MS = 30_000;

/** Where and how publishes go: the wire contract's `POST /publish`, or a profile's publish dialect. */
export interface PublishRoute {
  readonly method: string;
  path(channel: string): string;
  readonly contentType: string;
  /** Extra header lines, `name: value\r\n` each. */
  readonly headerLines: string;
  /** A profile's server: any 2xx takes the message, and names its seq only if the server numbers. */
  readonly dialect: boolean;
  /**
   * The publisher numbers each channel's messages: they must reach the server in that order, so
   * each channel keeps to one connection and sends its next publish only once the last is answered.
   */
  readonly ordered: boolean;
}

/** Surely not taken: a connection the server never accepted, a 4xx, or 503 (it was not served at all). */
function refused(error: Error | undefined, status: number): boolean {
  if (error !== undefined) return isConnectFailure(error);
  return (status >= 400 && status < 500) || status === 503;
}

/** Whose numbering a publisher-numbered message takes its seq from: its channel's, or its sender's on it. */
function numberingOf(publish: Publish): string {
  return publish.sender === undefined ? publish.channel : `${publish.channel}\u0000${publish.sender}`;
}

export const WIRE_CONTRACT_ROUTE: PublishRoute = {
  method: 'POST',
  path: () => '/publish',
  contentType: 'application/json',
  headerLines: '',
  dialect: false,
  ordered: false,
};

export function publishRouteOf(dialect: PublishDialect): PublishRoute {
  return {
    method: dialect.method,
    path: (channel) => channelPath(dialect, channel),
    contentType: dialect.contentType,
    headerLines: Object.entries(dialect.headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join(''),
    dialect: true,
    ordered: dialect.numbering === 'publisher',
  };
}

interface Publish {
  channel: string;
  /** The body; for a message the publisher numbers, its fields, the seq written in when it is sent. */
  body: string | Record<string, unknown>;
  /** The seq written into the body, once sent. */
  seq?: number;
  /** A chat's sender, who numbers its own messages (publisher numbering); none: the channel's numbering. */
  sender?: string;
  /** When it began to wait for the publish before it on its channel (performance.now ms). */
  waitingSince?: number;
}

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
  private readonly queued: Publish[] = [];
  private outstanding = 0;
  private readonly drained: Array<() => void> = [];
  /** The publish each connection has out, for its acknowledgement. */
  private readonly publishOf = new Map<PollExchange, Publish>();
  /** Ordered publishing: each connection's own queue, and the connection each channel keeps to. */
  private readonly lanes = new Map<PollExchange, Publish[]>();
  private readonly laneOf = new Map<string, PollExchange>();
  /** Publisher numbering: the seq each channel's next message gets. */
  private readonly nextSeq = new Map<string, number>();
  /** Ordered publishing: the longest a publish waited for the one before it on its channel, ms. */
  longestWaitMs = 0;

  /** Requests and bytes on the publishing connections, for when the clients are the publishers (chat). */
  readonly meter = new ClientMeter();

  constructor(
    private readonly baseUrl: string,
    private readonly onError: (error: Error) => void,
    private readonly route: PublishRoute = WIRE_CONTRACT_ROUTE,
    /** With an https baseUrl: the certificate to trust. */
    private readonly tls?: ClientTls,
  ) {}

  /**
   * The highest sequence number the server acknowledged, per epoch and channel: what a log that
   * died with its server had accepted, so its loss can be counted exactly.
   */
  readonly acknowledged = new Map<string, Map<string, number>>();

  get speaksDialect(): boolean {
    return this.route.dialect;
  }

  /** Publishes sent or queued that have had no answer yet. */
  get unanswered(): number {
    return this.outstanding;
  }

  /** The publisher numbers the messages: publish() takes an envelope's fields, not a body. */
  get numbers(): boolean {
    return this.route.ordered;
  }

  /**
   * One publish; with publisher numbering (`route.ordered`) `body` is the envelope's fields
   * without its seq: the seq is written in when it is sent, in the channel's order, numbered per
   * channel, or per `sender` in a chat.
   */
  publish(body: string | Record<string, unknown>, channel: string, sender?: string): void {
    this.meter.requests++;
    this.outstanding++;
    if (this.route.ordered) {
      this.publishInOrder(sender === undefined ? { body, channel } : { body, channel, sender });
      return;
    }
    const exchange = this.idle.pop() ?? (this.all.length < CONNECTIONS ? this.connection() : undefined);
    if (exchange === undefined) this.queued.push({ body, channel });
    else this.send(exchange, { body, channel });
  }

  private publishInOrder(publish: Publish): void {
    let exchange = this.laneOf.get(publish.channel);
    if (exchange === undefined) {
      exchange = this.all.length < CONNECTIONS ? this.connection() : this.all[this.laneOf.size % CONNECTIONS]!;
      this.laneOf.set(publish.channel, exchange);
      if (!this.lanes.has(exchange)) this.lanes.set(exchange, []);
    }
    if (this.publishOf.has(exchange)) this.lanes.get(exchange)!.push({ ...publish, waitingSince: performance.now() });
    else this.send(exchange, publish);
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
    for (const lane of this.lanes.values()) {
      this.failed += lane.length;
      lane.length = 0;
    }
    await Promise.all(this.all.map((exchange) => exchange.destroy()));
  }

  private connection(): PollExchange {
    const exchange: PollExchange = new PollExchange(
      {
        baseUrl: this.baseUrl,
        ...(this.tls === undefined ? {} : { tls: this.tls }),
        answerTimeoutMs: ANSWER_TIMEOUT_MS,
        meter: this.meter,
      },
      (error) => this.answered(exchange, error),
    );
    this.all.push(exchange);
    return exchange;
  }

  private send(exchange: PollExchange, publish: Publish): void {
    const { route } = this;
    if (publish.waitingSince !== undefined)
      this.longestWaitMs = Math.max(this.longestWaitMs, performance.now() - publish.waitingSince);
    let body = publish.body;
    if (typeof body !== 'string') {
      publish.seq = this.nextSeq.get(numberingOf(publish)) ?? 1;
      body = JSON.stringify({ seq: publish.seq, ...body });
    }
    this.publishOf.set(exchange, publish);
    exchange.post(route.path(publish.channel), route.contentType, body, route.method, route.headerLines);
  }

  private answered(exchange: PollExchange, error: Error | undefined): void {
    this.count(exchange, error);
    this.publishOf.delete(exchange);
    this.outstanding--;
    const next = (this.route.ordered ? this.lanes.get(exchange)! : this.queued).shift();
    if (next !== undefined) this.send(exchange, next);
    else if (!this.route.ordered) this.idle.push(exchange);
    if (this.outstanding === 0) for (const resolve of this.drained.splice(0)) resolve();
  }

  private count(exchange: PollExchange, error: Error | undefined): void {
    const publish = this.publishOf.get(exchange)!;
    const status = exchange.statusCode;
    const taken = error === undefined && (this.route.dialect ? status >= 200 && status < 300 : status === 202);
    if (publish.seq !== undefined && !refused(error, status))
      // Taken, or cut off once sent (a gateway's 502 and 504 included), when the server may have
      // taken it: the seq is spent. One surely refused is given to the next message: the clients
      // wait for no seq that never was.
      this.nextSeq.set(numberingOf(publish), publish.seq + 1);
    if (taken) {
      this.accepted++;
      if (publish.seq === undefined) this.acknowledgeAnswer(exchange, publish.channel);
      else {
        const epoch = publish.sender === undefined ? PROFILE_EPOCH : senderLog(publish.sender);
        this.acknowledge(publish.channel, { seq: publish.seq, epoch });
      }
      return;
    }
    this.failed++;
    this.onError(error ?? new Error(`${this.route.method} ${exchange.path} answered ${status}`));
  }

  private acknowledgeAnswer(exchange: PollExchange, channel: string): void {
    try {
      const answer = JSON.parse(exchange.body().toString('utf8')) as { seq?: unknown; epoch?: unknown };
      this.acknowledge(channel, this.route.dialect ? { seq: answer.seq, epoch: PROFILE_EPOCH } : answer);
    } catch {
      // An answer without a readable body still took the message; it just names no seq.
    }
  }

  private acknowledge(channel: string, answer: { seq?: unknown; epoch?: unknown }): void {
    if (typeof answer.seq !== 'number' || typeof answer.epoch !== 'string') return;
    let channels = this.acknowledged.get(answer.epoch);
    if (channels === undefined) this.acknowledged.set(answer.epoch, (channels = new Map()));
    channels.set(channel, Math.max(channels.get(channel) ?? 0, answer.seq));
  }
}
