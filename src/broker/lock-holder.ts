import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { FileIdentity } from './journal-file.js';

/** Who wrote a lock: a pid, and when that process started, so that a recycled pid is not taken for it. */
export interface LockHolder {
  readonly pid: number;
  /** Field 22 of /proc/PID/stat: clock ticks after boot; "-" where there is no /proc. */
  readonly started: string;
}

const HOLDER_LINE = /^([1-9]\d{0,9}) (\d{1,20}|-)\n$/;
const HAS_PROC = existsSync('/proc/self/stat');

/** When process `pid` started (field 22 of /proc/PID/stat), or undefined when there is no such process. */
export function startTimeOf(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count from after its end.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}

export function formatHolder(pid: number): string {
  return `${pid} ${HAS_PROC ? (startTimeOf(pid) ?? '-') : '-'}\n`;
}

/** The holder a lock names; undefined for anything else (empty, `0`, garbage): such a lock is stale. */
export function parseHolder(text: string): LockHolder | undefined {
  const match = HOLDER_LINE.exec(text);
  return match === null ? undefined : { pid: Number(match[1]), started: match[2]! };
}

/**
 * Whether `holder` is a live process that still holds the lock: that pid, started at that
 * time, with the lock file itself open (a server keeps it open while it runs). A process
 * that merely reuses the pid, or any other process, does not hold it.
 */
export function holdsLock(holder: LockHolder, lock: FileIdentity): boolean {
  if (!HAS_PROC) return isAlive(holder.pid);
  if (startTimeOf(holder.pid) !== holder.started) return false;
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${holder.pid}/fd`);
  } catch (error) {
    // Another user's process: its open files are hidden, so its pid and start time must do.
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EACCES' || code === 'EPERM';
  }
  return fds.some((fd) => isFile(`/proc/${holder.pid}/fd/${fd}`, lock));
}

function isFile(path: string, identity: FileIdentity): boolean {
  try {
    const stats = statSync(path);
    return stats.dev === identity.dev && stats.ino === identity.ino;
  } catch {
    // Closed since the folder was read, or not a file one can stat.
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
