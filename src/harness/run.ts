import { invalidOption } from '../core/errors.js';
import { VERSION } from '../core/version.js';
import { RESULT_SCHEMA, type RunResult, type TransportResult } from '../report/result.js';
import type { Scenario } from '../scenario/types.js';
import { getTransport } from '../transports/registry.js';
import type { TransportName } from '../transports/transport.js';
import { describeEnvironment } from './environment.js';
import { resolveCeilings, withHeadroom, type Ceilings } from './headroom.js';
import { measureTransport } from './measure-transport.js';
import { pinProcess, planPlacement, serverPinPrefix } from './placement.js';
import { checkCapacity, serverSpawnPrefix } from './preflight.js';
import type { Progress } from './progress.js';

export interface RunOptions {
  scenario: Scenario;
  /** Drive this server (checked with checkTarget) instead of a fresh reference server per technique. */
  target?: URL;
  /** Runs of each technique; with more than one the result keeps every repetition. Default 1. */
  repeat?: number;
  /** `auto`: server on one core, generator on the rest, where taskset exists. */
  pin?: 'auto' | 'off';
  /**
   * The reference server's request ceilings (an `im-bench capacity` document, with `source:
   * 'file'`), or `probe` to measure them before the run: polling techniques then carry their
   * headroom. Not with `target`: the ceilings are the reference server's.
   */
  capacity?: Ceilings | 'probe';
  /** Aborting stops the run; techniques measured so far are returned, with `aborted: true`. */
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  onWarning?: (warning: string) => void;
  /** Called after each measurement with the document so far (marked aborted until complete), so a later failure loses nothing. */
  onTransportDone?: (partial: RunResult) => void | Promise<void>;
}

/**
 * The complete repetition with the median p99 (the lower middle one for an even count) stands
 * for them all; one cut short by an interruption stands only when there is no other.
 */
function representative(repetitions: readonly TransportResult[]): TransportResult {
  const complete = repetitions.filter((repetition) => !repetition.partial);
  const byP99 = [...(complete.length > 0 ? complete : repetitions)].sort((a, b) => a.latency.p99 - b.latency.p99);
  const median = byP99[Math.floor((byP99.length - 1) / 2)]!;
  return repetitions.length > 1 ? { ...median, repetitions: [...repetitions] } : median;
}

/**
 * `im-bench run` as a library call: each technique of the scenario against a fresh reference
 * server process. With `repeat`, whole rounds of all techniques follow each other, so drift in
 * the machine's state spreads over every technique alike. The CLI is a thin layer over this.
 */
export async function run(options: RunOptions): Promise<RunResult> {
  const { scenario } = options;
  const repeat = options.repeat ?? 1;
  const signal = options.signal ?? new AbortController().signal;
  if (options.capacity !== undefined && options.target !== undefined) {
    throw invalidOption('capacity', options.target.origin, 'no target: the ceilings are those of the reference server');
  }
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
    repeat,
    environment: describeEnvironment(placement, options.target ?? null),
    scenario,
    transports: [],
  };
  const ceilings =
    options.capacity === undefined
      ? undefined
      : await resolveCeilings({ capacity: options.capacity, transports: scenario.transports, pin: options.pin, signal, onWarning: options.onWarning });
  const serverPrefix = [...serverSpawnPrefix(capacity, scenario.clients), ...serverPinPrefix(placement)];
  const measured = new Map<TransportName, TransportResult[]>(scenario.transports.map((name) => [name, []]));
  // Until run() returns, the document says `aborted`: a file written along the way, left by a
  // run that then failed, must not pass for a complete one.
  const update = (finished: boolean): void => {
    result.transports = [...measured.values()].filter((runs) => runs.length > 0).map(representative);
    result.aborted = signal.aborted || !finished;
    result.finishedAt = new Date().toISOString();
  };

  for (let round = 0; round < repeat && !signal.aborted; round++) {
    for (const name of scenario.transports) {
      if (signal.aborted) break;
      let outcome: TransportResult | undefined;
      try {
        outcome = await measureTransport(getTransport(name), scenario, {
          serverPrefix,
          target: options.target,
          signal,
          onProgress: options.onProgress,
          onWarning: options.onWarning,
        });
      } catch (error) {
        // Stopping can break a technique half-way; the ones measured before it still count.
        if (!signal.aborted) throw error;
        options.onWarning?.(`${name}: stopped before its figures were complete (${(error as Error).message})`);
      }
      if (outcome !== undefined) measured.get(name)!.push(withHeadroom(outcome, ceilings));
      update(false);
      await options.onTransportDone?.(result);
    }
  }
  update(true);
  return result;
}
