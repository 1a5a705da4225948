// CPU and peak memory of a child process and everything it started, from /proc.
import { readdirSync, readFileSync } from 'node:fs';
import { clockTicksPerSecond } from '../dist/harness/machine/process-usage.js';

/**
 * User + system CPU seconds of this process's children that have exited and been waited for
 * (cutime and cstime, fields 16 and 17 of /proc/self/stat); each child's figure includes its own
 * waited-for descendants. Read before a child starts and after it exits, the difference is
 * exactly what its whole tree spent, startup and shutdown included.
 */
export function reapedChildrenCpuSeconds() {
  const line = readFileSync('/proc/self/stat', 'utf8');
  const fields = line
    .slice(line.lastIndexOf(')') + 1)
    .trim()
    .split(/\s+/);
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / clockTicksPerSecond();
}

function childrenOf(pid) {
  const children = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (text !== '') children.push(...text.split(' ').map(Number));
    }
  } catch {
    // Gone, or a kernel without the children file: none found.
  }
  return children;
}

/** Every process started by `pid`, its children's children included, as they are now. */
function descendantsOf(pid) {
  const found = [];
  const pending = childrenOf(pid);
  while (pending.length > 0) {
    const next = pending.pop();
    found.push(next);
    pending.push(...childrenOf(next));
  }
  return found;
}

function highWaterKiB(pid) {
  try {
    const match = /^VmHWM:\s*(\d+)\s*kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Peak RSS of a process tree: each process's own peak (VmHWM), summed over every process seen
 * in the tree. Sampled every `intervalMs`; VmHWM only grows, so a sample misses only a peak
 * reached in a process's last interval.
 */
export class TreePeakRss {
  constructor(pid, intervalMs = 200) {
    this.pid = pid;
    this.peaks = new Map();
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  sample() {
    for (const pid of [this.pid, ...descendantsOf(this.pid)]) {
      const kib = highWaterKiB(pid);
      if (kib > (this.peaks.get(pid) ?? 0)) this.peaks.set(pid, kib);
    }
  }

  /** Stops sampling; the summed peak in bytes. */
  stop() {
    clearInterval(this.timer);
    let kib = 0;
    for (const peak of this.peaks.values()) kib += peak;
    return kib * 1024;
  }
}
