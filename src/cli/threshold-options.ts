import { ImBenchError } from '../core/errors.js';
import type { AbsoluteThreshold, ThresholdSource } from '../document/threshold-check.js';
import type { Shard } from '../harness/run/shard.js';
import { parseThreshold } from '../report/thresholds/parse.js';
import { describeField } from '../scenario/field-sources.js';
import type { LoadedScenario } from '../scenario/loader.js';
import { scenarioError } from '../scenario/scenario-error.js';
import { THRESHOLDS_FIELD } from '../scenario/threshold-list.js';
import { TRANSPORT_NAMES } from '../transports/registry.js';
import { offers, REFERENCE_KIND, type ServerKind } from '../profiles/registry.js';

export interface ThresholdOptions {
  thresholds: AbsoluteThreshold[];
  /** Said on stderr before measuring: thresholds that will not be judged, and why. */
  notices: string[];
}

/**
 * `run`'s thresholds: every `--threshold`, which replace the scenario file's `thresholds:` as any
 * flag replaces its field; else the file's. Each is checked before anything runs, the technique
 * it names included, and an error names the flag or the file and item, the part that is wrong
 * and what was expected there.
 */
export function runThresholds(
  flagged: readonly string[] | undefined,
  loaded: LoadedScenario,
  shard: Shard | undefined,
  /** The kinds of server the run measures: a `PROFILE/` prefix must name one, and a named technique be offered. */
  servers: readonly ServerKind[] = [REFERENCE_KIND],
): ThresholdOptions {
  const fromFlags = flagged !== undefined && flagged.length > 0;
  if (shard !== undefined) {
    if (fromFlags)
      throw new ImBenchError(
        'IMB_ERR_INVALID_OPTION',
        `--threshold: not with --shard: a shard measures a slice of the clients, not the run a threshold judges`,
      );
    return { thresholds: [], notices: ignored(loaded, 'a shard measures a slice of the clients') };
  }
  const expressions = fromFlags ? flagged : (loaded.thresholds ?? []);
  const source: ThresholdSource = fromFlags ? 'flag' : 'scenario';
  return {
    thresholds: expressions.map((expression, i) => checked(expression, i, source, loaded, servers)),
    notices: [],
  };
}

/** `sweep` judges no threshold (it has no `--threshold`): a scenario file's are announced and left aside. */
export function sweepThresholds(loaded: LoadedScenario): ThresholdOptions {
  return { thresholds: [], notices: ignored(loaded, 'sweep judges none; im-bench run does') };
}

function ignored(loaded: LoadedScenario, why: string): string[] {
  const count = loaded.thresholds?.length ?? 0;
  if (count === 0) return [];
  return [`${loaded.sources.file}: ${THRESHOLDS_FIELD}: ${count} left unjudged: ${why}`];
}

function checked(
  expression: string,
  index: number,
  source: ThresholdSource,
  loaded: LoadedScenario,
  servers: readonly ServerKind[],
): AbsoluteThreshold {
  const fail = (problem: string): ImBenchError =>
    source === 'flag'
      ? new ImBenchError('IMB_ERR_INVALID_OPTION', `--threshold '${expression}': ${problem}`)
      : scenarioError(`${loaded.sources.file}: ${THRESHOLDS_FIELD}[${index}]: "${expression}": ${problem}`);
  const parsed = parseThreshold(expression, TRANSPORT_NAMES);
  if (!parsed.ok) throw fail(parsed.problem);
  const { transport, profile } = parsed.value;
  const names = servers.map((server) => server.name);
  const named = profile === undefined ? servers : servers.filter((server) => server.name === profile);
  if (named.length === 0)
    throw fail(`server "${profile}" is not in this run: it measures ${names.join(', ')} (--server)`);
  if (transport !== null && !named.some((server) => offers(server, transport)))
    throw fail(`technique "${transport}" is not offered by ${named.map((server) => server.name).join(' or ')}`);
  if (transport !== null && !loaded.scenario.transports.includes(transport)) {
    const run = describeField(loaded.scenario, loaded.sources, 'transports');
    throw fail(`technique "${transport}" is not in this run: ${run}`);
  }
  return { ...parsed.value, source };
}
