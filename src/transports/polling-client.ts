import { performance } from 'node:perf_hooks';
import { Client } from 'undici';
import { ClientMeter, meteredConnector } from './client-meter.js';
import { CursorTracker } from './cursor-tracker.js';
import { Backoff, epochOf, isConnectFailure, isPermanentRefusal, refusal, sleep, untilAborted } from './client-support.js';
import { MORE_HEADER, type ClientOptions, type TransportClient } from './transport.js';

/**
 * A request written this recently may not have reached the server yet; close() waits this
 * long after the last one so that clients and the server's /stats count the same requests.
 */
const IN_FLIGHT_SETTLE_MS = 20;

/**
 * What short and long polling share: one keep-alive undici `Client` per simulated client,
 * a request that answers 200 with a JSON batch or 204, and a loop that re-issues it.
 */
export abstract class PollingClient implements TransportClient {
  readonly meter = new ClientMeter();
  protected readonly tracker: CursorTracker;
  protected readonly http: Client;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private lastRequestAt = 0;
  /** The last answer was cut short of the log's end (MORE_HEADER): ask again at once. */
  protected more = false;
  protected readonly backoff = new Backoff();

  constructor(
    protected readonly options: ClientOptions,
    clientOptions: Client.Options,
  ) {
    this.tracker = new CursorTracker(options.since, options.handlers);
    this.http = new Client(options.baseUrl, { pipelining: 1, connect: meteredConnector(this.meter), localAddress: options.localAddress, ...clientOptions });
  }

  get cursor(): number {
    return this.tracker.cursor;
  }

  protected get closed(): boolean {
    return this.stopping.signal.aborted;
  }

  async open(): Promise<void> {
    const first = this.poll();
    await this.subscribed(first);
    this.loop = this.run(first);
  }

  async close(): Promise<void> {
    this.stopping.abort();
    await sleep(this.lastRequestAt + IN_FLIGHT_SETTLE_MS - performance.now());
    await this.http.destroy();
    await this.loop;
  }

  protected abstract pollPath(): string;

  /** Resolves once the client counts as subscribed; by default, when the first poll is answered. */
  protected subscribed(first: Promise<void>): Promise<void> {
    return first;
  }

  /** Re-issues polls after `first` until closed; failures are reported, never thrown. */
  protected abstract run(first: Promise<void>): Promise<void>;

  /** One request; throws on a transport failure or a non-200/204 answer. */
  protected async poll(): Promise<void> {
    const path = this.pollPath();
    this.meter.requests++;
    this.lastRequestAt = performance.now();
    this.more = false;
    let response;
    try {
      response = await this.http.request({ path, method: 'GET' });
    } catch (error) {
      if (isConnectFailure(error)) this.meter.requests--;
      throw error;
    }
    this.tracker.noteEpoch(epochOf(response.headers));
    this.more = response.headers[MORE_HEADER] === '1';
    if (!this.meter.reading) await untilAborted(this.stopping.signal);
    if (response.statusCode === 204) {
      this.meter.emptyResponses++;
      await response.body.dump();
    } else if (response.statusCode === 200) {
      this.tracker.batch(await response.body.json());
    } else {
      throw await refusal(path, response);
    }
  }

  /**
   * Awaits one poll; a failure is reported, and the first success after failures counts as a
   * reconnect. A permanent refusal (a 4xx such as a bad cursor) stops the client for good.
   */
  protected async pollReportingErrors(poll: Promise<void> = this.poll()): Promise<boolean> {
    try {
      await poll;
      if (this.backoff.failing) this.meter.reconnects++;
      this.backoff.succeeded();
      return true;
    } catch (error) {
      if (this.closed) return false;
      this.backoff.failed();
      this.options.handlers.onError(error as Error);
      if (isPermanentRefusal(error)) this.stopping.abort();
      return false;
    }
  }

  protected pause(ms: number): Promise<void> {
    return sleep(ms, this.stopping.signal);
  }
}
