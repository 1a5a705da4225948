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
import { DEFAULT_SCENARIO_NAME } from '../scenario/defaults.js';
import { FLAG_FIELDS } from '../scenario/fields.js';
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

/** `run` flags: the scenario fields by their camel-cased names (`pollInterval`), plus these. */
export interface RunFlags {
  scenario?: string;
  pin: string;
  json?: boolean;
  out?: string;
  quiet?: boolean;
  [scenarioField: string]: string | boolean | undefined;
}

export interface CommandActions {
  serve(flags: ServeFlags): Promise<number>;
  run(flags: RunFlags): Promise<number>;
  scenarios(): Promise<number>;
}

const EXIT_CODES_HELP = `
Exit codes:
  0  ok
  1  a threshold or regression check failed
  2  bad usage or configuration
  3  aborted (Ctrl-C): what was measured so far is printed
  4  the run itself failed (server would not start, every client failed)`;

/** Declarations only: what each command and flag is called and what it means. */
export function buildProgram(actions: CommandActions, setExitCode: (code: number) => void): Command {
  const program = new Command('im-bench')
    .description('Benchmark and compare short polling, long polling, Server-Sent Events and WebSocket.')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP);

  const runCommand = program
    .command('run')
    .description('Run a scenario against each technique in turn, each on a fresh reference server, and compare them.')
    .option('--scenario <name|file>', `a built-in scenario (see "im-bench scenarios") or a .json/.yaml file; default ${DEFAULT_SCENARIO_NAME}`);
  for (const field of FLAG_FIELDS) runCommand.option(`--${field.name} <${field.arg}>`, field.meaning);
  runCommand
    .addOption(new Option('--pin <mode>', 'auto: server on one CPU, generator on the others (taskset); off: no pinning').choices(['auto', 'off']).default('auto'))
    .option('--json', 'print the result document (JSON, schema im-bench/result@1) instead of the table')
    .option('--out <file>', 'also write the result document to FILE, rewritten after each technique')
    .option('--quiet', 'no progress line on stderr')
    .addHelpText(
      'after',
      `
Every flag overrides the scenario field of the same name; the rest come from the scenario.
Durations take ms, s or m: 500ms, 10s, 2m. Latency is measured from each message's scheduled
publish time, so a stalled publisher cannot hide delay; warm-up is left out of every figure.`,
    )
    .action(async (flags: RunFlags) => setExitCode(await actions.run(flags)));

  program
    .command('scenarios')
    .description('List the built-in scenarios.')
    .action(async () => setExitCode(await actions.scenarios()));

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
