import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
type Cleanup = () => unknown;

const pending: Cleanup[] = [];

/** Registers something to undo after the current test, newest first. */
export function defer(cleanup: Cleanup): void {
  pending.push(cleanup);
}

export async function runCleanups(): Promise<void> {
  const errors: unknown[] = [];
  while (pending.length > 0) {
    try {
      await pending.pop()!();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw errors[0];
}

/** A fresh folder under the OS temporary folder, removed with everything in it after the current test. */
export function temporaryFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  defer(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}
