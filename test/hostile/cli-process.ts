import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { defer, temporaryFolder } from '../helpers/cleanup.js';
import { CLI } from '../helpers/cli.js';
import { isRunning } from '../helpers/processes.js';
import { sleep } from '../helpers/wait.js';

/** A run kept short: two SSE clients, one second, no warm-up. */
export const SHORT_RUN = ['--clients', '2', '--duration', '1s', '--warmup', '0s', '--transport', 'sse'];

/** A folder of the test's own, removed after it: given to the CLI as TMPDIR, so that whatever it leaves there shows. */
export function privateFolder(prefix = 'im-bench-hostile-'): string {
  return temporaryFolder(prefix);
}

export interface CliProcess {
  child: ChildProcess;
  /** The TMPDIR it was given: its temporary files go there, and its children inherit it. */
  tmp: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `node bin/im-bench.js ...args` in a process group of its own, as a shell starts a job,
 * with a private TMPDIR; killed with its group after the test if still running.
 */
export function startCli(args: readonly string[], tmp = privateFolder()): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, TMPDIR: tmp },
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  defer(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    for (const pid of processesOf(tmp)) process.kill(pid, 'SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, tmp, stdout: () => stdout, stderr: () => stderr, exited };
}

/**
 * Live processes started with this TMPDIR: the CLI and everything it started (reference
 * servers, generator workers), found even once the CLI is gone and they belong to no one.
 */
export function processesOf(tmp: string): number[] {
  const marker = `TMPDIR=${tmp}\0`;
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((entry) => {
      try {
        const environment = `\0${readFileSync(`/proc/${entry}/environ`, 'utf8')}`;
        return environment.includes(`\0${marker}`) && isRunning(Number(entry));
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** The reference servers (`im-bench serve`) among them. */
export function serversOf(tmp: string): number[] {
  return processesOf(tmp).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('serve');
    } catch {
      return false;
    }
  });
}

/** Waits until `find` gives a value, polling every few ms; undefined when `timeoutMs` passes first. */
export async function poll<T>(find: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined || Date.now() > deadline) return found;
    await sleep(2);
  }
}

/** What the CLI left in its TMPDIR (besides what `keep` names), and processes of it still running a moment after it exited. */
export async function leftovers(tmp: string, keep: (name: string) => boolean = () => false): Promise<string[]> {
  const stray = (await poll(() => (processesOf(tmp).length === 0 ? true : undefined), 1_000)) === undefined;
  const files = readdirSync(tmp).filter((name) => !keep(name));
  return [...files, ...(stray ? processesOf(tmp).map((pid) => `process ${pid}`) : [])];
}

/** How long a bare `node` takes here to start and end: the moment before which no script of ours can run. */
export async function nodeStartupMs(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await once(child, 'exit');
  return performance.now() - started;
}
