const UNIT_MS = { us: 0.001, µs: 0.001, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
type Unit = keyof typeof UNIT_MS;

const NUMBER = String.raw`\d+(?:\.\d+)?|\.\d+`;
const UNITS = Object.keys(UNIT_MS).join('|');
const AMOUNT = new RegExp(`^(${NUMBER})$`);
const DURATION = new RegExp(`^(${NUMBER})(${UNITS})?$`);
/** DURATION for an editor (JSON Schema): a number with its unit, or 0 without one; the parser trims first. */
export const DURATION_SCHEMA_PATTERN = String.raw`^\s*(?:(?:${NUMBER})(?:${UNITS})|0+(?:\.0+)?|\.0+)\s*$`;

/**
 * A duration string's amount in ms, and the unit it was written in. Every duration names its
 * unit; a bare number is one only when it is 0, which needs none (`500` could be ms or s).
 */
function readDuration(value: string): { ms: number; unit: Unit } | undefined {
  const match = DURATION.exec(value.trim());
  if (match === null) return undefined;
  if (match[2] === undefined) return Number(match[1]) === 0 ? { ms: 0, unit: 'ms' } : undefined;
  const unit = match[2] as Unit;
  return { ms: Number(match[1]) * UNIT_MS[unit], unit };
}

/**
 * Where a duration was asked and a bare number other than 0 was given: which unit to add, as
 * an error says it (`5 has no unit: write 5ms, 5s or 5m`). Undefined for anything else.
 */
export function missingUnit(value: unknown, units = 'ms, s or m'): string | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!AMOUNT.test(text) || Number(text) === 0) return undefined;
  const spellings = units.split(/, | or /).map((unit) => `${text}${unit}`);
  return `${text} has no unit: write ${spellings.slice(0, -1).join(', ')} or ${spellings.at(-1)}`;
}

const MICRO_UNITS: readonly Unit[] = ['us', 'µs'];
const FINE_UNITS: readonly Unit[] = [...MICRO_UNITS, 'ms', 's'];

/**
 * Milliseconds from a string such as `250ms`, `1.5s`, `2m` or `1h`, or 0 (as a number or a
 * string); undefined when it is none of them. Rounded to whole milliseconds, the resolution of
 * the timers that will use it (and so `1.1s` is 1100, not 1100.0000000000002).
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return value === 0 ? 0 : undefined;
  if (typeof value !== 'string') return undefined;
  const read = readDuration(value);
  // Microseconds are for the finer grammar below; a timer's duration is whole milliseconds.
  return read === undefined || MICRO_UNITS.includes(read.unit) ? undefined : Math.round(read.ms);
}

/** The shortest exact spelling that `parseDuration` reads back: 250 → `250ms`, 1500 → `1.5s`, 120000 → `2m`. */
export function formatDuration(ms: number): string {
  if (ms >= UNIT_MS.h && ms % UNIT_MS.h === 0) return `${ms / UNIT_MS.h}h`;
  if (ms >= UNIT_MS.m && ms % UNIT_MS.m === 0) return `${ms / UNIT_MS.m}m`;
  if (ms >= UNIT_MS.s) return `${ms / UNIT_MS.s}s`;
  return `${ms}ms`;
}

/**
 * Microseconds, to a thousandth, from the same grammar with `us` (or `µs`) besides ms and s:
 * `3us`, `2.5us`, `0.2ms`, `0`; undefined when it is none of them.
 */
export function parseDurationMicros(value: string): number | undefined {
  const read = readDuration(value);
  if (read === undefined || !FINE_UNITS.includes(read.unit)) return undefined;
  return Math.round(read.ms * 1_000_000) / 1_000;
}
