import type { Scenario } from '../document/scenario.js';
import { DURATION_SCHEMA_PATTERN, formatDuration, missingUnit, parseDuration } from './duration.js';

/** A raw value turned into a field's type, or a phrase saying what would have done (and the value it most likely meant). */
export type Parsed<T> = { ok: true; value: T } | Refused;
export type Refused = { ok: false; expected: string; meant?: string };

/** A fragment of JSON Schema (draft 2020-12): what an editor checks a value in a scenario file against. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** Reads a raw value into a field's type; `schema` says the same to an editor, as far as JSON Schema can. */
export type ValueParser<T> = ((raw: unknown) => Parsed<T>) & { readonly schema: JsonSchema };

export function withSchema<T>(parse: (raw: unknown) => Parsed<T>, schema: JsonSchema): ValueParser<T> {
  return Object.assign(parse, { schema });
}

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
  readonly parse: ValueParser<Scenario[K]>;
  /** The value as a file or a flag would spell it: `1.5s`, `sse,websocket`. */
  format(value: Scenario[K]): string;
}

const MAX_TEXT_LENGTH = 200;

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const fail = (expected: string, meant?: string): Refused =>
  meant === undefined ? { ok: false, expected } : { ok: false, expected, meant };

const INTEGER = /^\d+$/;
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;
/** What a quoted number in a file may look like (it is trimmed first, as the parsers do). */
const quoted = (pattern: RegExp): JsonSchema => ({
  type: 'string',
  pattern: `^\\s*${pattern.source.slice(1, -1)}\\s*$`,
});

/** Numbers pass as they are; strings (flags, quoted file values) only when they are plain digits. */
function toNumber(raw: unknown, pattern: RegExp): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string' && pattern.test(raw.trim())) return Number(raw.trim());
  return Number.NaN;
}

export function integer(min: number, max = Number.POSITIVE_INFINITY): ValueParser<number> {
  const expected =
    max === Number.POSITIVE_INFINITY ? `an integer of ${min} or more` : `an integer from ${min} to ${max}`;
  const bounds = max === Number.POSITIVE_INFINITY ? { minimum: min } : { minimum: min, maximum: max };
  return withSchema(
    (raw) => {
      const n = toNumber(raw, INTEGER);
      return Number.isInteger(n) && n >= min && n <= max ? ok(n) : fail(expected);
    },
    { anyOf: [{ type: 'integer', ...bounds }, quoted(INTEGER)] },
  );
}

export function positiveNumber(max: number): ValueParser<number> {
  return withSchema(
    (raw) => {
      const n = toNumber(raw, DECIMAL);
      return n > 0 && n <= max ? ok(n) : fail(`a number above 0 and at most ${max}`);
    },
    { anyOf: [{ type: 'number', exclusiveMinimum: 0, maximum: max }, quoted(DECIMAL)] },
  );
}

export function duration(min: number, max: number): ValueParser<number> {
  const range = `from ${min === 0 ? '0' : formatDuration(min)} to ${formatDuration(max)}`;
  const expected = `a duration ${range}, such as 500ms, 10s or 2m`;
  return withSchema(
    (raw) => {
      const ms = parseDuration(raw);
      if (ms !== undefined && ms >= min && ms <= max) return ok(ms);
      const hint = missingUnit(raw);
      return fail(hint === undefined ? expected : `${expected} (${hint})`);
    },
    { anyOf: [{ const: 0 }, { type: 'string', pattern: DURATION_SCHEMA_PATTERN }], description: `a duration ${range}` },
  );
}

export function oneOf<T extends string>(values: readonly T[]): ValueParser<T> {
  const expected = `one of ${values.join(', ')}`;
  return withSchema(
    (raw) => {
      const value = typeof raw === 'string' ? raw.trim() : raw;
      return values.includes(value as T) ? ok(value as T) : fail(expected);
    },
    { enum: [...values] },
  );
}

export const share: ValueParser<number> = withSchema(
  (raw) => {
    const n = toNumber(raw, DECIMAL);
    return n > 0 && n <= 1 ? ok(n) : fail('a share above 0 and at most 1, such as 0.3');
  },
  { anyOf: [{ type: 'number', exclusiveMinimum: 0, maximum: 1 }, quoted(DECIMAL)] },
);

export const yesNo: ValueParser<boolean> = withSchema(
  (raw) => {
    if (raw === true || raw === 'true' || raw === 'yes') return ok(true);
    if (raw === false || raw === 'false' || raw === 'no') return ok(false);
    return fail('true or false');
  },
  { anyOf: [{ type: 'boolean' }, { enum: ['true', 'false', 'yes', 'no'] }] },
);

export function oneLine(nonEmpty: boolean): ValueParser<string> {
  const expected = `${nonEmpty ? 'a non-empty' : 'a'} single line of text, at most ${MAX_TEXT_LENGTH} characters`;
  return withSchema(
    (raw) => {
      const text = typeof raw === 'string' ? raw.trim() : undefined;
      const fits =
        text !== undefined && !/[\r\n]/.test(text) && text.length <= MAX_TEXT_LENGTH && (!nonEmpty || text !== '');
      return fits ? ok(text) : fail(expected);
    },
    { type: 'string', pattern: nonEmpty ? '^[^\\r\\n]*\\S[^\\r\\n]*$' : '^[^\\r\\n]*$', maxLength: MAX_TEXT_LENGTH },
  );
}
