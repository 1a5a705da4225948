import { EXIT_CODES, type ExitCode } from '../core/constants.js';
import { run } from '../harness/run.js';
import { serialize as serializeJson } from '../report/exporters/json.js';
import { serialize as serializeTable } from '../report/exporters/table.js';
import { writeReport } from '../report/result-file.js';
import type { Scenario } from '../scenario/types.js';
import { ProgressDisplay } from './progress-display.js';

export interface RunCommandOptions {
  scenario: Scenario;
  pin: 'auto' | 'off';
  json: boolean;
  out: string | undefined;
  quiet: boolean;
}

/**
 * `im-bench run`: the library's run() with a terminal around it. The first SIGINT/SIGTERM
 * stops the run and prints what was measured; a second exits at once.
 */
export async function runCommand(options: RunCommandOptions): Promise<ExitCode> {
  const stop = new AbortController();
  const onSignal = (): void => {
    if (stop.signal.aborted) process.exit(EXIT_CODES.aborted);
    process.stderr.write('\nstopping: finishing the current technique; press Ctrl-C again to quit at once\n');
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = ProgressDisplay.forStderr(options.quiet);
  try {
    const result = await run({
      scenario: options.scenario,
      pin: options.pin,
      signal: stop.signal,
      onProgress: (update) => progress?.update(update),
      onWarning: (warning) => {
        progress?.clear();
        process.stderr.write(`warning: ${warning}\n`);
      },
      onTransportDone: options.out === undefined ? undefined : (partial) => writeReport(options.out!, serializeJson(partial)),
    });
    progress?.clear();
    process.stdout.write(options.json ? serializeJson(result) : serializeTable(result));
    return result.aborted ? EXIT_CODES.aborted : EXIT_CODES.ok;
  } finally {
    progress?.clear();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
