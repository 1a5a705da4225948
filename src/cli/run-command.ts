import { EXIT_CODES, type ExitCode } from '../core/constants.js';
import { run } from '../harness/run.js';
import { sweep } from '../harness/sweep.js';
import { render, writeOutputs, type OutputFormat } from '../report/output.js';
import type { SweepParameter } from '../report/sweep.js';
import type { Scenario } from '../scenario/types.js';
import { inSession } from './session.js';

export interface RunCommandOptions {
  scenario: Scenario;
  repeat: number;
  pin: 'auto' | 'off';
  format: OutputFormat;
  outs: string[];
  quiet: boolean;
}

export interface SweepCommandOptions extends RunCommandOptions {
  parameter: SweepParameter;
  values: number[];
}

/** `im-bench run`: the library's run(), its document printed and written as it grows. */
export async function runCommand(options: RunCommandOptions): Promise<ExitCode> {
  const result = await inSession(options.quiet, (session) =>
    run({ ...options, ...session, onTransportDone: (partial) => writeOutputs(partial, options.outs) }),
  );
  await writeOutputs(result, options.outs);
  process.stdout.write(render(result, options.format));
  return result.aborted ? EXIT_CODES.aborted : EXIT_CODES.ok;
}

/** `im-bench sweep`: the library's sweep(), likewise. */
export async function sweepCommand(options: SweepCommandOptions): Promise<ExitCode> {
  const result = await inSession(options.quiet, (session) =>
    sweep({ ...options, ...session, onValueDone: (partial) => writeOutputs(partial, options.outs) }),
  );
  await writeOutputs(result, options.outs);
  process.stdout.write(render(result, options.format));
  return result.aborted ? EXIT_CODES.aborted : EXIT_CODES.ok;
}
