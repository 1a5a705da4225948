import { randomBytes } from 'node:crypto';
import { open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { releaseTemporaryPath, removeTemporaryPath, trackTemporaryPath } from '../core/temporary-paths.js';

/**
 * Where a report is written before it is renamed over `path`: in its folder, so the rename stays on
 * one filesystem, under a short name of its own, so that any name that fits the folder fits it too.
 */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.im-bench-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes through a temporary file and a rename, so a reader never sees half a report. The
 * temporary file is removed when the write or the rename fails, and at exit if the process
 * ends in between (a second Ctrl-C); it is created exclusively, so nothing else is ever removed.
 */
export async function writeReport(path: string, text: string): Promise<void> {
  const temporary = temporaryPathFor(path);
  const file = await open(temporary, 'wx');
  trackTemporaryPath(temporary);
  try {
    await file.writeFile(text);
    await file.close();
    await rename(temporary, path);
    releaseTemporaryPath(temporary);
  } catch (error) {
    await file.close().catch(() => {});
    removeTemporaryPath(temporary);
    throw error;
  }
}
