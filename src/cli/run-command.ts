import type { ProxyKind } from '../document/header.js';
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
import type { AbsoluteThreshold, ThresholdCheck } from '../document/threshold-check.js';
import { failedThresholds, judgeThresholds } from '../report/thresholds/judge.js';
import { thresholdLines } from '../report/thresholds/describe.js';
import { inSession, type Session } from './session.js';
import { isSweep, type ResultDocument } from '../document/document-file.js';
import type { RunResult } from '../document/result.js';
import { unmeasuredTechniques } from '../document/unmeasured.js';
import type { ServerKind } from '../profiles/registry.js';

export interface RunCommandOptions {
  scenario: Scenario;
  /** The kinds of server measured (`--server`, or the `--profile` of the target); the reference server when absent. */
  servers?: ServerKind[];
  /** `--server-pid`: where the target's CPU and memory are read. */
  serverPids?: number[];
  /** `--server-workers`: `{{workers}}` of a profile's config. */
  serverWorkers?: number;
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
  /** `--tls`: every technique over TLS with a certificate made for the run. */
  tls?: boolean;
  /** `--http2`, `--h2-multiplex`: the HTTP techniques over HTTP/2, this many clients to a connection. */
  http2?: { multiplex: number };
  /** `--via`: nginx in front of the reference server. */
  via?: ProxyKind;
  format: OutputFormat;
  outs: string[];
  quiet: boolean;
  /** Judged once the run finished (`--threshold`, or the scenario file's); empty for none. */
  thresholds: AbsoluteThreshold[];
  /** Said on stderr before measuring. */
  notices: string[];
}

export interface SweepCommandOptions extends RunCommandOptions {
  parameter: SweepParameter;
  values: number[];
}

/**
 * Measures inside a terminal session, writing the document to every --out as it grows, then
 * judges its thresholds into it, writes it a last time and prints it. An --out that fails to be
 * written stops nothing: the document goes to a fallback file, and the command ends with exit 4
 * naming both, after printing the document.
 */
async function measureAndReport<T extends ResultDocument>(
  options: RunCommandOptions,
  measure: (session: Session, onPartial: (partial: T) => Promise<void>) => Promise<T>,
): Promise<ExitCode> {
  for (const notice of options.notices) process.stderr.write(`warning: ${notice}\n`);
  const outputs = new OutputFiles(options.outs, 'result');
  const result = await inSession(options.quiet, (session) =>
    measure(session, async (partial) => {
      for (const warning of await outputs.write(renderingOf(partial))) session.onWarning(warning);
    }),
  );
  const judged = judge(result, options.thresholds);
  await outputs.write(renderingOf(result));
  process.stdout.write(render(result, options.format));
  // The table shows them under it; a document on stdout stays nothing but the document.
  if (judged.length > 0 && options.format !== 'table') process.stderr.write(`${thresholdLines(judged).join('\n')}\n`);
  const unmeasured = result.aborted ? [] : runsOf(result).flatMap(unmeasuredTechniques);
  for (const { transport, reason } of unmeasured)
    process.stderr.write(`warning: ${transport} measured nothing: ${reason}\n`);
  // Precedence (docs/exit-codes.md): a report not written (4), aborted (3), measured nothing (5), a threshold failed (1).
  outputs.finish();
  if (result.aborted) return EXIT_CODES.aborted;
  if (unmeasured.length > 0) return EXIT_CODES.measuredNothing;
  return failedThresholds(judged).length > 0 ? EXIT_CODES.threshold : EXIT_CODES.ok;
}

/** A finished run's thresholds, judged into its document; an interrupted run's figures are not judged. */
function judge(result: ResultDocument, thresholds: readonly AbsoluteThreshold[]): ThresholdCheck[] {
  if (thresholds.length === 0 || isSweep(result)) return [];
  if (result.aborted) {
    process.stderr.write('warning: thresholds not judged: the run did not finish\n');
    return [];
  }
  result.thresholds = judgeThresholds(result, thresholds);
  return result.thresholds;
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
