import { readdir, readFile as readText } from 'node:fs/promises';
import { basename, extname, join, resolve, sep } from 'node:path';
import { invalidOption } from '../core/errors.js';
import { closest } from '../core/suggest.js';
import { packagePath } from '../core/paths.js';
import { DEFAULT_SCENARIO_NAME, defaultScenario } from './defaults.js';
import { checkFieldsTogether } from './field-rules.js';
import type { ScenarioSources } from './field-sources.js';
import { scenarioField, scenarioFields, type TechniqueAliases } from './fields.js';
import type { FlagFieldName } from './field-table.js';
import { scenarioError, showValue } from './scenario-error.js';
import { readScenarioFile } from './scenario-file.js';
import { readThresholdList, THRESHOLDS_FIELD } from './threshold-list.js';
import { SCHEMA_KEY } from './json-schema.js';
import type { Scenario, TransportName } from '../document/scenario.js';

const BUILT_IN_DIR = packagePath('scenarios');
const BUILT_IN_EXTENSION = '.yaml';
const FILE_EXTENSIONS = ['.json', '.yaml', '.yml'];
const FILE_KINDS = '.json, .yaml or .yml';

/**
 * Values for a scenario's flag fields, by field name (`poll-interval`), as the flag takes them
 * (`'2s'`, `'sse,websocket'`); numbers for the numeric ones. A misspelled name does not compile.
 */
export type ScenarioOverrides = Partial<Record<FlagFieldName, string | number>>;

export interface ScenarioListing {
  name: string;
  description: string;
  /** Absolute path of the built-in file, to copy and edit. */
  file: string;
  /** Its values, the defaults under the file's own: what a run of it uses. */
  scenario: Scenario;
}

/**
 * Resolves a scenario: the defaults, then the file's fields, then the flags.
 * `source` is a built-in name, a path to a .json/.yaml/.yml file, or undefined for the default
 * built-in. `flagOverrides` is keyed by field name (`poll-interval`), values as typed on the
 * command line; undefined values are skipped. `techniques` are the names the `transport` field
 * may take (the registry's: this layer knows none of its own); `aliases`, the other names people
 * type for them (`ws`), so that a refusal can say which one was meant.
 */
export async function loadScenario(
  source: string | undefined,
  flagOverrides: ScenarioOverrides,
  techniques: readonly TransportName[],
  aliases?: TechniqueAliases,
): Promise<Scenario> {
  return (await loadScenarioWithSources(source, flagOverrides, techniques, aliases)).scenario;
}

export interface LoadedScenario {
  scenario: Scenario;
  /** Where each value came from, for the checks that bind a scenario to other flags. */
  sources: ScenarioSources;
  /** The file's `thresholds:` as written (not part of the scenario: `run` judges them), or undefined without one. */
  thresholds: string[] | undefined;
}

/** `loadScenario`, with where each value came from and the file's thresholds. */
export async function loadScenarioWithSources(
  source: string | undefined,
  flagOverrides: ScenarioOverrides,
  techniques: readonly TransportName[],
  aliases?: TechniqueAliases,
): Promise<LoadedScenario> {
  const { path, shown } = await locate(source ?? DEFAULT_SCENARIO_NAME);
  const { fields: fromFile, thresholds } = readFile(
    shown,
    await readScenarioFile(path, shown, builtInList),
    techniques,
    aliases,
  );
  const fromFlags = fieldsFromFlags(flagOverrides, techniques, aliases);
  const scenario: Scenario = {
    ...defaultScenario(techniques),
    name: basename(path, extname(path)),
    ...fromFile,
    ...fromFlags,
  };
  const sources: ScenarioSources = {
    file: shown,
    fromFile: new Set(Object.keys(fromFile) as (keyof Scenario)[]),
    fromFlags: new Set(Object.keys(fromFlags) as (keyof Scenario)[]),
  };
  checkFieldsTogether(scenario, sources);
  // The file's description speaks of its own values: say which ones the flags replaced.
  const overridden = Object.entries(flagOverrides).filter(([, value]) => value !== undefined);
  if (overridden.length > 0 && scenario.description !== '') {
    scenario.description += ` (with ${overridden.map(([name, value]) => `--${name} ${value}`).join(' ')})`;
  }
  return { scenario, sources, thresholds };
}

/** The built-in scenarios, sorted by name (the name `loadScenario` takes). */
export async function listScenarios(techniques: readonly TransportName[]): Promise<ScenarioListing[]> {
  const listings: ScenarioListing[] = [];
  for (const name of await builtInNames()) {
    const file = join(BUILT_IN_DIR, name + BUILT_IN_EXTENSION);
    const { fields } = readFile(file, await readScenarioFile(file, file, builtInList), techniques);
    const scenario: Scenario = { ...defaultScenario(techniques), name, ...fields };
    listings.push({ name, description: fields.description ?? '', file, scenario });
  }
  return listings;
}

/** A built-in scenario's file as written, comments and all (`im-bench scenarios NAME`). */
export async function builtInScenarioText(name: string): Promise<string> {
  const names = await builtInNames();
  if (!names.includes(name)) throw unknownBuiltIn(name, names, false);
  return readText(join(BUILT_IN_DIR, name + BUILT_IN_EXTENSION), 'utf8');
}

/** A name no built-in has: what it most likely meant, and what would do (`orPath`: a file too). */
function unknownBuiltIn(source: string, names: readonly string[], orPath: boolean): Error {
  const meant = closest(source, names);
  const hint = meant === undefined ? '' : ` (did you mean ${meant}?)`;
  const path = orPath ? ` or a path to a ${FILE_KINDS} file` : '';
  return scenarioError(`unknown scenario "${source}"${hint}: expected a built-in name (${names.join(', ')})${path}`);
}

async function builtInNames(): Promise<string[]> {
  const entries = await readdir(BUILT_IN_DIR);
  return entries
    .filter((entry) => entry.endsWith(BUILT_IN_EXTENSION))
    .map((entry) => entry.slice(0, -BUILT_IN_EXTENSION.length))
    .sort();
}

async function builtInList(): Promise<string> {
  return (await builtInNames()).join(', ');
}

/** `path` is what we read; `shown` is what error messages call it (the path as the user typed it). */
async function locate(source: string): Promise<{ path: string; shown: string }> {
  const extension = extname(source).toLowerCase();
  const looksLikePath = FILE_EXTENSIONS.includes(extension) || source.includes('/') || source.includes(sep);
  if (looksLikePath) {
    if (!FILE_EXTENSIONS.includes(extension)) {
      throw scenarioError(
        `${source}: expected a path to a ${FILE_KINDS} file, or a built-in name (${await builtInList()})`,
      );
    }
    return { path: resolve(source), shown: source };
  }
  const names = await builtInNames();
  if (!names.includes(source)) throw unknownBuiltIn(source, names, true);
  const path = join(BUILT_IN_DIR, source + BUILT_IN_EXTENSION);
  return { path, shown: path };
}

function readFile(
  shown: string,
  raw: unknown,
  techniques: readonly TransportName[],
  aliases?: TechniqueAliases,
): { fields: Partial<Scenario>; thresholds: string[] | undefined } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw scenarioError(
      `${shown}: expected a mapping of scenario fields (such as "clients: 100"), got ${showValue(raw)}`,
    );
  }
  const fields: Partial<Record<keyof Scenario, unknown>> = {};
  let thresholds: string[] | undefined;
  for (const [key, value] of Object.entries(raw)) {
    if (key === SCHEMA_KEY) continue;
    if (key === THRESHOLDS_FIELD) {
      thresholds = readThresholdList(shown, value);
      continue;
    }
    const field = scenarioField(key, techniques, aliases);
    if (field === undefined) {
      const names = [...scenarioFields(techniques).map((f) => f.name), THRESHOLDS_FIELD];
      const meant = closest(key, names);
      const help = meant === undefined ? `allowed fields: ${names.join(', ')}` : `did you mean ${meant}?`;
      throw scenarioError(`${shown}: unknown field ${showValue(key)}; ${help}`);
    }
    const parsed = field.parse(value);
    if (!parsed.ok) {
      const hint = parsed.meant === undefined ? '' : `; did you mean ${parsed.meant}?`;
      throw scenarioError(`${shown}: ${key}: expected ${parsed.expected}, got ${showValue(value)}${hint}`);
    }
    fields[field.property] = parsed.value;
  }
  // Sound by construction: each field's parser returns its own property's type.
  return { fields: fields as Partial<Scenario>, thresholds };
}

function fieldsFromFlags(
  overrides: ScenarioOverrides,
  techniques: readonly TransportName[],
  aliases?: TechniqueAliases,
): Partial<Scenario> {
  const fields: Partial<Record<keyof Scenario, unknown>> = {};
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const field = scenarioField(key, techniques, aliases);
    // A caller bug (the CLI forwards only the flags it declared from FLAG_FIELDS), not a user error.
    if (field === undefined || !field.flag) throw new TypeError(`not a scenario flag: --${key}`);
    const parsed = field.parse(value);
    if (!parsed.ok) throw invalidOption(`--${key}`, value, parsed.expected, parsed.meant);
    fields[field.property] = parsed.value;
  }
  return fields as Partial<Scenario>;
}
