import { invalidOption } from '../core/errors.js';
import type { TransportName } from '../document/scenario.js';
import { formatDuration, missingUnit, parseDuration } from '../scenario/duration.js';
import { parseTechniqueList } from '../scenario/fields.js';
import { POLLING_TRANSPORTS, TRANSPORT_ALIASES, TRANSPORT_NAMES } from '../transports/registry.js';

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

function techniqueList(
  flag: string,
  value: string,
  techniques: readonly TransportName[],
  expected: string,
): TransportName[] {
  const parsed = parseTechniqueList(value, techniques, expected, TRANSPORT_ALIASES);
  if (!parsed.ok) throw invalidOption(flag, value, parsed.expected, parsed.meant);
  return parsed.value;
}

/** `all`, or a comma-separated list of the registry's techniques, in its order. */
export function parseTransports(flag: string, value: string): TransportName[] {
  return techniqueList(flag, value, TRANSPORT_NAMES, `all, or a comma-separated list of ${TRANSPORT_NAMES.join(', ')}`);
}

/** `all`, or a comma-separated list of the polling techniques, in their registry order. */
export function parsePollingTransports(flag: string, value: string): TransportName[] {
  const expected = `all, ${POLLING_TRANSPORTS.join(' or ')} (capacity measures the polling endpoints)`;
  return techniqueList(flag, value, POLLING_TRANSPORTS, expected);
}

/** A duration flag (`5s`, `500ms`, `1m`) within [minMs, maxMs]; a bare number other than 0 is told which unit to add. */
export function parseDurationFlag(flag: string, value: string, minMs: number, maxMs: number): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms < minMs || ms > maxMs) {
    const range = `a duration from ${minMs === 0 ? '0' : formatDuration(minMs)} to ${formatDuration(maxMs)}, such as 5s or 1500ms`;
    const hint = missingUnit(value);
    throw invalidOption(flag, value, hint === undefined ? range : `${range} (${hint})`);
  }
  return ms;
}
