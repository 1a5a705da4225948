import { describeSystemError } from '../core/system-error.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImBenchError } from '../core/errors.js';
import { writeReport } from './result-file.js';

/** One rendering of a document: its text for each --out file, and its JSON, which loses nothing, for the fallback. */
export interface Rendering {
  forPath(path: string): string;
  json(): string;
}

/**
 * The --out files of one command, written again each time the document grows. A file that cannot
 * be written (its folder removed, the disk full) does not lose the run: the document goes, as
 * JSON, to a fallback file in the temporary folder (or the current one), rewritten with every
 * later version; the command ends with exit 4 naming both (`finish`).
 */
export class OutputFiles {
  private readonly failed = new Map<string, string>();
  private fallback: string | undefined;
  private fallbackFailure: string | undefined;

  constructor(
    private readonly paths: readonly string[],
    /** Names the fallback file: `im-bench-<kind>-<time>-<pid>.json`. */
    private readonly kind: string,
  ) {}

  /** Writes every file; returns a sentence per file that failed just now, for a warning. */
  async write(rendering: Rendering): Promise<string[]> {
    const fresh: string[] = [];
    for (const path of this.paths) {
      if (this.failed.has(path)) continue;
      try {
        await writeReport(path, rendering.forPath(path));
      } catch (error) {
        this.failed.set(path, describeSystemError(error));
        fresh.push(path);
      }
    }
    if (this.failed.size > 0) await this.writeFallback(rendering.json());
    return fresh.map((path) => `${this.describe(path)}; the rest of the run goes there too`);
  }

  /** Throws IMB_ERR_RUN_FAILED (exit 4) if any file could not be written, naming it and where the document is instead. */
  finish(): void {
    if (this.failed.size === 0) return;
    const lines = [...this.failed.keys()].map((path) => this.describe(path));
    throw new ImBenchError('IMB_ERR_RUN_FAILED', lines.join('\n'));
  }

  private describe(path: string): string {
    const where =
      this.fallback !== undefined
        ? `the document was written to ${this.fallback} instead`
        : `no fallback file could be written either (${this.fallbackFailure}): the document is on stdout only`;
    return `cannot write --out ${path} (${this.failed.get(path)}); ${where}`;
  }

  private async writeFallback(json: string): Promise<void> {
    if (this.fallback !== undefined) {
      try {
        await writeReport(this.fallback, json);
        return;
      } catch {
        this.fallback = undefined;
      }
    }
    const name = `im-bench-${this.kind}-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.json`;
    for (const folder of [tmpdir(), process.cwd()]) {
      const path = join(folder, name);
      try {
        await writeReport(path, json);
        this.fallback = path;
        return;
      } catch (error) {
        this.fallbackFailure = `${path}: ${describeSystemError(error)}`;
      }
    }
  }
}
