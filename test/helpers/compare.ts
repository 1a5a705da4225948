import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { ImBenchError } from '../../src/core/errors.js';
import { parseResult } from '../../src/document/result-check.js';
import type { RunResult, TransportResult } from '../../src/document/result.js';
import type { TransportName } from '../../src/document/scenario.js';
import { compare } from '../../src/report/compare/compare.js';
import { FIGURES } from '../../src/report/compare/figures.js';
import { parseThresholds } from '../../src/report/compare/thresholds.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';
import type { Comparison, FigureComparison } from '../../src/document/comparison.js';

// Shared by the compare tests (test/unit/compare-*.test.ts).

/** The fixture pairs under test/fixtures/compare/. */
export type Case = 'pass' | 'regression' | 'noise' | 'schema' | 'scenario';
export type Side = 'base' | 'head';

export const NAMES = { base: 'base.json', head: 'head.json' };

export function fixturePath(pair: Case, side: Side): string {
  return fileURLToPath(new URL(`../fixtures/compare/${pair}/${side}.json`, import.meta.url));
}

export function fixture(pair: Case, side: Side): RunResult {
  return parseResult(readFileSync(fixturePath(pair, side), 'utf8'), `${side}.json`, TRANSPORT_NAMES);
}

/** Five repetitions about 1.6 % apart: a quiet machine's spread. */
export const QUIET = [0.98, 0.99, 1, 1.01, 1.02] as const;

/**
 * The document with each technique measured once per factor: every figure compare reads (lost
 * copies aside) scaled by the factor. A document that already has repetitions is returned as is.
 */
export function repeated(result: RunResult, factors: readonly number[] = QUIET): RunResult {
  const copy = structuredClone(result);
  for (const transport of copy.transports) {
    if (transport.repetitions !== undefined && transport.repetitions.length > 0) continue;
    transport.repetitions = factors.map((factor) => scaled(transport, factor));
  }
  return copy;
}

function scaled(transport: TransportResult, factor: number): TransportResult {
  const repetition = structuredClone({ ...transport, repetitions: undefined });
  delete repetition.repetitions;
  for (const figure of Object.values(FIGURES)) {
    if (figure.absolute) continue;
    const group = (repetition as unknown as Record<string, Record<string, unknown>>)[figure.path[0]]!;
    const value = group[figure.path[1]];
    if (typeof value === 'number') group[figure.path[1]] = value * factor;
  }
  return repetition;
}

/** Sets a figure in every repetition of a technique, one value each (or the same in all). */
export function setFigure(
  result: RunResult,
  transport: TransportName,
  name: FigureComparison['figure'],
  values: number | readonly number[],
): void {
  const [group, key] = FIGURES[name].path;
  const runs = technique(result, transport).repetitions!;
  for (const [i, run] of runs.entries()) {
    const value = typeof values === 'number' ? values : values[i]!;
    (run as unknown as Record<string, Record<string, unknown>>)[group]![key] = value;
  }
}

/**
 * Compares a fixture pair; `repeat` (the default) gives a side without repetitions five, as
 * `run --repeat 5` would on a quiet machine, so that the test can decide.
 */
export function comparePair(
  pair: Case,
  spec?: string,
  { repeat = true, alpha }: { repeat?: boolean; alpha?: number } = {},
): Comparison {
  const side = (name: Side): RunResult => (repeat ? repeated(fixture(pair, name)) : fixture(pair, name));
  return compare(side('base'), side('head'), parseThresholds(spec), NAMES, alpha);
}

/** Every figure whose verdict is worth a line, as `technique figure: verdict`. */
export function flagged(comparison: Comparison): string[] {
  return comparison.techniques.flatMap((technique) =>
    technique.figures
      .filter((figure) => !['ok', 'untracked'].includes(figure.verdict))
      .map((figure) => `${technique.transport} ${figure.figure}: ${figure.verdict}`),
  );
}

export function figureOf(
  comparison: Comparison,
  transport: TransportName,
  name: FigureComparison['figure'],
): FigureComparison {
  const figure = comparison.techniques.find((t) => t.transport === transport)?.figures.find((f) => f.figure === name);
  if (figure === undefined) throw new Error(`no ${transport} ${name} in the comparison`);
  return figure;
}

export function technique(result: RunResult, name: TransportName): TransportResult {
  return result.transports.find((t) => t.transport === name)!;
}

/** The error a call throws, so that code, exit code and message can all be checked. */
export function thrown(action: () => unknown): ImBenchError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ImBenchError);
    return error as ImBenchError;
  }
  throw new Error('expected an ImBenchError, nothing was thrown');
}

export async function rejected(action: () => Promise<unknown>): Promise<ImBenchError> {
  const error: unknown = await action().then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ImBenchError);
  return error as ImBenchError;
}
