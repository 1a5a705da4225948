import { execFileSync } from 'node:child_process';

export type PinMode = 'auto' | 'off';

/** CPU lists in taskset's syntax ("0", "1-3", "1,3,5-7"). */
export interface Placement {
  server: string;
  generator: string;
}

/** "0-3,5,7-8" → [0, 1, 2, 3, 5, 7, 8]; null when not a CPU list. */
export function parseCpuList(text: string): number[] | null {
  const cpus = new Set<number>();
  for (const part of text.trim().split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!match) return null;
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (last < first) return null;
    for (let cpu = first; cpu <= last; cpu++) cpus.add(cpu);
  }
  return [...cpus].sort((a, b) => a - b);
}

/** [1, 2, 3, 5] → "1-3,5". */
export function formatCpuList(cpus: readonly number[]): string {
  const sorted = [...new Set(cpus)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * One core for the server (a Node process does its work on one thread), all the others for
 * the generator; null with fewer than two.
 */
export function splitCpus(cpus: readonly number[]): Placement | null {
  const sorted = [...new Set(cpus)].sort((a, b) => a - b);
  if (sorted.length < 2) return null;
  return { server: formatCpuList(sorted.slice(0, 1)), generator: formatCpuList(sorted.slice(1)) };
}

/** "pid 8811's current affinity list: 0,1" → [0, 1]. */
export function parseTasksetAffinity(output: string): number[] | null {
  const match = /affinity list:\s*(\S+)/.exec(output);
  return match ? parseCpuList(match[1]!) : null;
}

/** CPUs this process may run on, from taskset; null when taskset is missing or says something else. */
export function currentAffinity(pid = process.pid): number[] | null {
  const output = runTaskset(['-cp', String(pid)]);
  return output === null ? null : parseTasksetAffinity(output);
}

/**
 * Where to pin the server and the generator for `--pin auto`; null when pinning is off, or
 * impossible here (taskset missing, fewer than two CPUs allowed to this process).
 */
export function planPlacement(mode: PinMode): Placement | null {
  if (mode === 'off') return null;
  const cpus = currentAffinity();
  return cpus === null ? null : splitCpus(cpus);
}

/** Pins every thread of a running process to `cpus`; false when taskset is missing, refuses, or the pid is gone. */
export function pinProcess(pid: number, cpus: string): boolean {
  const wanted = parseCpuList(cpus);
  if (wanted === null || runTaskset(['-a', '-cp', cpus, String(pid)]) === null) return false;
  // With -a, taskset walks /proc/<pid>/task and succeeds on a pid that does not exist; read back.
  return currentAffinity(pid)?.join() === wanted.join();
}

/** argv to put before a spawned server's command to start it on its core; [] without a placement. */
export function serverPinPrefix(placement: Placement | null): string[] {
  return placement ? ['taskset', '-c', placement.server] : [];
}

function runTaskset(args: string[]): string | null {
  try {
    return execFileSync('taskset', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 2_000 });
  } catch {
    return null;
  }
}
