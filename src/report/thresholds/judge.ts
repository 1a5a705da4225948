import type { RunResult, TransportResult } from '../../document/result.js';
import type {
  AbsoluteThreshold,
  Comparator,
  ThresholdCheck,
  ThresholdOutcome,
} from '../../document/threshold-check.js';
import { FIGURES } from '../compare/figures.js';
import { summarizeFigure } from '../figure-summary.js';
import { serverOf } from '../servers.js';

/** The server an outcome names, left out for the reference server (as before there were others). */
function profileField(profile: string | undefined): { profile?: string } {
  return profile === undefined || profile === 'reference' ? {} : { profile };
}

export function holds(value: number, comparator: Comparator, limit: number): boolean {
  switch (comparator) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '==':
      return value === limit;
  }
}

function outcome(threshold: AbsoluteThreshold, result: TransportResult): ThresholdOutcome {
  const value = summarizeFigure(result, FIGURES[threshold.figure]);
  return {
    transport: result.transport,
    ...profileField(serverOf(result)),
    value,
    pass: value !== null && holds(value, threshold.comparator, threshold.limit),
  };
}

/**
 * Each threshold against the run's figures, per technique it names (every technique in the
 * document when it names none), each figure summed up over the repetitions as `compare` does.
 * A figure not measured fails, and so does a named technique the document lacks: a gate must
 * not read what was not measured as a pass.
 */
export function judgeThresholds(result: RunResult, thresholds: readonly AbsoluteThreshold[]): ThresholdCheck[] {
  return thresholds.map((threshold) => {
    const named = result.transports.filter(
      (t) =>
        (threshold.transport === null || t.transport === threshold.transport) &&
        (threshold.profile === undefined || serverOf(t) === threshold.profile),
    );
    const results: ThresholdOutcome[] =
      named.length === 0 && threshold.transport !== null
        ? [{ transport: threshold.transport, ...profileField(threshold.profile), value: null, pass: false }]
        : named.map((t) => outcome(threshold, t));
    return { ...threshold, results, pass: results.length > 0 && results.every((each) => each.pass) };
  });
}

export function failedThresholds(checks: readonly ThresholdCheck[]): ThresholdCheck[] {
  return checks.filter((check) => !check.pass);
}
