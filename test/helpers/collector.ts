import type { Envelope, Gap } from '../../src/core/envelope.js';
import type { ClientHandlers } from '../../src/transports/transport.js';
import { waitFor } from './wait.js';

/** Records what a client delivered, for assertions on order, loss and duplicates. */
export class Collector implements ClientHandlers {
  readonly envelopes: Envelope[] = [];
  readonly gaps: Gap[] = [];
  readonly errors: Error[] = [];
  readonly epochs: string[] = [];
  /** The epoch each envelope was received under, in order. */
  readonly envelopeEpochs: string[] = [];

  onEnvelope = (envelope: Envelope): void => {
    this.envelopes.push(envelope);
    this.envelopeEpochs.push(this.epochs.at(-1) ?? '');
  };

  onEpoch = (epoch: string): void => {
    this.epochs.push(epoch);
  };

  onGap = (gap: Gap): void => {
    this.gaps.push(gap);
  };

  onError = (error: Error): void => {
    this.errors.push(error);
  };

  seqs(): number[] {
    return this.envelopes.map((envelope) => envelope.seq);
  }

  waitForCount(count: number, timeoutMs?: number): Promise<void> {
    return waitFor(
      () => this.envelopes.length >= count,
      `${count} messages (have ${this.seqs().join(',')})`,
      timeoutMs,
    );
  }
}
