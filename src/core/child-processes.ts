import type { ChildProcess } from 'node:child_process';
import { atExit } from './exit-backstop.js';

/**
 * Every child process this process started (reference servers, generator workers) that has not
 * exited yet. They run in process groups of their own, so a terminal's Ctrl-C reaches only us;
 * their owners stop them in order. If this process exits with some still running (a second
 * Ctrl-C, an uncaught error), their groups get SIGKILL then, rather than outliving us.
 */
const live = new Set<ChildProcess>();
let backstopInstalled = false;

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || !running(child)) return;
  try {
    // A detached child leads its own group; the group takes anything it started with it.
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** Records `child` until it exits; killed with its group if this process exits first. */
export function trackChildProcess(child: ChildProcess): void {
  if (!backstopInstalled) {
    backstopInstalled = true;
    atExit(() => {
      for (const each of live) killGroup(each);
      live.clear();
    }, 'stop');
  }
  if (!running(child)) return;
  live.add(child);
  child.once('exit', () => live.delete(child));
}
