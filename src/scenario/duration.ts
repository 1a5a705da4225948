const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
type Unit = keyof typeof UNIT_MS;

const DURATION = /^(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h)?$/;

/**
 * Milliseconds from a non-negative number (taken as ms) or a string such as `250ms`, `1.5s`,
 * `2m`, `1h` or `500` (ms); undefined when it is neither. Rounded to whole milliseconds,
 * the resolution of the timers that will use it (and so `1.1s` is 1100, not 1100.0000000000002).
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const match = DURATION.exec(value.trim());
  if (match === null) return undefined;
  const unit = (match[2] ?? 'ms') as Unit;
  return Math.round(Number(match[1]) * UNIT_MS[unit]);
}

/** The shortest exact spelling that `parseDuration` reads back: 250 → `250ms`, 1500 → `1.5s`, 120000 → `2m`. */
export function formatDuration(ms: number): string {
  if (ms >= UNIT_MS.h && ms % UNIT_MS.h === 0) return `${ms / UNIT_MS.h}h`;
  if (ms >= UNIT_MS.m && ms % UNIT_MS.m === 0) return `${ms / UNIT_MS.m}m`;
  if (ms >= UNIT_MS.s) return `${ms / UNIT_MS.s}s`;
  return `${ms}ms`;
}
