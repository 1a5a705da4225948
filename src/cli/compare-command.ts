import type { ExitCode } from '../core/constants.js';
import { loadResult } from '../document/result-check.js';
import { compare } from '../report/compare/compare.js';
import * as json from '../report/compare/format-json.js';
import * as markdown from '../report/compare/format-markdown.js';
import * as table from '../report/compare/format-table.js';
import { parseThresholds } from '../report/compare/thresholds.js';
import { inconclusiveWarnings } from '../report/compare/describe.js';
import { parseProbability } from './flag-values.js';
import { TRANSPORT_NAMES } from '../transports/registry.js';
import type { CompareFlags } from './flags.js';

const FORMATS = { table, md: markdown, json } as const;

/**
 * `im-bench compare BASE HEAD`: flags first, so a bad one is reported before any file is read.
 * Inconclusive changes do not fail; they are named on stderr, so that a CI log shows them.
 */
export async function compareCommand(basePath: string, headPath: string, flags: CompareFlags): Promise<ExitCode> {
  const thresholds = parseThresholds(flags.threshold);
  const alpha = parseProbability('--alpha', flags.alpha);
  const [base, head] = await Promise.all([
    loadResult(basePath, TRANSPORT_NAMES),
    loadResult(headPath, TRANSPORT_NAMES),
  ]);
  const names = { base: basePath, head: headPath };
  const comparison = compare(base, head, thresholds, names, alpha, flags.allowMismatch === true);
  process.stdout.write(FORMATS[flags.format as keyof typeof FORMATS].serialize(comparison));
  for (const warning of inconclusiveWarnings(comparison)) process.stderr.write(`warning: ${warning}\n`);
  return comparison.exitCode as ExitCode;
}
