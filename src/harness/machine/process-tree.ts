import { readdirSync, readFileSync } from 'node:fs';
import { clockTicksPerSecond, type ProcessUsage } from './process-usage.js';

/** Fields of a /proc/<pid>/stat line by their number in proc(5), counted after the command name's ')'. */
function statFields(line: string): string[] {
  const close = line.lastIndexOf(')');
  if (close < 0) throw new Error(`not a /proc/<pid>/stat line: ${JSON.stringify(line.slice(0, 80))}`);
  return line
    .slice(close + 1)
    .trim()
    .split(/\s+/);
}

/** ppid (field 4), and CPU in clock ticks: its own (utime + stime, 14-15), its reaped children's (cutime + cstime, 16-17). */
export function parseTreeStat(line: string): { ppid: number; ownTicks: number; reapedTicks: number } {
  const fields = statFields(line);
  const at = (field: number): number => Number(fields[field - 3]);
  const parsed = { ppid: at(4), ownTicks: at(14) + at(15), reapedTicks: at(16) + at(17) };
  if (!Object.values(parsed).every(Number.isFinite))
    throw new Error(`no ppid or CPU times in /proc/<pid>/stat line: ${JSON.stringify(line.slice(0, 80))}`);
  return parsed;
}

/** Pss of a /proc/<pid>/smaps_rollup text, bytes: each shared page counted once across the processes sharing it. */
export function parsePssBytes(rollup: string): number {
  const match = /^Pss:\s*(\d+)\s*kB/m.exec(rollup);
  return match ? Number(match[1]) * 1024 : 0;
}

function readStat(pid: number): ReturnType<typeof parseTreeStat> | null {
  try {
    return parseTreeStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** `root` and every process below it, from the process table's parent links; [] when root is gone. */
export function processTree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat !== null) parents.set(Number(entry), stat.ppid);
  }
  if (!parents.has(root)) return [];
  const tree = [root];
  for (let i = 0; i < tree.length; i++)
    for (const [pid, ppid] of parents) if (ppid === tree[i] && !tree.includes(pid)) tree.push(pid);
  return tree;
}

/**
 * CPU and memory of a server made of several processes (nginx's master and its workers): CPU is
 * every live process's own, plus what the root's reaped children used (a worker that died and
 * was replaced still counts); memory is the sum of Pss, so pages the processes share (nchan's
 * shared memory zone, the code) count once, not once per process. Throws when the root is gone.
 */
export function readTreeUsage(root: number): ProcessUsage {
  const tree = processTree(root);
  if (tree.length === 0) throw new Error(`process ${root} is gone`);
  let ticks = 0;
  let pssBytes = 0;
  for (const pid of tree) {
    const stat = readStat(pid);
    if (stat === null) continue;
    ticks += stat.ownTicks + (pid === root ? stat.reapedTicks : 0);
    try {
      pssBytes += parsePssBytes(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    } catch {
      // Gone since the tree was read: its memory went with it.
    }
  }
  return { cpuSeconds: ticks / clockTicksPerSecond(), rssBytes: pssBytes };
}
