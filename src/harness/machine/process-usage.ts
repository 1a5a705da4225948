import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

export interface ProcessUsage {
  /** User + system CPU seconds of the whole process (all threads), since it started. */
  cpuSeconds: number;
  rssBytes: number;
}

const FALLBACK_CLOCK_TICKS = 100;
let clockTicks: number | undefined;

/** USER_HZ, the unit of utime/stime in /proc/<pid>/stat: `getconf CLK_TCK`, read once. */
export function clockTicksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      const output = execFileSync('getconf', ['CLK_TCK'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 2_000,
      });
      const value = Number(output.trim());
      clockTicks = Number.isInteger(value) && value > 0 ? value : FALLBACK_CLOCK_TICKS;
    } catch {
      clockTicks = FALLBACK_CLOCK_TICKS;
    }
  }
  return clockTicks;
}

/**
 * utime and stime (fields 14 and 15, in clock ticks) of a /proc/<pid>/stat line. Field 2, the
 * command name, is in parentheses and may itself hold spaces and ')', so fields are counted
 * from the last ')': the text after it starts with field 3.
 */
export function parseProcStat(line: string): { utimeTicks: number; stimeTicks: number } {
  const close = line.lastIndexOf(')');
  if (close < 0) throw new Error(`not a /proc/<pid>/stat line: ${JSON.stringify(line.slice(0, 80))}`);
  const fields = line
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const utimeTicks = Number(fields[14 - 3]);
  const stimeTicks = Number(fields[15 - 3]);
  if (!Number.isFinite(utimeTicks) || !Number.isFinite(stimeTicks)) {
    throw new Error(`no utime/stime in /proc/<pid>/stat line: ${JSON.stringify(line.slice(0, 80))}`);
  }
  return { utimeTicks, stimeTicks };
}

/** VmRSS of a /proc/<pid>/status text, in bytes; 0 when absent (a zombie has no VmRSS line). */
export function parseVmRssBytes(status: string): number {
  const match = /^VmRSS:\s*(\d+)\s*kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/** Throws (ENOENT, ESRCH) when the process is gone. */
export function readProcessUsage(pid: number): ProcessUsage {
  const { utimeTicks, stimeTicks } = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  const rssBytes = parseVmRssBytes(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuSeconds: (utimeTicks + stimeTicks) / clockTicksPerSecond(), rssBytes };
}

/** readProcessUsage off the event loop (libuv's thread pool): rejects when the process is gone. */
async function readProcessUsageAsync(pid: number): Promise<ProcessUsage> {
  const [stat, status] = await Promise.all([
    readFile(`/proc/${pid}/stat`, 'utf8'),
    readFile(`/proc/${pid}/status`, 'utf8'),
  ]);
  const { utimeTicks, stimeTicks } = parseProcStat(stat);
  return { cpuSeconds: (utimeTicks + stimeTicks) / clockTicksPerSecond(), rssBytes: parseVmRssBytes(status) };
}

/**
 * Samples a process every `intervalMs` and keeps its peak RSS; a vanished process just stops
 * updating it. The periodic samples read /proc off the event loop: read in place, they block it
 * for 0.2 ms at the median and up to 5 ms, which would land in the publisher's schedule.
 */
export class ProcessSampler {
  private timer: NodeJS.Timeout | undefined;
  private peak = 0;
  private last: ProcessUsage | null = null;

  constructor(
    readonly pid: number,
    private readonly intervalMs = 250,
  ) {}

  get peakRssBytes(): number {
    return this.peak;
  }

  /** The most recent successful sample, or null before the first one. */
  get latest(): ProcessUsage | null {
    return this.last;
  }

  /** Takes one sample now; null when the process cannot be read (gone, or no /proc). */
  sample(): ProcessUsage | null {
    let usage: ProcessUsage;
    try {
      usage = readProcessUsage(this.pid);
    } catch {
      return null;
    }
    this.keep(usage);
    return usage;
  }

  start(): this {
    if (this.timer) return this;
    this.sample();
    this.timer = setInterval(() => {
      readProcessUsageAsync(this.pid).then(
        (usage) => this.timer !== undefined && this.keep(usage),
        () => {},
      );
    }, this.intervalMs);
    this.timer.unref();
    return this;
  }

  private keep(usage: ProcessUsage): void {
    this.last = usage;
    if (usage.rssBytes > this.peak) this.peak = usage.rssBytes;
  }

  /** Stops sampling after one last sample, so the peak covers the very end. */
  stop(): ProcessUsage | null {
    if (!this.timer) return this.last;
    clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    return this.last;
  }
}
