import { formatNumber, formatTrimmed } from '../format.js';

export interface Tick {
  value: number;
  label: string;
}

/** Where an axis runs and what it marks; `minor` ticks get a faint gridline and no label. */
export interface AxisTicks {
  domain: readonly [number, number];
  ticks: readonly Tick[];
  minor: readonly number[];
}

const EPSILON = 1e-9;

/** m × 10^k written through a string, so 2 × 10^-1 is exactly 0.2. */
function decimal(mantissa: number, exponent: number): number {
  return Number(`${mantissa}e${exponent}`);
}

/** The smallest 1, 2 or 5 × 10^k at or above `value` (> 0). */
function niceCeil(value: number): number {
  const exponent = Math.floor(Math.log10(value));
  const mantissa = value / decimal(1, exponent);
  const nice = [1, 2, 5, 10].find((m) => mantissa <= m + EPSILON) ?? 10;
  return decimal(nice, exponent);
}

/** The largest 1, 2 or 5 × 10^k at or below `value` (> 0). */
function niceFloor(value: number): number {
  const exponent = Math.floor(Math.log10(value));
  const mantissa = value / decimal(1, exponent);
  const nice = [5, 2, 1].find((m) => mantissa >= m - EPSILON) ?? 1;
  return decimal(nice, exponent);
}

/** About `count` evenly spaced ticks at round numbers covering [min, max]. */
export function linearTicks(min: number, max: number, count = 5): AxisTicks {
  if (!(max > min)) max = min === 0 ? 1 : min + Math.abs(min);
  const step = niceCeil((max - min) / count);
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + EPSILON));
  const low = Math.floor(min / step + EPSILON) * step;
  const high = Math.ceil(max / step - EPSILON) * step;
  const ticks: Tick[] = [];
  for (let i = 0; low + i * step <= high + step * EPSILON; i++) {
    const value = Number((low + i * step).toFixed(decimals));
    ticks.push({ value, label: formatNumber(value, decimals) });
  }
  return { domain: [low, high], ticks, minor: [] };
}

/**
 * Ticks on a log axis covering [min, max] (both > 0). Over two decades or less: labelled at 1, 2
 * and 5 × 10^k. Over more: at powers of ten, and at the axis' ends when they are not crowded
 * against one. Faint lines at the other integers.
 */
export function logTicks(min: number, max: number): AxisTicks {
  if (!(max > min)) max = min * 10;
  const low = niceFloor(min);
  const high = niceCeil(max);
  const wide = Math.log10(high / low) > 2 + EPSILON;
  const ticks: Tick[] = [];
  const minor: number[] = [];
  for (let exponent = Math.floor(Math.log10(low)); decimal(1, exponent) <= high * (1 + EPSILON); exponent++) {
    for (let mantissa = 1; mantissa <= 9; mantissa++) {
      const value = decimal(mantissa, exponent);
      if (value < low * (1 - EPSILON) || value > high * (1 + EPSILON)) continue;
      const labelled = mantissa === 1 || (!wide && (mantissa === 2 || mantissa === 5));
      if (labelled) ticks.push({ value, label: formatTrimmed(value, 6) });
      else minor.push(value);
    }
  }
  if (wide) {
    const roomy = (end: number): boolean => ticks.every((tick) => Math.abs(Math.log10(tick.value / end)) >= 0.35);
    if (roomy(low)) ticks.unshift({ value: low, label: formatTrimmed(low, 6) });
    if (roomy(high)) ticks.push({ value: high, label: formatTrimmed(high, 6) });
  }
  return { domain: [low, high], ticks, minor: minor.filter((value) => !ticks.some((tick) => tick.value === value)) };
}
