import { closeSync, constants, fsyncSync, openSync, writeSync } from 'node:fs';

/** A short write would leave a torn line in the middle of a file: write until all is written. */
export function writeAll(fd: number, buffer: Buffer): void {
  for (let offset = 0; offset < buffer.length; ) {
    const written = writeSync(fd, buffer, offset);
    if (written === 0) throw new Error(`the kernel took none of ${buffer.length - offset} bytes`);
    offset += written;
  }
}

/**
 * Makes a rename or a new name in `folder` durable. Some filesystems refuse to sync a folder
 * (EINVAL): they have nothing to sync, so that is not an error.
 */
export function syncFolder(folder: string): void {
  const fd = openSync(folder, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    fsyncSync(fd);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
  } finally {
    closeSync(fd);
  }
}
