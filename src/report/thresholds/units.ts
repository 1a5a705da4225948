import type { FigureName, FigureUnit } from '../../document/comparison.js';

/** A kind of quantity, and the units a threshold may write it in, each as a multiple of the kind's base. */
interface UnitKind {
  /** `p99 is a time`. */
  noun: string;
  units: Readonly<Record<string, number>>;
  /** The units to suggest, in order (aliases such as µs left out). */
  shown: readonly string[];
}

// Bytes: KB and MB are decimal, KiB and MiB binary, as their names say.
const TIME: UnitKind = { noun: 'a time', units: { us: 0.001, µs: 0.001, ms: 1, s: 1000 }, shown: ['us', 'ms', 's'] };
const BYTES: UnitKind = {
  noun: 'a size',
  units: { B: 1, KB: 1000, KiB: 1024, MB: 1_000_000, MiB: 1024 * 1024 },
  shown: ['B', 'KB', 'KiB', 'MB', 'MiB'],
};
const RATE: UnitKind = { noun: 'a rate', units: { 'msg/s': 1 }, shown: ['msg/s'] };
const COUNT: UnitKind = { noun: 'a count', units: {}, shown: [] };

/** Each figure unit: its kind, and its own size in the kind's base. */
const OF_UNIT: Readonly<Record<FigureUnit, { kind: UnitKind; size: number }>> = {
  ms: { kind: TIME, size: 1 },
  µs: { kind: TIME, size: 0.001 },
  B: { kind: BYTES, size: 1 },
  'msg/s': { kind: RATE, size: 1 },
  req: { kind: COUNT, size: 1 },
  copies: { kind: COUNT, size: 1 },
};

function list(units: readonly string[]): string {
  return units.length === 1 ? units[0]! : `${units.slice(0, -1).join(', ')} or ${units.at(-1)}`;
}

/** What a figure's values may be written in: `us, ms or s (a bare number is ms)`. */
function unitsThatFit(unit: FigureUnit): string {
  const { kind } = OF_UNIT[unit];
  if (kind === COUNT) return 'a bare number';
  return `${list(kind.shown)} (a bare number is ${unit})`;
}

/**
 * How many of the figure's own unit one `written` makes (1000 for `s` on a figure in ms), or a
 * problem saying which units fit. An empty `written` is the figure's own unit.
 */
export function unitFactor(
  figure: FigureName,
  unit: FigureUnit,
  written: string,
): { ok: true; factor: number } | { ok: false; problem: string } {
  if (written === '') return { ok: true, factor: 1 };
  const { kind, size } = OF_UNIT[unit];
  const multiple = kind.units[written];
  if (multiple !== undefined) return { ok: true, factor: multiple / size };
  const use = kind === COUNT ? 'write a bare number' : `use ${unitsThatFit(unit)}`;
  return { ok: false, problem: `unit "${written}" — ${figure} is ${kind.noun}, ${use}` };
}
