import type { TransportResult } from '../../document/result.js';
import type { FigureComparison, FigureName, MachineSpeed } from '../../document/comparison.js';
import { aggregateValues } from '../figure-summary.js';

/**
 * Beyond this share, the head's machine ran the same client work at another speed than the
 * base's. On the calibration's pairs the generator's cost per copy moved by −12 % to +13 %
 * between documents when only the server changed (bench/README.md, compare calibration), and by
 * +25 % and +56 % in two documents measured while the machine itself ran slower.
 */
export const MACHINE_TOLERANCE = 0.2;

/** Figures a slower machine moves by itself: how long things take, and how much CPU they take. */
const SPEED_BOUND: ReadonlySet<FigureName> = new Set<FigureName>([
  'min',
  'p50',
  'p90',
  'p99',
  'max',
  'cpu_per_msg',
  'connect_p99',
]);

/**
 * The load generator's own CPU per copy delivered in the window, µs, its spin-waits towards due
 * times left out (they take wall time, whatever the machine's speed). The clients do the same
 * work per copy whatever the server under test does with its CPU or its delay, so this moves
 * with the machine, not with the server.
 */
function generatorCost(run: TransportResult): number | null {
  const copies = run.delivery.deliveredInWindow;
  if (!(copies > 0) || !(run.windowSeconds > 0) || !(run.generator.cpuUtilization > 0)) return null;
  const busy = run.generator.cpuUtilization - (run.generator.spinUtilization ?? 0);
  return busy > 0 ? (busy * run.windowSeconds * 1e6) / copies : null;
}

function sideCost(runs: readonly TransportResult[]): number | null {
  return aggregateValues(
    runs.map(generatorCost).filter((cost): cost is number => cost !== null),
    'median',
  );
}

/** Head over base of the generator's cost per copy, the median over the techniques compared. */
export function machineSpeed(
  techniques: ReadonlyArray<{ base: readonly TransportResult[]; head: readonly TransportResult[] }>,
): MachineSpeed {
  const ratios: number[] = [];
  for (const { base, head } of techniques) {
    const [before, after] = [sideCost(base), sideCost(head)];
    if (before !== null && after !== null) ratios.push(after / before);
  }
  return { ratio: aggregateValues(ratios, 'median'), tolerance: MACHINE_TOLERANCE };
}

export function machineChanged(machine: MachineSpeed): boolean {
  return machine.ratio !== null && Math.abs(machine.ratio - 1) > machine.tolerance;
}

/**
 * With the machine's speed changed, a move in a figure that speed moves cannot be told from a
 * change in the server: a regression is left inconclusive, an improvement counts as none.
 */
export function setAsideForMachine(figure: FigureComparison, machine: MachineSpeed): FigureComparison {
  if (!machineChanged(machine) || !SPEED_BOUND.has(figure.figure)) return figure;
  if (figure.verdict === 'regressed')
    return { ...figure, verdict: 'inconclusive', repeatToDecide: null, machineRatio: machine.ratio! };
  if (figure.verdict === 'improved') return { ...figure, verdict: 'ok' };
  if (figure.verdict === 'inconclusive') return { ...figure, repeatToDecide: null, machineRatio: machine.ratio! };
  return figure;
}
