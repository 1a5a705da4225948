import { EXIT_CODES, type ExitCode } from '../core/constants.js';
import { handleSignals } from '../core/signals.js';
import { ReferenceServer } from './reference-server.js';
import type { ServerOptions } from './server-options.js';

/** If closing ever hangs, the process still ends inside the 2 s a harness allows it, but says so. */
const FORCED_EXIT_MS = 1_800;

export interface ServeOutput {
  json: boolean;
  write(line: string): void;
}

function readyLine(server: ReferenceServer, options: ServerOptions, json: boolean): string {
  const h2cUrl = server.h2cUrl;
  if (!json) return `listening ${server.url}${h2cUrl === undefined ? '' : `\nh2c ${h2cUrl}`}`;
  return JSON.stringify({
    event: 'listening',
    url: server.url,
    ...(h2cUrl === undefined ? {} : { h2cUrl }),
    host: options.host,
    port: server.port,
    pid: process.pid,
    transports: options.transports,
  });
}

/**
 * Resolves on the first SIGTERM, SIGINT or SIGHUP, or when the harness that spawned us with an IPC
 * channel goes away; a second signal exits at once with 3. Listening starts before the server
 * does, so a signal while it starts is a stop like any other.
 */
function stopRequested(): { stopped: Promise<void>; requested: () => boolean; release: () => void } {
  let requested = false;
  let resolve!: () => void;
  const stopped = new Promise<void>((settle) => (resolve = settle));
  const stop = (): void => {
    requested = true;
    resolve();
  };
  let signals = 0;
  const releaseSignals = handleSignals(() => {
    if (++signals > 1) process.exit(EXIT_CODES.aborted);
    stop();
  });
  // Spawned by a harness with an IPC channel: its end (the harness exited or crashed) ends us too.
  if (process.channel !== undefined) {
    process.channel.unref();
    process.once('disconnect', stop);
  }
  const release = (): void => {
    releaseSignals();
    process.removeListener('disconnect', stop);
  };
  return { stopped, requested: () => requested, release };
}

/**
 * `im-bench serve`: starts the reference server, prints one line a harness can read the
 * port from, and on SIGTERM, SIGINT or SIGHUP closes every connection and resolves with exit code 0.
 * A signal before it is ready stops it without the ready line, also with 0.
 */
export async function serve(options: ServerOptions, output: ServeOutput): Promise<ExitCode> {
  const { stopped, requested, release } = stopRequested();
  try {
    const server = await ReferenceServer.start(options);
    if (!requested()) output.write(`${readyLine(server, options, output.json)}\n`);
    await stopped;
    const forced = setTimeout(() => {
      process.stderr.write(`im-bench serve: connections still open after ${FORCED_EXIT_MS} ms; exiting anyway\n`);
      process.exit(EXIT_CODES.runFailed);
    }, FORCED_EXIT_MS).unref();
    await server.close();
    clearTimeout(forced);
    return EXIT_CODES.ok;
  } finally {
    // A second signal still exits at once while the server closes; once it has, the process is the caller's again.
    release();
  }
}
