import { invalidOption } from '../core/errors.js';

const INTEGER = /^\d+$/;

/** A whole number from `min` to `max` given to `flag`; refused naming the flag and the range. */
export function parseInteger(flag: string, value: string, min: number, max: number): number {
  const n = INTEGER.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max)) throw invalidOption(flag, value, `an integer from ${min} to ${max}`);
  return n;
}

/** A probability strictly between 0 and 1 (`--alpha 0.05`). */
export function parseProbability(flag: string, value: string): number {
  const n = /^(0?\.\d+|0|1)$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!(n > 0 && n < 1)) throw invalidOption(flag, value, 'a probability between 0 and 1, such as 0.05');
  return n;
}
