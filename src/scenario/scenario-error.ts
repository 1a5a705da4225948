import { ImBenchError } from '../core/errors.js';

/** IMB_ERR_INVALID_SCENARIO (exit 2): the message names the file, the field and what was wrong. */
export function scenarioError(message: string, cause?: unknown): ImBenchError {
  return new ImBenchError('IMB_ERR_INVALID_SCENARIO', message, cause === undefined ? undefined : { cause });
}

const SHOWN_CHARACTERS = 80;

/**
 * A value from a file, as a message shows it: JSON, cut short. A hostile value (nested a
 * million deep, a megabyte long) must not make the message itself fail or fill the screen.
 */
export function showValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Array.isArray(value) ? 'a list nested too deep to show' : `a ${typeof value} too deep to show`;
  }
  return text.length <= SHOWN_CHARACTERS ? text : `${text.slice(0, SHOWN_CHARACTERS)}… (${text.length} characters)`;
}
