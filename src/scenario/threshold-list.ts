import { scenarioError, showValue } from './scenario-error.js';

/** The scenario-file key of the run's absolute thresholds (`run --threshold` replaces them). */
export const THRESHOLDS_FIELD = 'thresholds';

/** More than any gate needs; a list this long is a mistake, not a gate. */
const MAX_THRESHOLDS = 100;
const MAX_EXPRESSION_LENGTH = 200;

/** The same for an editor (JSON Schema). */
export const THRESHOLD_LIST_SCHEMA = {
  description: 'absolute thresholds the run is judged on, such as [p99<50ms, lost==0] (run --threshold replaces them)',
  type: 'array',
  maxItems: MAX_THRESHOLDS,
  items: { type: 'string', pattern: '^[^\\r\\n]*\\S[^\\r\\n]*$', maxLength: MAX_EXPRESSION_LENGTH },
} as const;

/**
 * A scenario file's `thresholds:` as written: a list of expressions, each a single line of text.
 * Their grammar (figures, comparators, units) is checked where they are judged, which names the
 * file and the item too; this layer knows no figure.
 */
export function readThresholdList(shown: string, raw: unknown): string[] {
  if (!Array.isArray(raw) || raw.length > MAX_THRESHOLDS) {
    throw scenarioError(
      `${shown}: ${THRESHOLDS_FIELD}: expected a list of at most ${MAX_THRESHOLDS} expressions such as [p99<50ms, lost==0], got ${showValue(raw)}`,
    );
  }
  return raw.map((item: unknown, i) => {
    const text = typeof item === 'string' ? item.trim() : undefined;
    if (text === undefined || text === '' || /[\r\n]/.test(text) || text.length > MAX_EXPRESSION_LENGTH) {
      throw scenarioError(
        `${shown}: ${THRESHOLDS_FIELD}[${i}]: expected an expression such as p99<50ms (a single line of text), got ${showValue(item)}`,
      );
    }
    return text;
  });
}
