import { readFile } from 'node:fs/promises';

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/** src/server/demo in the source tree; dist/server sits at the same depth, so both resolve here. */
const DEMO_DIR = new URL('../../src/server/demo/', import.meta.url);

/** The only files the demo serves: a fixed table, so no request path ever reaches the disk. */
const DEMO_FILES: Record<string, [file: string, contentType: string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/demo.js': ['demo.js', 'text/javascript; charset=utf-8'],
  '/demo.css': ['demo.css', 'text/css; charset=utf-8'],
};

export async function loadDemoPages(): Promise<Map<string, StaticFile>> {
  const pages = new Map<string, StaticFile>();
  for (const [path, [file, contentType]] of Object.entries(DEMO_FILES)) {
    pages.set(path, { body: await readFile(new URL(file, DEMO_DIR)), contentType });
  }
  return pages;
}
