import { Fetch } from 'engine.io-client';
import type { ClientMeter } from './client-meter.js';
import type { ClientTls } from './plain-connection.js';
import { PollExchange, type PollExchangeOptions } from './poll-exchange.js';

/** The option under which engine.io-client hands this transport its meter (via `transportOptions.polling`). */
export const EXCHANGE_OPTION = 'imBenchExchange';

export interface ExchangeSettings {
  meter: ClientMeter;
  localAddress: string | undefined;
  /** Over https: how the server's certificate is checked. */
  tls: ClientTls | undefined;
}

/**
 * A poll is held until the server has something or pings (every 25 s by default); past this a
 * silent poll fails, after Engine.IO's own heartbeat (interval + timeout, 45 s) has given up.
 */
const ANSWER_TIMEOUT_MS = 60_000;
const POST_TYPE = 'text/plain;charset=UTF-8';

/**
 * Engine.IO's polling transport on im-bench's own HTTP/1.1 exchanges (`PollExchange`, the
 * long-polling client's) instead of xmlhttprequest-ssl, which engine.io-client uses in Node:
 * that library hands every finished response over through a `setTimeout(0)` (a millisecond
 * and more added to each delivery) and costs the generator several times what the poll itself
 * does: with 100 clients its own work, not the server's, set the latency measured (notify's
 * long-polling p50 48 ms through it, under 6 ms through these exchanges).
 * Engine.IO's protocol (packets, the handshake, pings, the close packet) stays engine.io-client's.
 * As a browser does, polls go out on one connection and writes (the Socket.IO connect packet,
 * pongs) on another, so a write never waits for a poll the server holds.
 */
export class ExchangePolling extends Fetch {
  private readonly polls: PollExchange;
  private readonly writes: PollExchange;
  private readonly meter: ClientMeter;
  /** The write out, and those waiting for it (the close packet, sent whatever else is out). */
  private written: (() => void) | undefined;
  private readonly queued: Array<{ data: string; callback: () => void }> = [];
  private closed = false;

  constructor(opts: Record<string, unknown>) {
    super(opts);
    const settings = opts[EXCHANGE_OPTION] as ExchangeSettings;
    this.meter = settings.meter;
    const exchange: PollExchangeOptions = {
      baseUrl: this.createUri(this.opts.secure ? 'https' : 'http'),
      answerTimeoutMs: ANSWER_TIMEOUT_MS,
      meter: settings.meter,
      ...(settings.localAddress === undefined ? {} : { localAddress: settings.localAddress }),
      ...(settings.tls === undefined ? {} : { tls: settings.tls }),
    };
    this.polls = new PollExchange(exchange, (error) => this.onPollAnswer(error));
    this.writes = new PollExchange(exchange, (error) => this.onWriteAnswer(error));
  }

  override doPoll(): void {
    this.meter.requests++;
    this.polls.send(pathOf(this.uri()));
  }

  override doWrite(data: string, callback: () => void): void {
    if (this.written !== undefined) {
      this.queued.push({ data, callback });
      return;
    }
    this.meter.requests++;
    this.written = callback;
    this.writes.post(pathOf(this.uri()), POST_TYPE, data);
  }

  /** The poll still out is dropped; the last write (the close packet) is let finish. */
  protected override onClose(details?: Parameters<Fetch['onClose']>[0]): void {
    this.closed = true;
    void this.polls.destroy();
    if (this.written === undefined) void this.writes.destroy();
    super.onClose(details);
  }

  private onPollAnswer(error: Error | undefined): void {
    if (this.closed) return;
    const status = this.polls.statusCode;
    if (error !== undefined || status !== 200) {
      this.onError('xhr poll error', error ?? status);
      return;
    }
    this.onData(this.polls.body().toString());
  }

  private onWriteAnswer(error: Error | undefined): void {
    // Read before the next write, which starts the exchange over.
    const status = this.writes.statusCode;
    const callback = this.written;
    this.written = undefined;
    const next = this.queued.shift();
    if (next !== undefined) this.doWrite(next.data, next.callback);
    if (this.closed) {
      if (next === undefined) void this.writes.destroy();
      return;
    }
    if (error !== undefined || status !== 200) {
      this.onError('xhr post error', error ?? status);
      return;
    }
    callback?.();
  }
}

/** The path and query of engine.io-client's `scheme://host:port/path?query`, without parsing a URL per poll. */
function pathOf(uri: string): string {
  return uri.slice(uri.indexOf('/', uri.indexOf('://') + 3));
}
