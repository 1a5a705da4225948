import type { RunResult, TransportResult } from './result.js';
import { repetitionsOf } from './repetitions.js';

/**
 * Why a technique that ran measured nothing — no latency, no per-message figure — or null
 * when it measured something. A run with such a technique is not a success (its own exit
 * code), and its figures are "–", never 0.
 */
export function nothingMeasured(t: TransportResult): string | null {
  const { published, clients, delivery } = t;
  if (published.total > 0 && published.failed >= published.total)
    return `every publish failed (${published.failed} of ${published.total})`;
  if (clients.connected === 0) return `no client connected (${clients.failed} of ${clients.requested} failed)`;
  if (delivery.deliveredInWindow > 0) return null;
  if (published.inWindow === 0)
    return 'no message was scheduled inside the window: raise --rate or --duration so that at least one is';
  const protocol = delivery.protocolErrors > 0 ? `; ${delivery.protocolErrors} messages broke the wire contract` : '';
  return `no client received any of the ${published.inWindow} messages published in the window${protocol}`;
}

/**
 * Why a technique measured nothing in one of its complete repetitions (the one a report shows,
 * or another), or null: one empty repetition in three is as much a failure as an empty run.
 */
export function unmeasuredReason(t: TransportResult): string | null {
  const repetitions = repetitionsOf(t).filter((repetition) => !repetition.partial);
  for (const [i, repetition] of repetitions.entries()) {
    const reason = nothingMeasured(repetition);
    if (reason !== null) return repetitions.length > 1 ? `${reason} (repetition ${i + 1})` : reason;
  }
  return null;
}

/** The techniques of a run that measured nothing in some repetition, each with its reason. */
export function unmeasuredTechniques(result: RunResult): Array<{ transport: string; reason: string }> {
  const found: Array<{ transport: string; reason: string }> = [];
  for (const t of result.transports) {
    const reason = unmeasuredReason(t);
    if (reason !== null) found.push({ transport: t.transport, reason });
  }
  return found;
}
