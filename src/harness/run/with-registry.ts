// The library's loaders, bound to the registry's techniques (the layers below know none of their own).
import type { RunResult } from '../../document/result.js';
import { loadResult as loadResultOf } from '../../document/result-check.js';
import type { Scenario } from '../../document/scenario.js';
import {
  listScenarios as listScenariosOf,
  loadScenario as loadScenarioOf,
  type ScenarioListing,
  type ScenarioOverrides,
} from '../../scenario/loader.js';
import { TRANSPORT_ALIASES, TRANSPORT_NAMES } from '../../transports/registry.js';

/**
 * A scenario: a built-in's name, a .json/.yaml/.yml file, or the default built-in (undefined),
 * with `overrides` applied as the flags of the same names would be.
 */
export function loadScenario(source?: string, overrides: ScenarioOverrides = {}): Promise<Scenario> {
  return loadScenarioOf(source, overrides, TRANSPORT_NAMES, TRANSPORT_ALIASES);
}

/** The built-in scenarios, sorted by name, each with its resolved values. */
export function listScenarios(): Promise<ScenarioListing[]> {
  return listScenariosOf(TRANSPORT_NAMES);
}

/** A result document saved with `--out FILE.json` (or serializeJson), checked as `compare` checks it. */
export function loadResult(path: string): Promise<RunResult> {
  return loadResultOf(path, TRANSPORT_NAMES);
}
