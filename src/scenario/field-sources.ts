import { type ImBenchError, invalidOption } from '../core/errors.js';
import type { Scenario } from '../document/scenario.js';
import { FIELDS_BUT_TRANSPORT } from './field-table.js';
import { scenarioError } from './scenario-error.js';

/**
 * Where each value of a resolved scenario came from: a flag, the scenario file, or the defaults.
 * A check that binds two values blames the one the user gave last, and says where the other came from.
 */
export interface ScenarioSources {
  /** The scenario file, as messages name it (the path as typed, or the built-in's path). */
  readonly file: string;
  readonly fromFile: ReadonlySet<keyof Scenario>;
  readonly fromFlags: ReadonlySet<keyof Scenario>;
}

type Source = 'flag' | 'file' | 'default';

export function sourceOf(sources: ScenarioSources, property: keyof Scenario): Source {
  if (sources.fromFlags.has(property)) return 'flag';
  return sources.fromFile.has(property) ? 'file' : 'default';
}

/** The sources with `property` set by its flag (a sweep's value, which the loader did not see). */
export function withFlag(sources: ScenarioSources, property: keyof Scenario): ScenarioSources {
  return { ...sources, fromFlags: new Set([...sources.fromFlags, property]) };
}

/** The field's name in files and, after `--`, as a flag (`transport` has no property of its own name). */
export function fieldName(property: keyof Scenario): string {
  if (property === 'transports') return 'transport';
  return FIELDS_BUT_TRANSPORT.find((field) => field.property === property)?.name ?? property;
}

function formatted(scenario: Scenario, property: keyof Scenario): string {
  const field = FIELDS_BUT_TRANSPORT.find((each) => each.property === property);
  const value = scenario[property];
  return field === undefined ? String(value) : (field.format as (value: unknown) => string)(value);
}

/** A value and where it came from: `duration 1s (from --duration)`, `fault restart (from restart.yaml)`. */
export function describeField(scenario: Scenario, sources: ScenarioSources, property: keyof Scenario): string {
  const name = fieldName(property);
  const where = {
    flag: `from --${name}`,
    file: `from ${sources.file}`,
    default: 'the default',
  }[sourceOf(sources, property)];
  return `${name} ${formatted(scenario, property)} (${where})`;
}

/**
 * The error for a value that does not fit the others, blamed where it was given: the flag
 * (IMB_ERR_INVALID_OPTION), or the scenario file's field (IMB_ERR_INVALID_SCENARIO).
 */
export function fieldError(
  scenario: Scenario,
  sources: ScenarioSources,
  property: keyof Scenario,
  expected: string,
): ImBenchError {
  const name = fieldName(property);
  const value = formatted(scenario, property);
  switch (sourceOf(sources, property)) {
    case 'flag':
      return invalidOption(`--${name}`, value, expected);
    case 'file':
      return scenarioError(`${sources.file}: ${name}: expected ${expected}, got ${value}`);
    default:
      return scenarioError(`${sources.file}: ${name}: expected ${expected}, got the default ${value}`);
  }
}

const RANK: Record<Source, number> = { default: 0, file: 1, flag: 2 };

/** Of two values that do not fit together, the one to blame: the one given last (a flag over the file over a default); `first` on a tie. */
export function blamed(sources: ScenarioSources, first: keyof Scenario, second: keyof Scenario): keyof Scenario {
  return RANK[sourceOf(sources, second)] > RANK[sourceOf(sources, first)] ? second : first;
}
