import { Command, Option } from 'commander';
import {
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_HOST,
  DEFAULT_LONG_POLL_TIMEOUT_MS,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_RING_SIZE,
  DEFAULT_SSE_RETRY_MS,
} from '../core/constants.js';
import { VERSION } from '../core/version.js';
import { TRANSPORT_NAMES } from '../transports/transport.js';

/** Flags exactly as commander hands them over: strings, validated later in options.ts. */
export interface ServeFlags {
  transport: string;
  host: string;
  port: string;
  ring: string;
  maxMessage: string;
  allowOrigin?: string[];
  heartbeat: string;
  sseRetry: string;
  longPollTimeout: string;
  json?: boolean;
}

export interface CommandActions {
  serve(flags: ServeFlags): Promise<number>;
}

const EXIT_CODES_HELP = `
Exit codes:
  0  ok
  1  a threshold or regression check failed
  2  bad usage or configuration
  3  aborted by a second signal
  4  the run itself failed (server would not start, every client failed)`;

/** Declarations only: what each command and flag is called and what it means. */
export function buildProgram(actions: CommandActions, setExitCode: (code: number) => void): Command {
  const program = new Command('im-bench')
    .description('Benchmark and compare short polling, long polling, Server-Sent Events and WebSocket.')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP);

  program
    .command('serve')
    .description('Start the reference server: all four techniques over one broker, plus a live demo page at /.')
    .option('--transport <names>', `techniques to serve: all, or a comma-separated list of ${TRANSPORT_NAMES.join(', ')}`, 'all')
    .option('--host <address>', 'address to listen on', DEFAULT_HOST)
    .option('--port <n>', 'port to listen on; 0 picks a free one (read it from the printed line)', '0')
    .option('--ring <n>', 'messages kept per channel for resume; older cursors get a gap marker', String(DEFAULT_RING_SIZE))
    .option('--max-message <bytes>', 'largest publish body or WebSocket message (413 / close 1009 beyond)', String(DEFAULT_MAX_MESSAGE_BYTES))
    .option('--allow-origin <origins...>', 'foreign page origins allowed to open WebSockets and publish (* for any)')
    .option('--heartbeat <ms>', 'SSE heartbeat comment and WebSocket ping interval', String(DEFAULT_HEARTBEAT_MS))
    .option('--sse-retry <ms>', 'reconnect delay announced to SSE clients with retry:', String(DEFAULT_SSE_RETRY_MS))
    .option('--long-poll-timeout <ms>', 'how long a long poll is held when it names no timeout', String(DEFAULT_LONG_POLL_TIMEOUT_MS))
    .addOption(new Option('--json', 'print the ready line as one JSON object: {"event":"listening","url",...}'))
    .addHelpText('after', '\nPrints "listening http://HOST:PORT" once ready. SIGTERM or SIGINT closes every connection and exits 0.')
    .action(async (flags: ServeFlags) => setExitCode(await actions.serve(flags)));

  return program;
}
