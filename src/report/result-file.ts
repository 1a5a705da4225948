import { rename, writeFile } from 'node:fs/promises';

/** Writes through a temporary file and a rename, so a reader never sees half a report. */
export async function writeReport(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}
