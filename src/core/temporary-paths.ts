import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atExit } from './exit-backstop.js';

/**
 * Every temporary file and folder this process made and has not removed yet. Their owners
 * remove them as they go; whatever is still here when the process exits, by any path (a second
 * Ctrl-C calls `process.exit` in the middle of a measurement), is removed then.
 */
const live = new Set<string>();
let backstopInstalled = false;

function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // Already gone, or never made: nothing left to remove.
  }
}

/** Records `path` as temporary: removed at exit unless released or removed before. Returns it. */
export function trackTemporaryPath(path: string): string {
  if (!backstopInstalled) installBackstop();
  live.add(path);
  return path;
}

/** `path` is no longer temporary (renamed into place) or was removed by its owner. */
export function releaseTemporaryPath(path: string): void {
  live.delete(path);
}

/** Removes a temporary file or folder now, and forgets it. */
export function removeTemporaryPath(path: string): void {
  removeQuietly(path);
  live.delete(path);
}

/** A fresh folder in the system's temporary folder (`TMPDIR`), removed at exit at the latest. */
export function makeTemporaryFolder(prefix: string): string {
  return trackTemporaryPath(mkdtempSync(join(tmpdir(), prefix)));
}

function installBackstop(): void {
  backstopInstalled = true;
  atExit(() => {
    for (const path of live) removeQuietly(path);
    live.clear();
  });
}
