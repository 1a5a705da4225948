import type { Scenario } from '../document/scenario.js';
import { formatDuration, missingUnit, parseDuration } from './duration.js';

/** A raw value turned into a field's type, or a phrase saying what would have done (and the value it most likely meant). */
export type Parsed<T> = { ok: true; value: T } | Refused;
export type Refused = { ok: false; expected: string; meant?: string };

/** One scenario field: its key in files and flags, and how its values are read and written. */
export interface ScenarioField<K extends keyof Scenario = keyof Scenario> {
  /** Kebab case: the key in scenario files and, after `--`, the flag. */
  readonly name: string;
  readonly property: K;
  /** One line, for `--help` and for listings. */
  readonly meaning: string;
  /** False for the fields only files set (`name`, `description`). */
  readonly flag: boolean;
  /** What the value is called in `--help`: `--ramp-up <duration>`. */
  readonly arg: string;
  /** From a flag's string, or from a JSON/YAML value (string, number, array, anything). */
  parse(raw: unknown): Parsed<Scenario[K]>;
  /** The value as a file or a flag would spell it: `1.5s`, `sse,websocket`. */
  format(value: Scenario[K]): string;
}

const MAX_TEXT_LENGTH = 200;

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const fail = (expected: string, meant?: string): Refused =>
  meant === undefined ? { ok: false, expected } : { ok: false, expected, meant };

const INTEGER = /^\d+$/;
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** Numbers pass as they are; strings (flags, quoted file values) only when they are plain digits. */
function toNumber(raw: unknown, pattern: RegExp): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string' && pattern.test(raw.trim())) return Number(raw.trim());
  return Number.NaN;
}

export function integer(min: number, max = Number.POSITIVE_INFINITY): (raw: unknown) => Parsed<number> {
  const expected =
    max === Number.POSITIVE_INFINITY ? `an integer of ${min} or more` : `an integer from ${min} to ${max}`;
  return (raw) => {
    const n = toNumber(raw, INTEGER);
    return Number.isInteger(n) && n >= min && n <= max ? ok(n) : fail(expected);
  };
}

export function positiveNumber(max: number): (raw: unknown) => Parsed<number> {
  return (raw) => {
    const n = toNumber(raw, DECIMAL);
    return n > 0 && n <= max ? ok(n) : fail(`a number above 0 and at most ${max}`);
  };
}

export function duration(min: number, max: number): (raw: unknown) => Parsed<number> {
  const expected = `a duration from ${min === 0 ? '0' : formatDuration(min)} to ${formatDuration(max)}, such as 500ms, 10s or 2m`;
  return (raw) => {
    const ms = parseDuration(raw);
    if (ms !== undefined && ms >= min && ms <= max) return ok(ms);
    const hint = missingUnit(raw);
    return fail(hint === undefined ? expected : `${expected} (${hint})`);
  };
}

export function oneOf<T extends string>(values: readonly T[]): (raw: unknown) => Parsed<T> {
  const expected = `one of ${values.join(', ')}`;
  return (raw) => {
    const value = typeof raw === 'string' ? raw.trim() : raw;
    return values.includes(value as T) ? ok(value as T) : fail(expected);
  };
}

export function share(raw: unknown): Parsed<number> {
  const n = toNumber(raw, DECIMAL);
  return n > 0 && n <= 1 ? ok(n) : fail('a share above 0 and at most 1, such as 0.3');
}

export function yesNo(raw: unknown): Parsed<boolean> {
  if (raw === true || raw === 'true' || raw === 'yes') return ok(true);
  if (raw === false || raw === 'false' || raw === 'no') return ok(false);
  return fail('true or false');
}

export function oneLine(nonEmpty: boolean): (raw: unknown) => Parsed<string> {
  const expected = `${nonEmpty ? 'a non-empty' : 'a'} single line of text, at most ${MAX_TEXT_LENGTH} characters`;
  return (raw) => {
    const text = typeof raw === 'string' ? raw.trim() : undefined;
    const fits =
      text !== undefined && !/[\r\n]/.test(text) && text.length <= MAX_TEXT_LENGTH && (!nonEmpty || text !== '');
    return fits ? ok(text) : fail(expected);
  };
}
