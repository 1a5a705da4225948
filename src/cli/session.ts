import { EXIT_CODES } from '../core/constants.js';
import { handleSignals } from '../core/signals.js';
import type { Progress } from '../harness/run/progress.js';
import { ProgressDisplay } from './progress-display.js';

export interface Session {
  signal: AbortSignal;
  onProgress: (progress: Progress) => void;
  /** A status line of free text, where the progress line goes. */
  onStatus: (text: string) => void;
  onWarning: (warning: string) => void;
  onPlan: (description: string) => void;
}

/**
 * A measurement with a terminal around it: a progress line on stderr (TTY only), warnings on
 * stderr, and signals. The first SIGINT, SIGTERM or SIGHUP stops the measurement so that what was measured
 * is still reported; a second exits at once (the process's exit backstops then remove its
 * temporary files and kill its child processes).
 */
export async function inSession<T>(quiet: boolean, body: (session: Session) => Promise<T>): Promise<T> {
  const stop = new AbortController();
  const onSignal = (): void => {
    if (stop.signal.aborted) process.exit(EXIT_CODES.aborted);
    process.stderr.write('\nstopping: finishing the current technique; press Ctrl-C again to quit at once\n');
    stop.abort();
  };
  const release = handleSignals(onSignal);
  const progress = ProgressDisplay.forStderr(quiet);
  try {
    return await body({
      signal: stop.signal,
      onProgress: (update) => progress?.update(update),
      onStatus: (text) => progress?.show(text),
      // Only where a person watches: a terminal, not --quiet.
      onPlan: (description) => {
        if (progress !== undefined) process.stderr.write(`${description}\n`);
      },
      onWarning: (warning) => {
        progress?.clear();
        process.stderr.write(`warning: ${warning}\n`);
      },
    });
  } finally {
    progress?.clear();
    release();
  }
}
