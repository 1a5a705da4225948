import { FIGURE_NAMES, type FigureName } from '../../document/comparison.js';
import type { TransportName } from '../../document/scenario.js';
import { type AbsoluteThreshold, type Comparator, COMPARATORS } from '../../document/threshold-check.js';
import { FIGURES } from '../compare/figures.js';
import { unitFactor } from './units.js';

/** A server's name as a prefix gives it: the rule for a profile's `name` (schema/profile-v1.schema.json). */
const PROFILE_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

const THRESHOLD_SHAPE = '[TECHNIQUE:]FIGURE COMPARATOR VALUE[UNIT], such as p99<50ms or sse:lost==0';

/** A threshold read from its expression, or the part that is wrong and what was expected there. */
export type ParsedThreshold = { ok: true; value: Omit<AbsoluteThreshold, 'source'> } | { ok: false; problem: string };

const fail = (problem: string): ParsedThreshold => ({ ok: false, problem });

// The longer comparators first, so that `<=` is not read as `<` and a value starting with `=`.
const SPLIT = new RegExp(`^(.*?)(${[...COMPARATORS].sort((a, b) => b.length - a.length).join('|')})(.*)$`, 's');
const VALUE = /^(\d+(?:\.\d+)?|\.\d+)\s*(\S*)$/;

/**
 * `[TECHNIQUE:]FIGURE COMPARATOR VALUE[UNIT]`, or `reference/TECHNIQUE:` before the figure:
 * `p99<50ms`, `lost==0`, `sse:bytes_per_msg<=300`. `techniques` are those a prefix may name (the
 * registry's); whether the run includes it is the caller's check. The limit is converted to the
 * figure's own unit.
 */
export function parseThreshold(expression: string, techniques: readonly TransportName[]): ParsedThreshold {
  const split = SPLIT.exec(expression.trim());
  if (split === null) {
    const hint = expression.includes('=') ? ' (NAME=+N% is the syntax of compare --threshold)' : '';
    return fail(`no comparator: expected ${THRESHOLD_SHAPE}, with one of ${COMPARATORS.join(' ')}${hint}`);
  }
  const [, left = '', comparator, right = ''] = split;
  if (/[=!<>]/.test(left.trim().slice(-1)) || /^[=<>]/.test(right.trim()))
    return fail(`comparator: expected one of ${COMPARATORS.join(' ')}`);
  const named = parseName(left.trim(), techniques);
  if (!named.ok) return named;
  const { figure, transport, profile } = named;
  const value = VALUE.exec(right.trim());
  if (value === null) return fail(`value "${right.trim()}": expected a number with an optional unit, such as 50ms`);
  const { unit } = FIGURES[figure];
  const factor = unitFactor(figure, unit, value[2] ?? '');
  if (!factor.ok) return fail(factor.problem);
  return {
    ok: true,
    value: {
      expression: expression.trim(),
      figure,
      transport,
      ...(profile === undefined ? {} : { profile }),
      comparator: comparator as Comparator,
      // Twelve significant digits: 0.05 s is 50 ms, not 50.00000000000001.
      limit: Number((Number(value[1]) * factor.factor).toPrecision(12)),
      unit,
    },
  };
}

type Name =
  | { ok: true; figure: FigureName; transport: TransportName | null; profile?: string }
  | { ok: false; problem: string };

/** `p99`, `sse:p99` or `reference/sse:p99`. */
function parseName(text: string, techniques: readonly TransportName[]): Name {
  const parts = text.split(':').map((part) => part.trim());
  if (parts.length > 2) return { ok: false, problem: `"${text}": expected [TECHNIQUE:]FIGURE, with one colon at most` };
  const figure = parts.at(-1)!;
  if (!(FIGURE_NAMES as readonly string[]).includes(figure)) {
    const shown = figure === '' ? 'no figure' : `figure "${figure}"`;
    return { ok: false, problem: `${shown}: expected one of ${FIGURE_NAMES.join(', ')}` };
  }
  if (parts.length === 1) return { ok: true, figure: figure as FigureName, transport: null };
  const prefix = parts[0]!.split('/');
  const technique = prefix.at(-1)!;
  if (prefix.length > 2) return { ok: false, problem: `prefix "${parts[0]}": expected TECHNIQUE or PROFILE/TECHNIQUE` };
  if (prefix.length === 2 && !PROFILE_NAME.test(prefix[0]!)) {
    return {
      ok: false,
      problem: `profile "${prefix[0]}": expected a server's name, such as reference or nchan (a-z, 0-9, -)`,
    };
  }
  if (!techniques.includes(technique))
    return { ok: false, problem: `technique "${technique}": expected one of ${techniques.join(', ')}` };
  const profile = prefix.length === 2 ? { profile: prefix[0]! } : {};
  return { ok: true, figure: figure as FigureName, transport: technique, ...profile };
}
