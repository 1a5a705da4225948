import type { TransportName } from '../document/scenario.js';
import { closest } from '../core/suggest.js';
import { FIELDS_BUT_TRANSPORT } from './field-table.js';
import { fail, type JsonSchema, ok, type Parsed, type ScenarioField, withSchema } from './field-values.js';

export type { Parsed, ScenarioField };

/** Names people type for a technique, to the technique (`ws` → websocket): no edit distance finds these. */
export type TechniqueAliases = ReadonlyMap<string, TransportName>;

const NO_ALIASES: TechniqueAliases = new Map();

/**
 * The `transport` field: `all`, `sse,websocket`, or (in files) `[sse, websocket]`, of the
 * `techniques` given (the registry's names, in its order, which the result keeps).
 */
function transportField(techniques: readonly TransportName[], aliases: TechniqueAliases): ScenarioField<'transports'> {
  const list = `all, or a comma-separated list of ${techniques.join(', ')}`;
  return {
    name: 'transport',
    property: 'transports',
    meaning: `techniques to run: ${list}`,
    flag: true,
    arg: 'names',
    parse: withSchema((raw) => parseTechniqueList(raw, techniques, list, aliases), techniqueListSchema(techniques)),
    format: (names) => (names.length === techniques.length ? 'all' : names.join(',')),
  };
}

/** `all`, a comma-separated list of the names (spaces around commas allowed), or an array of them. */
function techniqueListSchema(techniques: readonly TransportName[]): JsonSchema {
  const name = `(?:${techniques.join('|')})`;
  return {
    anyOf: [
      { type: 'string', pattern: `^\\s*(?:all|${name}(?:\\s*,\\s*${name})*)\\s*$` },
      { type: 'array', minItems: 1, items: { enum: [...techniques] } },
    ],
  };
}

/**
 * `all`, a comma-separated list, or (in files) an array, of `techniques`; the result keeps their
 * order. `expected` is what the refusal says would have done; it names the technique the first
 * unknown name most likely meant, by `aliases` or by spelling.
 */
export function parseTechniqueList(
  raw: unknown,
  techniques: readonly TransportName[],
  expected: string,
  aliases: TechniqueAliases = NO_ALIASES,
): Parsed<TransportName[]> {
  if (typeof raw === 'string' && raw.trim() === 'all') return ok([...techniques]);
  const names: unknown[] | undefined =
    typeof raw === 'string' ? raw.split(',').map((name) => name.trim()) : Array.isArray(raw) ? raw : undefined;
  const known = (name: unknown): boolean => (techniques as readonly unknown[]).includes(name);
  if (names === undefined || names.length === 0 || !names.every(known)) {
    const unknown = names?.find((name) => !known(name) && name !== 'all');
    return fail(expected, typeof unknown === 'string' ? closest(unknown, techniques, aliases) : undefined);
  }
  return ok(techniques.filter((name) => names.includes(name)));
}

const tables = new WeakMap<readonly TransportName[], WeakMap<TechniqueAliases, readonly ScenarioField[]>>();

/**
 * Every scenario field, in the order `--help` and listings show them, for a run that may choose
 * among `techniques` (the registry's names: this layer knows no technique of its own).
 */
export function scenarioFields(
  techniques: readonly TransportName[],
  aliases: TechniqueAliases = NO_ALIASES,
): readonly ScenarioField[] {
  let byAliases = tables.get(techniques);
  if (byAliases === undefined) tables.set(techniques, (byAliases = new WeakMap()));
  let table = byAliases.get(aliases);
  if (table === undefined) {
    const [name, description, ...others] = FIELDS_BUT_TRANSPORT;
    table = [name!, description!, transportField(techniques, aliases), ...others];
    byAliases.set(aliases, table);
  }
  return table;
}

export function scenarioField(
  name: string,
  techniques: readonly TransportName[],
  aliases: TechniqueAliases = NO_ALIASES,
): ScenarioField | undefined {
  return scenarioFields(techniques, aliases).find((f) => f.name === name);
}

/** The fields a command-line flag may set, in table order. */
export function flagFields(techniques: readonly TransportName[]): readonly ScenarioField[] {
  return scenarioFields(techniques).filter((f) => f.flag);
}
