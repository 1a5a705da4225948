import { EXIT_CODES, type ExitCode } from '../core/constants.js';
import { loadDocument } from '../document/document-file.js';
import { checkDocumentOutputs, formatForFile, renderingOf, renderLoaded } from '../report/output.js';
import { OutputFiles } from '../report/output-files.js';
import { TRANSPORT_NAMES } from '../transports/registry.js';
import { outputFormat } from './options.js';
import type { ReportFlags } from './flags.js';

/** `im-bench report FILE`: a saved run or sweep document, rendered again in any format. */
export async function reportCommand(file: string, flags: ReportFlags): Promise<ExitCode> {
  const outs = flags.out ?? [];
  checkDocumentOutputs(outs);
  const document = await loadDocument(file, TRANSPORT_NAMES);
  const format = outputFormat(flags);
  // Render every format first: a file that cannot be rendered leaves no half-written outputs.
  for (const out of outs) renderLoaded(document, formatForFile(out), file);
  const outputs = new OutputFiles(outs, 'result');
  await outputs.write(renderingOf(document));
  process.stdout.write(renderLoaded(document, format, file));
  outputs.finish();
  return EXIT_CODES.ok;
}
