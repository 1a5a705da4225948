import type { Scenario } from '../document/scenario.js';
import { blamed, describeField, fieldError, type ScenarioSources } from './field-sources.js';

/**
 * Rules that bind two fields, each valid alone. Each names both values and where each came from,
 * and is blamed on the one given last: `--fault-at 10m` with `--duration 1s` is the flag's
 * fault, not the scenario file's; `--duration 1s` with a file's `fault-at: 3s` is --duration's.
 */
export function checkFieldsTogether(scenario: Scenario, sources: ScenarioSources): void {
  const about = (property: keyof Scenario): string => describeField(scenario, sources, property);
  if (scenario.fault !== 'none' && scenario.faultAtMs >= scenario.durationMs) {
    const fault = about('fault');
    throw blamed(sources, 'faultAtMs', 'durationMs') === 'faultAtMs'
      ? fieldError(
          scenario,
          sources,
          'faultAtMs',
          `a time inside the measurement window, shorter than ${about('durationMs')}, for ${fault}`,
        )
      : fieldError(
          scenario,
          sources,
          'durationMs',
          `a window longer than ${about('faultAtMs')}, so that ${fault} strikes inside it`,
        );
  }
  if (scenario.publisher === 'clients' && scenario.channels > scenario.clients) {
    const why = `with ${about('publisher')} each channel needs a client to publish on it`;
    throw blamed(sources, 'channels', 'clients') === 'channels'
      ? fieldError(scenario, sources, 'channels', `at most ${about('clients')}: ${why}`)
      : fieldError(scenario, sources, 'clients', `at least ${about('channels')}: ${why}`);
  }
}
