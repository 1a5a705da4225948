import { EXIT_CODES } from './constants.js';

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
export type SignalHandler = (signal: StopSignal) => void;

/**
 * SIGHUP (the terminal closed) stops a run as SIGTERM does, so that its temporary files and
 * children go with it. Node resets an inherited SIGHUP to its default at start (nohup cannot
 * keep it off), so taking it loses nothing: the default would end the process uncleaned.
 */
const STOP_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The handlers asked for, newest last: a signal goes to the newest alone. */
const handlers: SignalHandler[] = [];
let installed = false;

/**
 * With no handler in place (before a measurement's session starts or after it ends), a signal
 * stops the process as an abort: exit 3, not the signal's own death (130, 143), which would skip
 * the 'exit' backstops that remove temporary files and child processes.
 */
function unhandled(signal: StopSignal): void {
  process.stderr.write(`\nstopped by ${signal}\n`);
  process.exit(EXIT_CODES.aborted);
}

function dispatch(signal: StopSignal): void {
  (handlers.at(-1) ?? unhandled)(signal);
}

/**
 * Takes SIGINT, SIGTERM and SIGHUP for the whole process. The CLI calls it first thing, so that a signal
 * at any moment is handled; `handleSignals` calls it too, for library use.
 */
export function installSignalHandling(): void {
  if (installed) return;
  installed = true;
  for (const signal of STOP_SIGNALS) process.on(signal, dispatch);
}

/** Sends SIGINT, SIGTERM and SIGHUP to `handler` until the returned function is called. */
export function handleSignals(handler: SignalHandler): () => void {
  installSignalHandling();
  handlers.push(handler);
  return () => {
    const index = handlers.lastIndexOf(handler);
    if (index !== -1) handlers.splice(index, 1);
  };
}
