/**
 * Work that must happen however this process ends (its last line of `main`, `process.exit` on a
 * second Ctrl-C, an uncaught error): removing temporary files, killing child processes. Node
 * runs 'exit' listeners synchronously and then ends, so each task must be synchronous too.
 */
/** `stop` tasks (children) run before `clean` ones (files): a child still running could write into a folder being removed. */
type Stage = 'stop' | 'clean';

const tasks: Array<{ stage: Stage; task: () => void }> = [];

function runAll(): void {
  const ordered = [...tasks.filter((t) => t.stage === 'stop'), ...tasks.filter((t) => t.stage === 'clean')];
  for (const { task } of ordered) {
    try {
      task();
    } catch {
      // A backstop that fails must not keep the next one from running, nor change the exit code.
    }
  }
}

/** Runs `task` when the process exits, once: every `stop` task first, then every `clean` one, each in the order added. */
export function atExit(task: () => void, stage: Stage = 'clean'): void {
  if (tasks.length === 0) process.on('exit', runAll);
  tasks.push({ stage, task });
}
