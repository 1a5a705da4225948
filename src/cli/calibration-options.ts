import { invalidOption } from '../core/errors.js';
import type { Calibration } from '../document/result.js';
import type { TransportName } from '../document/scenario.js';
import { formatDuration, missingUnit, parseDuration, parseDurationMicros } from '../scenario/duration.js';
import { TRANSPORT_NAMES } from '../transports/registry.js';

/** Far beyond any calibration: a longer hold or burn would only make the server look dead. */
const MAX_DELAY_MS = 60_000;
const MAX_CPU_MICROS = 1_000_000;

const CPU_EXPECTED = 'a duration such as 3us, 2.5us or 1ms (up to 1s)';

/** `--calibrate-delay 40ms`: whole milliseconds, the resolution of the timer that holds each publish. */
export function parseCalibrateDelay(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms > MAX_DELAY_MS) {
    const hint = missingUnit(value);
    const range = `a duration from 0 to ${formatDuration(MAX_DELAY_MS)}, such as 20ms`;
    throw invalidOption('--calibrate-delay', value, hint === undefined ? range : `${range} (${hint})`);
  }
  return ms;
}

/** `serve --calibrate-cpu 2.5us`: one duration, in µs. */
export function parseCalibrateCpu(value: string, flag = '--calibrate-cpu'): number {
  const micros = parseDurationMicros(value);
  if (micros === undefined || micros > MAX_CPU_MICROS) {
    const hint = missingUnit(value, 'us, ms or s');
    throw invalidOption(flag, value, hint === undefined ? CPU_EXPECTED : `${CPU_EXPECTED} (${hint})`);
  }
  return micros;
}

/**
 * `run --calibrate-cpu [TECHNIQUE=]DURATION[,TECHNIQUE=DURATION...]`: µs per delivered copy for each
 * of `techniques`. A bare duration applies to every technique; a technique not listed gets 0.
 */
export function parseCalibrateCpuList(value: string, techniques: readonly TransportName[]): Record<string, number> {
  const perTechnique: Record<string, number> = Object.fromEntries(techniques.map((name) => [name, 0]));
  const items = value.split(',').map((item) => item.trim());
  const expected = `[TECHNIQUE=]DURATION[,TECHNIQUE=DURATION...] with TECHNIQUE one of ${TRANSPORT_NAMES.join(', ')} and DURATION ${CPU_EXPECTED}`;
  if (items.length > 1 && items.some((item) => !item.includes('=')))
    throw invalidOption('--calibrate-cpu', value, `${expected}; a bare duration stands alone`);
  for (const item of items) {
    const split = item.indexOf('=');
    const [name, amount] = split === -1 ? [undefined, item] : [item.slice(0, split), item.slice(split + 1)];
    if (name !== undefined && !TRANSPORT_NAMES.includes(name.trim() as TransportName))
      throw invalidOption('--calibrate-cpu', value, expected);
    const micros = parseDurationMicros(amount!);
    if (micros === undefined || micros > MAX_CPU_MICROS) {
      const hint = missingUnit(amount!.trim(), 'us, ms or s');
      throw invalidOption('--calibrate-cpu', value, hint === undefined ? expected : `${expected} (${hint})`);
    }
    if (name === undefined) for (const technique of techniques) perTechnique[technique] = micros;
    else if (techniques.includes(name.trim() as TransportName)) perTechnique[name.trim()] = micros;
  }
  return perTechnique;
}

/**
 * What `run` records and passes to the servers it starts; undefined when nothing slows them.
 * Refused with `--target`: im-bench does not start that server, so it cannot slow it.
 */
export function calibrationFromFlags(
  flags: { calibrateDelay?: string; calibrateCpu?: string; target?: string },
  techniques: readonly TransportName[],
): Calibration | undefined {
  const given = flags.calibrateDelay !== undefined ? 'delay' : flags.calibrateCpu !== undefined ? 'cpu' : undefined;
  if (given === undefined) return undefined;
  if (flags.target !== undefined) {
    const value = given === 'delay' ? flags.calibrateDelay : flags.calibrateCpu;
    throw invalidOption(
      `--calibrate-${given}`,
      value,
      'no --target with it: im-bench can only slow a server it starts',
    );
  }
  const delayMs = flags.calibrateDelay === undefined ? 0 : parseCalibrateDelay(flags.calibrateDelay);
  const cpuMicrosPerCopy = parseCalibrateCpuList(flags.calibrateCpu ?? '0', techniques);
  const slowed = delayMs > 0 || Object.values(cpuMicrosPerCopy).some((micros) => micros > 0);
  return slowed ? { delayMs, cpuMicrosPerCopy } : undefined;
}
