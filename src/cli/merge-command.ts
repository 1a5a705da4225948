import { EXIT_CODES, type ExitCode } from '../core/constants.js';
import { loadShard } from '../document/shard-file.js';
import { mergeShards } from '../report/merge/merge.js';
import { checkDocumentOutputs, formatForFile, render, renderingOf, type OutputFormat } from '../report/output.js';
import { OutputFiles } from '../report/output-files.js';
import { TRANSPORT_NAMES } from '../transports/registry.js';
import type { MergeFlags } from './flags.js';

/** `im-bench merge SHARD.json...`: every shard's document, merged into one for the whole run. */
export async function mergeCommand(files: readonly string[], flags: MergeFlags): Promise<ExitCode> {
  const outs = flags.out ?? [];
  checkDocumentOutputs(outs);
  const shards = [];
  for (const file of files) shards.push(await loadShard(file, TRANSPORT_NAMES));
  const merged = mergeShards(shards);
  // Render every format first: a merge that cannot be rendered leaves no half-written outputs.
  for (const out of outs) render(merged, formatForFile(out));
  const outputs = new OutputFiles(outs, 'result');
  await outputs.write(renderingOf(merged));
  process.stdout.write(render(merged, flags.format as OutputFormat));
  outputs.finish();
  return EXIT_CODES.ok;
}
