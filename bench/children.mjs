// Child processes of a benchmark. Each starts in its own process group and is killed, group and
// all, when it passes its deadline and when the benchmark exits for any reason (an error,
// Ctrl-C, SIGTERM), so nothing a benchmark started outlives it.
import { spawn } from 'node:child_process';

const live = new Set();

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

process.on('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping`);
    process.exit(130);
  });
}

/**
 * Runs argv to its end, or kills it after `timeoutMs`. Resolves with its exit code or signal,
 * its whole stdout and the tail of its stderr; `onSpawn(child)` sees it start.
 */
export function runChild(argv, { timeoutMs, env = {}, cwd, onSpawn } = {}) {
  const child = spawn(argv[0], argv.slice(1), {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    cwd,
    env: { ...process.env, ...env },
  });
  live.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr = (stderr + chunk).slice(-8192)));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child, 'SIGKILL');
  }, timeoutMs);
  onSpawn?.(child);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      live.delete(child);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      // Whatever it left behind in its group goes too.
      killGroup(child, 'SIGKILL');
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** A child's JSON result: its whole stdout, else its last line that parses; throws with its stderr. */
export function parseJsonOutput(outcome, what) {
  const candidates = [outcome.stdout, ...outcome.stdout.trim().split('\n').reverse()];
  for (const text of candidates) {
    try {
      return JSON.parse(text);
    } catch {
      // Not this one.
    }
  }
  const how = outcome.timedOut
    ? 'was killed at its deadline'
    : `exited with ${outcome.signal ?? `code ${outcome.code}`}`;
  throw new Error(`${what} ${how} without a JSON result:\n${outcome.stderr.trim()}`);
}
