import { readDataFile } from '../core/data-file.js';
import { scenarioError } from './scenario-error.js';

/**
 * Reads and parses a scenario file (JSON by its extension, else YAML); every failure is
 * IMB_ERR_INVALID_SCENARIO naming `shown` (see readDataFile). `builtIns` lists the built-in
 * names, for the message of a file that does not exist.
 */
export function readScenarioFile(path: string, shown: string, builtIns: () => Promise<string>): Promise<unknown> {
  return readDataFile(path, shown, {
    what: 'scenario file',
    error: scenarioError,
    whenMissing: async () => ` (built-in scenarios: ${await builtIns()})`,
  });
}
