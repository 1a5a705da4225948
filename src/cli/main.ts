import { CommanderError } from 'commander';
import { EXIT_CODES } from '../core/constants.js';
import { ImBenchError } from '../core/errors.js';
import { handleSignals, installSignalHandling } from '../core/signals.js';
import { TRANSPORT_NAMES } from '../transports/registry.js';
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
  // Each command loads what it needs when it runs: a server im-bench starts per technique
  // (`serve`) then starts in about half the time the whole CLI took to load.
  const program = buildProgram(
    {
      serve: async (flags) => {
        // A signal while serve loads stops it as one before it is ready does: exit 0, no ready line.
        let stopped = false;
        const release = handleSignals(() => (stopped = true));
        const [{ serve }, { serveOptionsFromFlags }] = await Promise.all([
          import('../server/serve.js'),
          import('./serve-flags.js'),
        ]).finally(release);
        if (stopped) return EXIT_CODES.ok;
        return serve(serveOptionsFromFlags(flags), {
          json: flags.json === true,
          write: (line) => process.stdout.write(line),
        });
      },
      run: async (flags) => {
        const [{ runCommand }, { runOptionsFromFlags }] = await Promise.all([
          import('./run-command.js'),
          import('./options.js'),
        ]);
        return runCommand(await runOptionsFromFlags(flags));
      },
      sweep: async (flags) => {
        const [{ sweepCommand }, { sweepOptionsFromFlags }] = await Promise.all([
          import('./run-command.js'),
          import('./options.js'),
        ]);
        return sweepCommand(await sweepOptionsFromFlags(flags));
      },
      capacity: async (flags) => {
        const [{ capacityCommand }, { capacityOptionsFromFlags }] = await Promise.all([
          import('./capacity-command.js'),
          import('./options.js'),
        ]);
        return capacityCommand(capacityOptionsFromFlags(flags));
      },
      report: async (file, flags) => (await import('./report-command.js')).reportCommand(file, flags),
      compare: async (base, head, flags) => (await import('./compare-command.js')).compareCommand(base, head, flags),
      merge: async (files, flags) => (await import('./merge-command.js')).mergeCommand(files, flags),
      scenarios: async (name) => {
        const [{ builtInScenarioText, listScenarios }, { formatScenarioList }] = await Promise.all([
          import('../scenario/loader.js'),
          import('./scenario-list.js'),
        ]);
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
