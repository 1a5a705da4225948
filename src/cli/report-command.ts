import { EXIT_CODES, type ExitCode } from '../core/constants.js';
import { loadDocument, render, writeOutputs } from '../report/output.js';
import { outputFormat } from './options.js';
import type { ReportFlags } from './program.js';

/** `im-bench report FILE`: a saved run or sweep document, rendered again in any format. */
export async function reportCommand(file: string, flags: ReportFlags): Promise<ExitCode> {
  const document = await loadDocument(file);
  await writeOutputs(document, flags.out ?? []);
  process.stdout.write(render(document, outputFormat(flags)));
  return EXIT_CODES.ok;
}
