import type { ClientTls } from '../../transports/transport.js';
import { hrtimeString } from '../../core/clock.js';
import type { Scenario } from '../../document/scenario.js';
import type { ClientGroup } from '../generator/client-group.js';
import type { PublishDialect } from '../../profiles/profile.js';
import { PublishClient, publishRouteOf, WIRE_CONTRACT_ROUTE } from './publish-client.js';

/**
 * Turns scheduled publishes into messages on the wire: from the harness (`POST /publish`,
 * fan-out), or from the clients themselves in a chat (on their WebSocket, else over HTTP).
 */
export class MessageSender {
  readonly http: PublishClient;
  /** Chat publishes that found no connected sender or no open socket. */
  private unsent = 0;
  private readonly payload: string;

  constructor(
    private readonly scenario: Scenario,
    private readonly group: ClientGroup,
    baseUrl: string,
    private readonly channels: readonly string[],
    /** The `from` of harness publishes: a shard's tag, so each shard times only what it stamped. */
    private readonly publisherTag: string | null = null,
    /** A profile's publish request; the wire contract's `POST /publish` when absent. */
    dialect?: PublishDialect,
    /** Over TLS: the certificate to trust. */
    tls?: ClientTls,
  ) {
    const route = dialect === undefined ? WIRE_CONTRACT_ROUTE : publishRouteOf(dialect);
    this.http = new PublishClient(baseUrl, (error) => group.noteError(error), route, tls);
    this.payload = 'x'.repeat(scenario.payloadBytes);
  }

  readonly send = (index: number, scheduledNs: number): void => {
    const t = hrtimeString(scheduledNs);
    if (this.scenario.publisher === 'server') {
      const channel = this.channels[index % this.channels.length]!;
      const message = { ch: channel, from: this.publisherTag, data: this.payload, t };
      // Numbered by the publisher, the envelope itself is the body, its seq written in as it is sent.
      this.http.publish(this.http.numbers ? message : JSON.stringify(message), channel);
      return;
    }
    // A chat runs its clients in this process (see planGenerator): they publish themselves.
    const sender = this.group.localPool?.sender(index);
    if (sender === undefined) {
      this.unsent++;
      return;
    }
    const message = { ch: sender.channel, from: sender.id, data: this.payload, t };
    // A client's own socket speaks the wire contract's publish; a profile's server takes its publish request.
    if (this.http.numbers) this.http.publish(message, sender.channel, sender.id);
    else if (sender.client.publish === undefined || this.http.speaksDialect)
      this.http.publish(JSON.stringify(message), sender.channel);
    else if (!sender.client.publish(message)) this.unsent++;
  };

  /** Publishes not accepted: refused, never sent, or still unanswered when asked (past the drain: lost to the run). */
  get failed(): number {
    return this.unsent + this.http.failed + this.http.unanswered;
  }

  /** In a chat the clients publish, so the requests and bytes of publishing are theirs to pay for. */
  clientsShare(): { requests: number; bytes: number } {
    if (this.scenario.publisher !== 'clients') return { requests: 0, bytes: 0 };
    return { requests: this.http.meter.requests, bytes: this.http.meter.bytes() };
  }
}
