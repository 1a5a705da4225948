import { ImBenchError } from '../core/errors.js';

/** IMB_ERR_INVALID_SCENARIO (exit 2): the message names the file, the field and what was wrong. */
export function scenarioError(message: string, cause?: unknown): ImBenchError {
  return new ImBenchError('IMB_ERR_INVALID_SCENARIO', message, cause === undefined ? undefined : { cause });
}

export { showValue } from '../core/show-value.js';
