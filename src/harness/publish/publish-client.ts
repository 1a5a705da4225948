import { Pool } from 'undici';
import { ClientMeter, meteredConnector } from '../../transports/shared/client-meter.js';
import { sleep } from '../../transports/shared/client-support.js';

/**
 * Enough that publishing keeps to its schedule at any rate the server can take: with too few,
 * publishes queue here and the latency measured is this queue's, not the server's.
 */
const CONNECTIONS = 32;
const CLOSE_WAIT_MS = 1_000;

/**
 * Sends publish requests (`POST /publish`) without waiting for one before the next, over a
 * few keep-alive connections; answers are counted as they come back.
 */
export class PublishClient {
  accepted = 0;
  failed = 0;
  private readonly pool: Pool;
  private readonly inFlight = new Set<Promise<void>>();

  /** Requests and bytes on the publishing connections, for when the clients are the publishers (chat). */
  readonly meter = new ClientMeter();

  constructor(
    baseUrl: string,
    private readonly onError: (error: Error) => void,
  ) {
    this.pool = new Pool(baseUrl, { connections: CONNECTIONS, pipelining: 1, connect: meteredConnector(this.meter) });
  }

  /**
   * The highest sequence number the server acknowledged, per epoch and channel: what a log that
   * died with its server had accepted, so its loss can be counted exactly.
   */
  readonly acknowledged = new Map<string, Map<string, number>>();

  publish(body: string, channel: string): void {
    const sending = this.send(body, channel);
    this.inFlight.add(sending);
    void sending.finally(() => this.inFlight.delete(sending));
  }

  /** Resolves when every publish sent so far has been answered or has failed, or after `limitMs`. */
  async settled(limitMs?: number): Promise<void> {
    if (limitMs === undefined) {
      while (this.inFlight.size > 0) await Promise.all(this.inFlight);
      return;
    }
    const deadline = performance.now() + limitMs;
    while (this.inFlight.size > 0 && performance.now() < deadline) {
      await Promise.race([Promise.all(this.inFlight), sleep(deadline - performance.now())]);
    }
  }

  /** Waits a little for answers still due, then drops whatever is left. */
  async close(): Promise<void> {
    await this.settled(CLOSE_WAIT_MS);
    await this.pool.destroy();
  }

  private async send(body: string, channel: string): Promise<void> {
    this.meter.requests++;
    try {
      const response = await this.pool.request({
        path: '/publish',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      if (response.statusCode !== 202) {
        await response.body.dump();
        throw new Error(`POST /publish answered ${response.statusCode}`);
      }
      this.accepted++;
      this.acknowledge(channel, (await response.body.json()) as { seq?: unknown; epoch?: unknown });
    } catch (error) {
      this.failed++;
      this.onError(error as Error);
    }
  }

  private acknowledge(channel: string, answer: { seq?: unknown; epoch?: unknown }): void {
    if (typeof answer.seq !== 'number' || typeof answer.epoch !== 'string') return;
    let channels = this.acknowledged.get(answer.epoch);
    if (channels === undefined) this.acknowledged.set(answer.epoch, (channels = new Map()));
    channels.set(channel, Math.max(channels.get(channel) ?? 0, answer.seq));
  }
}
