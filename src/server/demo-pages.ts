import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sourceFolder } from '../core/paths.js';

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

const DEMO_DIR = join(sourceFolder(import.meta.url), 'demo');

/** The only files the demo serves: a fixed table, so no request path ever reaches the disk. */
const DEMO_FILES: Record<string, [file: string, contentType: string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/demo.js': ['demo.js', 'text/javascript; charset=utf-8'],
  '/demo.css': ['demo.css', 'text/css; charset=utf-8'],
};

export async function loadDemoPages(): Promise<Map<string, StaticFile>> {
  const pages = new Map<string, StaticFile>();
  for (const [path, [file, contentType]] of Object.entries(DEMO_FILES)) {
    pages.set(path, { body: await readFile(join(DEMO_DIR, file)), contentType });
  }
  return pages;
}
