import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { ImBenchError } from '../../src/core/errors.js';
import { parseResult } from '../../src/document/result-check.js';
import type { RunResult, TransportResult } from '../../src/document/result.js';
import type { TransportName } from '../../src/document/scenario.js';
import { compare } from '../../src/report/compare/compare.js';
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

export function comparePair(pair: Case, spec?: string): Comparison {
  return compare(fixture(pair, 'base'), fixture(pair, 'head'), parseThresholds(spec), NAMES);
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
