import type { TransportName } from '../document/scenario.js';
import { FIELDS_BUT_TRANSPORT } from './field-table.js';
import { fail, ok, type Parsed, type ScenarioField } from './field-values.js';

export type { Parsed, ScenarioField };

/**
 * The `transport` field: `all`, `sse,websocket`, or (in files) `[sse, websocket]`, of the
 * `techniques` given (the registry's names, in its order, which the result keeps).
 */
function transportField(techniques: readonly TransportName[]): ScenarioField<'transports'> {
  const list = `all, or a comma-separated list of ${techniques.join(', ')}`;
  return {
    name: 'transport',
    property: 'transports',
    meaning: `techniques to run: ${list}`,
    flag: true,
    arg: 'names',
    parse: (raw) => parseTechniqueList(raw, techniques, list),
    format: (names) => (names.length === techniques.length ? 'all' : names.join(',')),
  };
}

/**
 * `all`, a comma-separated list, or (in files) an array, of `techniques`; the result keeps their
 * order. `expected` is what the refusal says would have done.
 */
export function parseTechniqueList(
  raw: unknown,
  techniques: readonly TransportName[],
  expected: string,
): Parsed<TransportName[]> {
  if (typeof raw === 'string' && raw.trim() === 'all') return ok([...techniques]);
  const names: unknown[] | undefined =
    typeof raw === 'string' ? raw.split(',').map((name) => name.trim()) : Array.isArray(raw) ? raw : undefined;
  const known = (name: unknown): boolean => (techniques as readonly unknown[]).includes(name);
  if (names === undefined || names.length === 0 || !names.every(known)) return fail(expected);
  return ok(techniques.filter((name) => names.includes(name)));
}

const tables = new WeakMap<readonly TransportName[], readonly ScenarioField[]>();

/**
 * Every scenario field, in the order `--help` and listings show them, for a run that may choose
 * among `techniques` (the registry's names: this layer knows no technique of its own).
 */
export function scenarioFields(techniques: readonly TransportName[]): readonly ScenarioField[] {
  let table = tables.get(techniques);
  if (table === undefined) {
    const [name, description, ...others] = FIELDS_BUT_TRANSPORT;
    table = [name!, description!, transportField(techniques), ...others];
    tables.set(techniques, table);
  }
  return table;
}

export function scenarioField(name: string, techniques: readonly TransportName[]): ScenarioField | undefined {
  return scenarioFields(techniques).find((f) => f.name === name);
}

/** The fields a command-line flag may set, in table order. */
export function flagFields(techniques: readonly TransportName[]): readonly ScenarioField[] {
  return scenarioFields(techniques).filter((f) => f.flag);
}
