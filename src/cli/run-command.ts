import { EXIT_CODES, type ExitCode } from '../core/constants.js';
import type { Ceilings } from '../harness/capacity/headroom.js';
import { run } from '../harness/run/run.js';
import { sweep } from '../harness/run/sweep.js';
import { OutputFiles } from '../report/output-files.js';
import { render, renderingOf, type OutputFormat } from '../report/output.js';
import type { Shard } from '../harness/run/shard.js';
import type { SweepParameter } from '../document/sweep.js';
import type { Scenario } from '../document/scenario.js';
import type { Calibration, PublishWait } from '../document/result.js';
import { inSession, type Session } from './session.js';
import { isSweep, type ResultDocument } from '../document/document-file.js';
import type { RunResult } from '../document/result.js';
import { unmeasuredTechniques } from '../document/unmeasured.js';

export interface RunCommandOptions {
  scenario: Scenario;
  target?: URL;
  /** Request ceilings for the polling techniques' headroom: a capacity document, or probe them first. */
  capacity?: Ceilings | 'probe';
  repeat: number;
  pin: 'auto' | 'off';
  publishWait: PublishWait;
  workers: number | 'auto';
  localAddresses: string[] | 'auto';
  shard?: Shard;
  /** The reference servers slowed on purpose, to calibrate compare (`--calibrate-*`); never with `target`. */
  calibration?: Calibration;
  format: OutputFormat;
  outs: string[];
  quiet: boolean;
}

export interface SweepCommandOptions extends RunCommandOptions {
  parameter: SweepParameter;
  values: number[];
}

/**
 * Measures inside a terminal session, writing the document to every --out as it grows, then
 * prints it. An --out that fails to be written stops nothing: the document goes to a fallback
 * file, and the command ends with exit 4 naming both, after printing the document.
 */
async function measureAndReport<T extends ResultDocument>(
  options: RunCommandOptions,
  measure: (session: Session, onPartial: (partial: T) => Promise<void>) => Promise<T>,
): Promise<ExitCode> {
  const outputs = new OutputFiles(options.outs, 'result');
  const result = await inSession(options.quiet, (session) =>
    measure(session, async (partial) => {
      for (const warning of await outputs.write(renderingOf(partial))) session.onWarning(warning);
    }),
  );
  await outputs.write(renderingOf(result));
  process.stdout.write(render(result, options.format));
  const unmeasured = result.aborted ? [] : runsOf(result).flatMap(unmeasuredTechniques);
  for (const { transport, reason } of unmeasured)
    process.stderr.write(`warning: ${transport} measured nothing: ${reason}\n`);
  // Precedence (docs/exit-codes.md): a report not written (4), then aborted (3), then measured nothing (5).
  outputs.finish();
  if (result.aborted) return EXIT_CODES.aborted;
  return unmeasured.length > 0 ? EXIT_CODES.measuredNothing : EXIT_CODES.ok;
}

function runsOf(document: ResultDocument): readonly RunResult[] {
  return isSweep(document) ? document.runs : [document];
}

/** `im-bench run`: the library's run(), its document printed and written as it grows. */
export function runCommand(options: RunCommandOptions): Promise<ExitCode> {
  return measureAndReport(options, (session, onTransportDone) => run({ ...options, ...session, onTransportDone }));
}

/** `im-bench sweep`: the library's sweep(), likewise. */
export function sweepCommand(options: SweepCommandOptions): Promise<ExitCode> {
  return measureAndReport(options, (session, onValueDone) => sweep({ ...options, ...session, onValueDone }));
}
