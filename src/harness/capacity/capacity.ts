import { finishHeader, startHeader } from '../../document/header.js';
import { CAPACITY_SCHEMA, type CapacityMeasurement, type CapacityResult } from '../../document/capacity.js';
import type { TransportName } from '../../document/scenario.js';
import { describeEnvironment } from '../machine/environment.js';
import { pinProcess, planPlacement, serverPinPrefix, type PinMode } from '../machine/placement.js';
import { checkCapacity, serverSpawnPrefix } from '../machine/preflight.js';
import { type CapacityProgress, measureTechnique, type TechniqueSettings } from './measure-technique.js';

export const DEFAULT_CAPACITY_CONNECTIONS = 100;
export const DEFAULT_CAPACITY_DURATION_MS = 5_000;
export const DEFAULT_CAPACITY_WARMUP_MS = 1_000;

export interface CapacityOptions {
  transports: readonly TransportName[];
  /** Keep-alive connections, each with one request in flight. Default 100. */
  connections?: number;
  /** Measured time per technique. Default 5 s. */
  durationMs?: number;
  /** Load before the measured time, left out of every figure, so the server's code is compiled hot. Default 1 s. */
  warmupMs?: number;
  /** `auto`: server on one core, generator on the rest, where taskset exists. */
  pin?: PinMode;
  /** Aborting stops the measurement; what was measured is returned, with `aborted: true`. */
  signal?: AbortSignal;
  onProgress?: (progress: CapacityProgress) => void;
  onWarning?: (warning: string) => void;
  /** Called after each technique with the document so far (marked aborted until complete). */
  onTechniqueDone?: (partial: CapacityResult) => void | Promise<void>;
}

/**
 * `im-bench capacity` as a library call: each polling endpoint of a fresh reference server
 * process, driven by autocannon (closed loop: every connection sends its next request when the
 * last is answered) for a fixed time. The rate it reaches is the server's request ceiling for
 * that technique on this machine.
 */
export async function measureCapacity(options: CapacityOptions): Promise<CapacityResult> {
  const connections = options.connections ?? DEFAULT_CAPACITY_CONNECTIONS;
  const signal = options.signal ?? new AbortController().signal;
  // autocannon holds every connection in this one process, from one address.
  const limits = checkCapacity({
    clients: connections,
    workers: 1,
    sourceAddresses: 1,
    localServer: true,
    flag: '--connections',
    singleProcess: true,
  });
  const placement = planPlacement(options.pin ?? 'auto');
  if (placement !== null && !pinProcess(process.pid, placement.generator)) {
    options.onWarning?.(
      `could not pin the generator to CPUs ${placement.generator}; it shares every core with the server`,
    );
  }
  const settings: TechniqueSettings = {
    connections,
    durationMs: options.durationMs ?? DEFAULT_CAPACITY_DURATION_MS,
    warmupMs: options.warmupMs ?? DEFAULT_CAPACITY_WARMUP_MS,
    serverPrefix: [...serverSpawnPrefix(limits, connections), ...serverPinPrefix(placement)],
    signal,
    onProgress: options.onProgress,
  };
  const result: CapacityResult = {
    ...startHeader(CAPACITY_SCHEMA, describeEnvironment(placement)),
    settings: { connections, durationMs: settings.durationMs, warmupMs: settings.warmupMs },
    techniques: [],
  };
  for (const transport of options.transports) {
    if (signal.aborted) break;
    let measured: CapacityMeasurement | undefined;
    try {
      measured = await measureTechnique(transport, settings);
    } catch (error) {
      // Stopping can break a technique half-way; the ones measured before it still count.
      if (!signal.aborted) throw error;
      options.onWarning?.(`${transport}: stopped before its figures were complete (${(error as Error).message})`);
    }
    if (measured !== undefined) result.techniques.push(measured);
    finishHeader(result, true);
    await options.onTechniqueDone?.(result);
  }
  finishHeader(result, signal.aborted);
  return result;
}
