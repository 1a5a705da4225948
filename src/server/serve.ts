import { EXIT_CODES, type ExitCode } from '../core/constants.js';
import { ReferenceServer } from './reference-server.js';
import type { ServerOptions } from './server-options.js';

/** If closing ever hangs, the process still ends inside the 2 s a harness allows it, but says so. */
const FORCED_EXIT_MS = 1_800;

export interface ServeOutput {
  json: boolean;
  write(line: string): void;
}

interface StopRequest {
  /** Settles on the first SIGTERM or SIGINT, or when the harness that spawned us goes away. */
  readonly asked: Promise<void>;
  /** Stops listening (the server never started). */
  dispose(): void;
}

/** From the first request on, a second signal exits at once, and a close that hangs is cut short. */
function listenForStop(): StopRequest {
  let settle!: () => void;
  const asked = new Promise<void>((resolve) => (settle = resolve));
  const dispose = (): void => {
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('disconnect', onSignal);
  };
  function onSignal(): void {
    dispose();
    process.once('SIGTERM', () => process.exit(EXIT_CODES.aborted));
    process.once('SIGINT', () => process.exit(EXIT_CODES.aborted));
    setTimeout(() => {
      process.stderr.write(`im-bench serve: connections still open after ${FORCED_EXIT_MS} ms; exiting anyway\n`);
      process.exit(EXIT_CODES.runFailed);
    }, FORCED_EXIT_MS).unref();
    settle();
  }
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // Spawned by a harness with an IPC channel: its end (the harness exited or crashed) ends us too.
  if (process.channel !== undefined) {
    process.channel.unref();
    process.once('disconnect', onSignal);
  }
  return { asked, dispose };
}

/**
 * `im-bench serve`: starts the reference server, prints one line a harness can read the
 * port from, and on SIGTERM or SIGINT closes every connection and resolves with exit code 0.
 * A second signal exits at once.
 */
export async function serve(options: ServerOptions, output: ServeOutput): Promise<ExitCode> {
  // Listening before the ready line is printed: a harness may signal the moment it reads it,
  // and the default action of SIGTERM would leave the journal's lock behind.
  const stop = listenForStop();
  let server: ReferenceServer;
  try {
    server = await ReferenceServer.start(options);
  } catch (error) {
    stop.dispose();
    throw error;
  }
  const ready = output.json
    ? JSON.stringify({
        event: 'listening',
        url: server.url,
        host: options.host,
        port: server.port,
        pid: process.pid,
        transports: options.transports,
      })
    : `listening ${server.url}`;
  output.write(`${ready}\n`);
  await stop.asked;
  await server.close();
  return EXIT_CODES.ok;
}
