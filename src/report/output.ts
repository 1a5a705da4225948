import { extname } from 'node:path';
import { ImBenchError, invalidOption } from '../core/errors.js';
import { isSweep, type ResultDocument } from '../document/document-file.js';
import * as csv from './exporters/csv.js';
import * as html from './exporters/html.js';
import * as json from './exporters/json.js';
import * as markdown from './exporters/markdown.js';
import * as table from './exporters/table.js';
import type { Rendering } from './output-files.js';
import { checkOutputPaths } from './output-path.js';
import type { RunResult } from '../document/result.js';

export const OUTPUT_FORMATS = ['table', 'json', 'md', 'html', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Renders a run or sweep document; a sweep's terminal table is its Markdown, which reads well as text. */
export function render(document: ResultDocument, format: OutputFormat): string {
  if (isSweep(document)) {
    switch (format) {
      case 'json':
        return `${JSON.stringify(document, null, 2)}\n`;
      case 'html':
        return html.serializeSweep(document);
      case 'csv':
        return csv.serializeSweep(document);
      default:
        return markdown.serializeSweep(document);
    }
  }
  const exporters: Record<OutputFormat, (result: RunResult) => string> = {
    table: table.serialize,
    json: json.serialize,
    md: markdown.serialize,
    html: html.serialize,
    csv: csv.serialize,
  };
  return exporters[format](document);
}

const FORMAT_BY_EXTENSION: Record<string, OutputFormat> = {
  '.json': 'json',
  '.md': 'md',
  '.markdown': 'md',
  '.html': 'html',
  '.htm': 'html',
  '.csv': 'csv',
  '.txt': 'table',
};

/** The format a file's extension names; JSON for a name without one, since it loses nothing. */
export function formatForFile(path: string): OutputFormat {
  return FORMAT_BY_EXTENSION[extname(path).toLowerCase()] ?? 'json';
}

/**
 * Every `--out` of a document, before anything is measured or loaded: an extension that names
 * a format (`r.xlsx` would otherwise be written as JSON without a word), or none for JSON, and a
 * place it can be written (checkOutputPaths). Exit 2 naming the path.
 */
export function checkDocumentOutputs(paths: readonly string[]): void {
  for (const path of paths) {
    const extension = extname(path).toLowerCase();
    if (extension !== '' && FORMAT_BY_EXTENSION[extension] === undefined)
      throw invalidOption(
        '--out',
        path,
        `a file whose extension names its format (${Object.keys(FORMAT_BY_EXTENSION).join(', ')}), or none for JSON`,
      );
  }
  checkOutputPaths(paths);
}

/** The document for every --out path, each in the format its extension names; JSON for the fallback. */
export function renderingOf(document: ResultDocument): Rendering {
  return { forPath: (path) => render(document, formatForFile(path)), json: () => render(document, 'json') };
}

/** Renders a loaded document; a part the checks could not foresee (a corrupt histogram, say) is the file's fault, not a crash. */
export function renderLoaded(document: ResultDocument, format: OutputFormat, path: string): string {
  try {
    return render(document, format);
  } catch (error) {
    throw new ImBenchError(
      'IMB_ERR_INVALID_RESULT',
      `${path}: cannot render it as ${format} (${(error as Error).message})`,
    );
  }
}
