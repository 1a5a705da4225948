import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sourceFolder } from '../core/paths.js';
import { TRANSPORTS } from '../transports/registry.js';
import type { Transport } from '../transports/transport.js';

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

const DEMO_DIR = join(sourceFolder(import.meta.url), 'demo');
const HTML = 'text/html; charset=utf-8';
const SCRIPT = 'text/javascript; charset=utf-8';
const PANELS_MARKER = '<!-- panels: one per registered technique, written by the server -->';

/** The page's own files; with one script per technique, these are all the demo serves, so no request path reaches the disk. */
const DEMO_FILES: Record<string, [file: string, contentType: string]> = {
  '/demo.js': ['demo.js', SCRIPT],
  '/demo/shared.js': ['shared.js', SCRIPT],
  '/demo.css': ['demo.css', 'text/css; charset=utf-8'],
};

function panel(transport: Transport): string {
  return [
    `    <section class="panel" id="panel-${transport.name}" data-transport="${transport.name}">`,
    `      <h2>${transport.title}</h2>`,
    `      <p class="how">${transport.demo.how}</p>`,
    '    </section>',
  ].join('\n');
}

/** The demo page and its scripts, read once at start: `GET /` has a panel for every registered technique. */
export async function loadDemoPages(): Promise<Map<string, StaticFile>> {
  const index = await readFile(join(DEMO_DIR, 'index.html'), 'utf8');
  const pages = new Map<string, StaticFile>([
    ['/', { body: Buffer.from(index.replace(PANELS_MARKER, TRANSPORTS.map(panel).join('\n'))), contentType: HTML }],
  ]);
  for (const [path, [file, contentType]] of Object.entries(DEMO_FILES)) {
    pages.set(path, { body: await readFile(join(DEMO_DIR, file)), contentType });
  }
  for (const transport of TRANSPORTS) {
    pages.set(`/demo/${transport.name}.js`, { body: await readFile(transport.demo.script), contentType: SCRIPT });
  }
  return pages;
}
