/**
 * Work that must happen however this process ends (its last line of `main`, `process.exit` on a
 * second Ctrl-C, an uncaught error): removing temporary files, killing child processes. Node
 * runs 'exit' listeners synchronously and then ends, so each task must be synchronous too.
 */
const tasks: Array<() => void> = [];

function runAll(): void {
  for (const task of tasks) {
    try {
      task();
    } catch {
      // A backstop that fails must not keep the next one from running, nor change the exit code.
    }
  }
}

/** Runs `task` when the process exits, once; tasks run in the order they were added. */
export function atExit(task: () => void): void {
  if (tasks.length === 0) process.on('exit', runAll);
  tasks.push(task);
}
