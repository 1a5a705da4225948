/** Text shared by every format that shows judged thresholds: the terminal, Markdown and HTML. */
import type { ThresholdCheck } from '../../document/threshold-check.js';
import { formatValue } from '../compare/describe.js';
import { comparedName } from '../../document/comparison.js';
import { failedThresholds } from './judge.js';

export const PASS_MARK = '✓';
export const FAIL_MARK = '✗';

export interface ThresholdRow {
  pass: boolean;
  expression: string;
  transport: string;
  measured: string;
}

/** `Thresholds (from --threshold): 1 of 3 failed`. */
export function thresholdSummary(checks: readonly ThresholdCheck[]): string {
  const failed = failedThresholds(checks).length;
  const sources = [...new Set(checks.map((check) => check.source))].map((source) =>
    source === 'flag' ? '--threshold' : "the scenario file's thresholds",
  );
  const verdict =
    failed === 0
      ? `${checks.length === 1 ? 'the one' : `all ${checks.length}`} passed`
      : `${failed} of ${checks.length} failed`;
  return `Thresholds (from ${sources.join(' and ')}): ${verdict}`;
}

/** One row per threshold and technique judged, in the order given. */
export function thresholdRows(checks: readonly ThresholdCheck[]): ThresholdRow[] {
  return checks.flatMap((check) => {
    if (check.results.length === 0)
      return [{ pass: false, expression: check.expression, transport: '–', measured: 'no technique to judge' }];
    return check.results.map((result) => ({
      pass: result.pass,
      expression: check.expression,
      transport: comparedName(result),
      measured: result.value === null ? 'not measured' : formatValue(result.value, check.unit),
    }));
  });
}

/** The summary and a line per row, columns aligned: for the terminal table and for stderr. */
export function thresholdLines(checks: readonly ThresholdCheck[]): string[] {
  const rows = thresholdRows(checks);
  const width = (pick: (row: ThresholdRow) => string): number => Math.max(...rows.map((row) => pick(row).length));
  const expressionWidth = width((row) => row.expression);
  const transportWidth = width((row) => row.transport);
  return [
    thresholdSummary(checks),
    ...rows.map(
      (row) =>
        `  ${row.pass ? PASS_MARK : FAIL_MARK} ${row.expression.padEnd(expressionWidth)}  ${row.transport.padEnd(transportWidth)}  ${row.measured}`,
    ),
  ];
}
