import { ImBenchError, invalidOption } from '../core/errors.js';

/** The flag a journal's path comes from; configuration errors name it. */
export const JOURNAL_FLAG = '--journal';

/** A publish the journal could not take because the server is closing. */
export class JournalClosed extends Error {
  constructor() {
    super('the server is shutting down: its journal is closed');
    this.name = 'JournalClosed';
  }
}

/**
 * A publish the journal could not write (a full disk, an I/O error). Nothing was stored and no
 * seq was taken; the journal tries again on the next publish.
 */
export class JournalUnwritable extends Error {
  constructor(reason: string) {
    super(
      `the server's journal cannot be written (${reason}): nothing was stored, and publishes are refused until it can be written again`,
    );
    this.name = 'JournalUnwritable';
  }
}

/** A journal whose content the server did not write: the message names the line and how to get going again. */
export function damaged(path: string, problem: string): ImBenchError {
  return new ImBenchError('IMB_ERR_JOURNAL', `journal ${path}: ${problem}; move it aside to start a new log`);
}

/** A journal path that cannot be one: a configuration error (exit 2) naming the flag, the path and what would do. */
export function badJournalPath(path: string, expected: string): ImBenchError {
  return invalidOption(JOURNAL_FLAG, path, expected);
}

export { describeSystemError } from '../core/system-error.js';
