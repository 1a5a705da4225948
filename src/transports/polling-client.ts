import { Client } from 'undici';
import { CursorTracker } from './cursor-tracker.js';
import { refusal, sleep } from './client-support.js';
import type { ClientOptions, TransportClient } from './transport.js';

/**
 * What short and long polling share: one keep-alive undici `Client` per simulated client,
 * a request that answers 200 with a JSON batch or 204, and a loop that re-issues it.
 */
export abstract class PollingClient implements TransportClient {
  protected readonly tracker: CursorTracker;
  protected readonly http: Client;
  protected readonly stop = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    protected readonly options: ClientOptions,
    clientOptions: Client.Options,
  ) {
    this.tracker = new CursorTracker(options.since, options.handlers);
    this.http = new Client(options.baseUrl, { pipelining: 1, ...clientOptions });
  }

  get cursor(): number {
    return this.tracker.cursor;
  }

  protected get closed(): boolean {
    return this.stop.signal.aborted;
  }

  async open(): Promise<void> {
    const first = this.poll();
    await this.subscribed(first);
    this.loop = this.run(first);
  }

  async close(): Promise<void> {
    this.stop.abort();
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
    const response = await this.http.request({ path, method: 'GET', signal: this.stop.signal });
    if (response.statusCode === 204) {
      await response.body.dump();
    } else if (response.statusCode === 200) {
      this.tracker.batch(await response.body.json());
    } else {
      throw await refusal(path, response);
    }
  }

  protected async pollReportingErrors(poll: Promise<void> = this.poll()): Promise<boolean> {
    try {
      await poll;
      return true;
    } catch (error) {
      if (!this.closed) this.options.handlers.onError(error as Error);
      return false;
    }
  }

  protected pause(ms: number): Promise<void> {
    return sleep(ms, this.stop.signal);
  }
}
