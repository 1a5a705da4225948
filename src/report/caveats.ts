import { formatInteger, formatMs, formatPercent, formatTrimmed } from './format.js';
import { repetitionsOf, worstLost } from '../document/repetitions.js';
import type { Calibration, RunResult, TransportResult } from '../document/result.js';
import { unmeasuredReason } from '../document/unmeasured.js';
import { describeLoad } from '../harness/generator/generator-health.js';
import { latenessCaveat } from './publisher-timing.js';

/** What an interruption left out, or null when the run completed. */
export function abortNote(result: RunResult): string | null {
  if (!result.aborted) return null;
  const cut = result.transports.find((t) => repetitionsOf(t).some((repetition) => repetition.partial));
  if (cut === undefined)
    return 'Aborted: the run did not finish; the figures cover what was measured before it stopped.';
  const seconds = formatTrimmed(repetitionsOf(cut).find((repetition) => repetition.partial)!.windowSeconds, 1);
  return result.repeat > 1
    ? `Aborted: a repetition of ${cut.transport} was stopped ${seconds} s into its window; its figures and ranges leave that repetition out wherever a complete one exists.`
    : `Aborted: ${cut.transport} was stopped ${seconds} s into its window; techniques after it did not run.`;
}

/** Whose clients the figures cover when they are not one whole run's: a shard's slice, or every shard merged. */
export function shardNote(result: RunResult): string | null {
  if (result.merged !== undefined) {
    const sources = result.merged.from.map((shard) => shard.source).join(', ');
    return `Merged from ${formatInteger(result.merged.shards)} shards (${sources}): counts summed, histograms merged; the server figures are the largest any shard read, the generator figures the worst shard's.`;
  }
  if (result.shard === undefined || result.shard === null) return null;
  return `Shard ${result.shard.index}/${result.shard.count}: the figures cover this shard's slice of the clients only; "im-bench merge" makes one document of every shard's.`;
}

/** How the servers of a run were slowed on purpose (`run --calibrate-*`); null when they were not. */
export function describeCalibration(calibration: Calibration | undefined): string | null {
  if (calibration === undefined) return null;
  const slowed = Object.entries(calibration.cpuMicrosPerCopy).filter(
    ([, micros]) => micros !== undefined && micros > 0,
  );
  const how = [
    ...(calibration.delayMs > 0 ? [`every publish held ${formatInteger(calibration.delayMs)} ms`] : []),
    ...(slowed.length === 0
      ? []
      : [
          `CPU burned per delivered copy: ${slowed.map(([name, micros]) => `${name} ${formatTrimmed(micros!, 3)} µs`).join(', ')}`,
        ]),
  ];
  return how.length === 0 ? null : how.join('; ');
}

/** A run whose servers were slowed on purpose, so nobody mistakes it for a real one; null otherwise. */
export function calibrationNote(result: RunResult): string | null {
  const how = describeCalibration(result.calibration);
  if (how === null) return null;
  return `Calibration run: the servers were slowed on purpose (${how}) to check compare; these figures are not a real measurement.`;
}

/**
 * Past this share of the server's request ceiling, requests queue at the server and the
 * latencies measure the queue as much as the technique.
 */
export const NEAR_CEILING = 0.8;

/** Why a technique's figures need a caveat, one clause per problem; empty when they need none. */
export function problems(t: TransportResult): string[] {
  const found: string[] = [];
  const nothing = unmeasuredReason(t);
  if (nothing !== null) found.push(`measured nothing: ${nothing}`);
  const late = latenessCaveat(t);
  if (late !== null) found.push(late);
  if (t.generator.bound) {
    found.push(
      `generator-bound (event-loop delay p99 ${formatMs(t.generator.eventLoopDelayP99Ms)} ms, ` +
        `${describeLoad(t.generator)}): its latencies describe the load generator, not the server`,
    );
  }
  if (t.headroom !== undefined && t.headroom.ratio >= NEAR_CEILING) {
    found.push(
      `ran at ${formatPercent(t.headroom.ratio)} of the server's ceiling for its polls (${formatInteger(t.headroom.ceilingPerSecond)} requests/s): ` +
        'its latencies include queueing at the server',
    );
  }
  if (t.published.failed > 0) found.push(`${formatInteger(t.published.failed)} publishes failed (not counted as lost)`);
  const lost = worstLost(t);
  if (lost > 0)
    found.push(
      `${formatInteger(lost)} of ${formatInteger(t.delivery.expected)} copies lost${lost !== t.delivery.lost ? ' (worst repetition)' : ''}`,
    );
  if (t.requests.errors > 0) {
    const sample = t.errorSamples[0];
    const errors = `${formatInteger(t.requests.errors)} ${t.requests.errors === 1 ? 'error' : 'errors'}`;
    found.push(sample === undefined ? errors : `${errors} (first: ${sample})`);
  }
  return found;
}

/** One line for a technique whose figures need a caveat, or null when they need none. */
export function describeProblems(t: TransportResult): string | null {
  const found = problems(t);
  return found.length === 0 ? null : `${t.transport}: ${found.join('; ')}`;
}
