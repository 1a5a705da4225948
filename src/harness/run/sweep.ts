import { finishHeader, startHeader } from '../../document/header.js';
import { addSweepRun, SWEEP_SCHEMA, type SweepParameter, type SweepResult } from '../../document/sweep.js';
import type { Scenario } from '../../document/scenario.js';
import { deploymentOf, describeEnvironment } from '../machine/environment.js';
import { resolveCeilings } from '../capacity/headroom.js';
import { planPlacement } from '../machine/placement.js';
import { prepareGenerator, run, type RunOptions } from './run.js';
import { overTls } from './deployment-checks.js';

export interface SweepOptions extends Omit<RunOptions, 'onTransportDone'> {
  parameter: SweepParameter;
  values: readonly number[];
  /** Called after each value with the document so far. */
  onValueDone?: (partial: SweepResult) => void | Promise<void>;
}

const PROPERTY: Record<SweepParameter, 'clients' | 'rate'> = { clients: 'clients', rate: 'rate' };

/** `im-bench sweep`: the scenario at each value of one parameter, every technique at each, one document. */
export async function sweep(options: SweepOptions): Promise<SweepResult> {
  const { scenario, parameter, values } = options;
  const placement = planPlacement(options.pin ?? 'auto');
  // The largest point is checked before the first one runs.
  if (parameter === 'clients')
    prepareGenerator({ ...options, scenario: { ...scenario, clients: Math.max(...values) } }, placement);
  const result: SweepResult = {
    ...startHeader(SWEEP_SCHEMA, {
      ...describeEnvironment(placement, options.target ?? null),
      deployment: deploymentOf(overTls(options), options.http2, options.via),
    }),
    scenario: { ...scenario, [PROPERTY[parameter]]: values[0] },
    parameter,
    values: [...values],
    series: {},
    runs: [],
  };
  // A probe measures the server, not the scenario: once serves every value.
  const ceilings =
    options.capacity === 'probe' && options.target === undefined
      ? await resolveCeilings({
          capacity: 'probe',
          transports: scenario.transports,
          pin: options.pin,
          signal: options.signal,
          onWarning: options.onWarning,
        })
      : undefined;
  const capacity = ceilings ?? options.capacity;
  for (const value of values) {
    if (options.signal?.aborted === true) break;
    const point: Scenario = { ...scenario, [PROPERTY[parameter]]: value };
    const measured = await run({ ...options, scenario: point, ...(capacity === undefined ? {} : { capacity }) });
    addSweepRun(result, value, measured);
    // Marked aborted until the last value is done, like a run's document.
    finishHeader(result, true);
    await options.onValueDone?.(result);
  }
  finishHeader(
    result,
    options.signal?.aborted === true || result.runs.length < values.length || result.runs.some((run) => run.aborted),
  );
  return result;
}
