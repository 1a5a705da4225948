import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root. Every module runs from `src/` (tests) or `dist/` (the built CLI), both one
 * level below the root, so this file (in `src/core` or `dist/core`) is two levels below it.
 */
export const PACKAGE_ROOT: string = fileURLToPath(new URL('../../', import.meta.url));

/** A file or folder of the package, given from its root: `packagePath('scenarios')`. */
export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}

/** A module of the built code, from `dist/`: what a child process runs, whether or not we run from `src/`. */
export function builtModule(path: string): string {
  return packagePath('dist', path);
}

/**
 * The folder of `moduleUrl` in the source tree: files tsc does not copy into `dist/` (the demo
 * page and its scripts) are read from `src/`, whether the code runs from `src/` or `dist/`.
 */
export function sourceFolder(moduleUrl: string): string {
  const [, ...rest] = relative(PACKAGE_ROOT, fileURLToPath(new URL('.', moduleUrl))).split(sep);
  return packagePath('src', ...rest);
}
