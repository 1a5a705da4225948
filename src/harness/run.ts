import { VERSION } from '../core/version.js';
import { RESULT_SCHEMA, type RunResult } from '../report/result.js';
import type { Scenario } from '../scenario/types.js';
import { getTransport } from '../transports/registry.js';
import { describeEnvironment } from './environment.js';
import { measureTransport } from './measure-transport.js';
import { pinProcess, planPlacement, serverPinPrefix } from './placement.js';
import { checkCapacity, serverSpawnPrefix } from './preflight.js';
import type { Progress } from './progress.js';

export interface RunOptions {
  scenario: Scenario;
  /** `auto`: server on one core, generator on the rest, where taskset exists. */
  pin?: 'auto' | 'off';
  /** Aborting stops the run; techniques measured so far are returned, with `aborted: true`. */
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  onWarning?: (warning: string) => void;
  /** Called after each technique with the document so far, so a later failure loses nothing. */
  onTransportDone?: (partial: RunResult) => void | Promise<void>;
}

/**
 * `im-bench run` as a library call: each technique of the scenario in turn, each against a
 * fresh reference server process. The CLI is a thin layer over this.
 */
export async function run(options: RunOptions): Promise<RunResult> {
  const { scenario } = options;
  const signal = options.signal ?? new AbortController().signal;
  const capacity = checkCapacity(scenario.clients);
  const placement = planPlacement(options.pin ?? 'auto');
  if (placement !== null && !pinProcess(process.pid, placement.generator)) {
    options.onWarning?.(`could not pin the generator to CPUs ${placement.generator}; it shares every core with the server`);
  }
  const result: RunResult = {
    schema: RESULT_SCHEMA,
    tool: { name: 'im-bench', version: VERSION },
    startedAt: new Date().toISOString(),
    finishedAt: '',
    aborted: false,
    environment: describeEnvironment(placement),
    scenario,
    transports: [],
  };
  const serverPrefix = [...serverSpawnPrefix(capacity, scenario.clients), ...serverPinPrefix(placement)];

  for (const name of scenario.transports) {
    if (signal.aborted) break;
    let measured;
    try {
      measured = await measureTransport(getTransport(name), scenario, {
        serverPrefix,
        signal,
        onProgress: options.onProgress,
        onWarning: options.onWarning,
      });
    } catch (error) {
      // Stopping can break a technique half-way; the ones measured before it still count.
      if (!signal.aborted) throw error;
      options.onWarning?.(`${name}: stopped before its figures were complete (${(error as Error).message})`);
    }
    if (measured !== undefined) result.transports.push(measured);
    result.aborted = signal.aborted;
    result.finishedAt = new Date().toISOString();
    await options.onTransportDone?.(result);
  }
  result.aborted = signal.aborted;
  result.finishedAt = new Date().toISOString();
  return result;
}
