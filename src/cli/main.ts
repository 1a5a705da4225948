import { CommanderError } from 'commander';
import { EXIT_CODES } from '../core/constants.js';
import { ImBenchError } from '../core/errors.js';
import { installSignalHandling } from '../core/signals.js';
import { serve } from '../server/serve.js';
import { builtInScenarioText, listScenarios } from '../scenario/loader.js';
import { TRANSPORT_NAMES } from '../transports/registry.js';
import { capacityCommand } from './capacity-command.js';
import { compareCommand } from './compare-command.js';
import { mergeCommand } from './merge-command.js';
import {
  capacityOptionsFromFlags,
  runOptionsFromFlags,
  serveOptionsFromFlags,
  sweepOptionsFromFlags,
} from './options.js';
import { reportCommand } from './report-command.js';
import { runCommand, sweepCommand } from './run-command.js';
import { formatScenarioList } from './scenario-list.js';
import { buildProgram } from './program.js';

/**
 * A reader that stopped reading (`im-bench run --help | head`): what is left to print goes
 * nowhere, and the command ends as it would have, without an EPIPE stack trace.
 */
function endQuietlyOnClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
}

/** The only place that prints `Error:` and decides the exit code. */
export async function main(argv: readonly string[]): Promise<void> {
  endQuietlyOnClosedPipes();
  // Before anything can wait: a signal while options are read or a server starts is then an
  // abort (exit 3, temporary files and children cleaned up), not the signal's own death.
  installSignalHandling();
  const program = buildProgram(
    {
      serve: (flags) =>
        serve(serveOptionsFromFlags(flags), { json: flags.json === true, write: (line) => process.stdout.write(line) }),
      run: async (flags) => runCommand(await runOptionsFromFlags(flags)),
      sweep: async (flags) => sweepCommand(await sweepOptionsFromFlags(flags)),
      capacity: async (flags) => capacityCommand(capacityOptionsFromFlags(flags)),
      report: reportCommand,
      compare: async (base, head, flags) => compareCommand(base, head, flags),
      merge: mergeCommand,
      scenarios: async (name) => {
        process.stdout.write(
          name === undefined
            ? formatScenarioList(await listScenarios(TRANSPORT_NAMES), TRANSPORT_NAMES)
            : await builtInScenarioText(name),
        );
        return EXIT_CODES.ok;
      },
    },
    (code) => (process.exitCode = code),
  );
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has already printed its message (or the help / version asked for).
      process.exitCode = error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    } else if (error instanceof ImBenchError) {
      process.stderr.write(`Error: ${error.message}\n`);
      process.exitCode = error.exitCode;
    } else {
      process.stderr.write(`Error: unexpected failure: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = EXIT_CODES.runFailed;
    }
  }
}
