import type { Progress } from '../harness/run/progress.js';
import { formatInteger } from '../report/format.js';

/** One self-overwriting status line on a terminal's stderr; nothing at all elsewhere. */
export class ProgressDisplay {
  private shown = false;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  static forStderr(quiet: boolean): ProgressDisplay | undefined {
    return !quiet && process.stderr.isTTY ? new ProgressDisplay(process.stderr) : undefined;
  }

  update(progress: Progress): void {
    if (progress.phase === 'done') {
      this.clear();
      return;
    }
    const measured = `${(progress.measuredMs / 1000).toFixed(1)}/${(progress.windowMs / 1000).toFixed(1)} s`;
    const failed = progress.failed > 0 ? `, ${formatInteger(progress.failed)} failed` : '';
    const errors = progress.errors > 0 ? ` · ${formatInteger(progress.errors)} errors` : '';
    this.show(
      `${progress.profile === undefined ? '' : `${progress.profile}/`}${progress.transport} · ${progress.phase} ${measured} · ${formatInteger(progress.connected)}/${formatInteger(progress.clients)} connected${failed} · ${formatInteger(progress.delivered)} delivered${errors}`,
    );
  }

  /** Replaces the line with `text`. */
  show(text: string): void {
    this.stream.write(`\r\x1b[K${text}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
