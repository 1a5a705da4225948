import { readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
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

type Stat = ReturnType<typeof parseTreeStat>;

function readStat(pid: number): Stat | null {
  try {
    return parseTreeStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** The roots and every process below them, each once, from the process table's parent links; the live roots first. */
function treeFrom(roots: readonly number[], parents: ReadonlyMap<number, number>): number[] {
  const tree = [...new Set(roots.filter((root) => parents.has(root)))];
  for (let i = 0; i < tree.length; i++)
    for (const [pid, ppid] of parents) if (ppid === tree[i] && !tree.includes(pid)) tree.push(pid);
  return tree;
}

const isPid = (entry: string): boolean => /^\d+$/.test(entry);

/** `root` and every process below it, from the process table's parent links; [] when root is gone. */
export function processTree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter(isPid)) {
    const stat = readStat(Number(entry));
    if (stat !== null) parents.set(Number(entry), stat.ppid);
  }
  return treeFrom([root], parents);
}

/**
 * CPU and memory of a server made of several processes (nginx's master and its workers), read
 * off the event loop (libuv's thread pool): a run reads it beside a publisher keeping time.
 * CPU is every live thread's run time (schedstat, nanoseconds: the kernel's own account, where
 * /proc's stat counts 10 ms ticks, too coarse for a short window), plus what the root's reaped
 * children used (a worker that died and was replaced still counts); memory is the sum of Pss,
 * so pages the processes share (nchan's shared memory zone, the code) count once, not once per
 * process. Several roots (`--server-pid` naming a master and its workers) count each process
 * once. Rejects when no root is left.
 */
export async function readTreeUsage(...roots: number[]): Promise<ProcessUsage> {
  const stats = await readEveryStat();
  return sumTree(roots, await readMembers(treeOfStats(roots, stats), stats));
}

/** Samples between two scans of the whole process table, at most: the tree is the one last found. */
const RESCAN_EVERY_MS = 2_000;

/**
 * readTreeUsage for a sampler that asks every few hundred milliseconds while a run's clients
 * share its core: the whole process table (every /proc/<pid>/stat of the machine) is scanned
 * again only every RESCAN_EVERY_MS, when asked (`rescan`), or when a member of the tree is gone;
 * in between only the tree's own files are read. A process that joined the tree since the last
 * scan is left out until the next one; a reading that must be complete (CPU at the window's
 * edges) asks for a rescan.
 */
export class TreeSampler {
  private tree: number[] = [];
  private scannedAt = Number.NEGATIVE_INFINITY;

  constructor(readonly roots: readonly number[]) {}

  /** The processes the last reading counted. */
  get members(): readonly number[] {
    return this.tree;
  }

  async read(rescan = false): Promise<ProcessUsage> {
    if (!rescan && this.tree.length > 0 && performance.now() - this.scannedAt < RESCAN_EVERY_MS) {
      const readings = await readMembers(this.tree);
      if (readings.every((reading) => reading.stat !== null)) return sumTree(this.roots, readings);
    }
    const stats = await readEveryStat();
    this.tree = treeOfStats(this.roots, stats);
    this.scannedAt = performance.now();
    return sumTree(this.roots, await readMembers(this.tree, stats));
  }
}

/** Every process's stat line, parsed (null: gone while it was read). */
async function readEveryStat(): Promise<Map<number, Stat | null>> {
  const stats = new Map<number, Stat | null>();
  const entries = (await readdir('/proc')).filter(isPid).map(Number);
  await Promise.all(entries.map(async (pid) => stats.set(pid, await readStatAsync(pid))));
  return stats;
}

function treeOfStats(roots: readonly number[], stats: ReadonlyMap<number, Stat | null>): number[] {
  const parents = new Map<number, number>();
  for (const [pid, stat] of stats) if (stat !== null) parents.set(pid, stat.ppid);
  return treeFrom(roots, parents);
}

/** Each member's CPU and memory; its stat line from `stats` when the scan has it, else read now. */
function readMembers(tree: readonly number[], stats?: ReadonlyMap<number, Stat | null>): Promise<TreeReading[]> {
  return Promise.all(
    tree.map(async (pid) => ({
      pid,
      stat: stats === undefined ? await readStatAsync(pid) : (stats.get(pid) ?? null),
      runNs: await runTimeNs(pid),
      rollup: await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => ''),
    })),
  );
}

/** Nanoseconds every thread of `pid` has run (the first field of each task's schedstat); null when unreadable. */
async function runTimeNs(pid: number): Promise<number | null> {
  try {
    const tasks = await readdir(`/proc/${pid}/task`);
    const times = await Promise.all(
      tasks.map(async (task) => Number((await readFile(`/proc/${pid}/task/${task}/schedstat`, 'utf8')).split(' ')[0])),
    );
    return times.every(Number.isFinite) ? times.reduce((sum, ns) => sum + ns, 0) : null;
  } catch {
    return null;
  }
}

interface TreeReading {
  pid: number;
  stat: Stat | null;
  /** Its threads' run time; null where schedstat is missing (a kernel without it): its ticks then. */
  runNs: number | null;
  /** '' when the process went away while it was read: its memory went with it. */
  rollup: string;
}

function sumTree(roots: readonly number[], readings: readonly TreeReading[]): ProcessUsage {
  if (readings.length === 0) throw new Error(`process ${roots.join(', ')} is gone`);
  let seconds = 0;
  let pssBytes = 0;
  for (const { pid, stat, runNs, rollup } of readings) {
    if (stat === null) continue;
    const reaped = roots.includes(pid) ? stat.reapedTicks : 0;
    seconds += (runNs === null ? stat.ownTicks / clockTicksPerSecond() : runNs / 1e9) + reaped / clockTicksPerSecond();
    pssBytes += parsePssBytes(rollup);
  }
  return { cpuSeconds: seconds, rssBytes: pssBytes };
}

async function readStatAsync(pid: number): Promise<Stat | null> {
  try {
    return parseTreeStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}
