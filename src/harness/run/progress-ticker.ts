import { hrtimeNs } from '../../core/clock.js';
import type { TechniqueRun } from './open-target.js';
import type { Progress, RunPhase } from './progress.js';

const PROGRESS_EVERY_MS = 500;

/** Reports a technique's progress a few times a second while it runs; `phase` is set as the run moves on. */
export class ProgressTicker {
  phase: RunPhase = 'starting';
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly run: TechniqueRun,
    private readonly onProgress: ((progress: Progress) => void) | undefined,
  ) {
    this.timer = setInterval(() => this.report(), PROGRESS_EVERY_MS);
    this.timer.unref();
  }

  report(): void {
    const { group, window, scenario } = this.run;
    const status = group.status();
    this.onProgress?.({
      transport: this.run.transport.name,
      ...(this.run.profile === undefined ? {} : { profile: this.run.profile }),
      phase: this.phase,
      clients: this.run.clients,
      connected: status.connected,
      failed: status.failed,
      delivered: status.receivedInWindow,
      errors: status.errors,
      measuredMs: Math.max(0, Math.min(hrtimeNs(), window.endNs) - window.startNs) / 1e6,
      windowMs: scenario.durationMs,
    });
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
