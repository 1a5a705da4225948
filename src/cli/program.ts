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
import { formatInteger } from '../report/format.js';
import {
  DEFAULT_CAPACITY_CONNECTIONS,
  DEFAULT_CAPACITY_DURATION_MS,
  DEFAULT_CAPACITY_WARMUP_MS,
} from '../harness/capacity/capacity.js';
import { PROBE_SETTINGS } from '../harness/capacity/headroom.js';
import { DEFAULT_THRESHOLD_SPEC } from '../report/compare/thresholds.js';
import { formatDuration } from '../scenario/duration.js';
import { DEFAULT_SCENARIO_NAME } from '../scenario/defaults.js';
import { flagFields } from '../scenario/fields.js';
import { TRANSPORT_NAMES } from '../transports/registry.js';

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
  journal?: string;
  json?: boolean;
}

/** `run` flags: the scenario fields by their camel-cased names (`pollInterval`), plus these. */
export interface RunFlags {
  scenario?: string;
  target?: string;
  capacity?: string;
  allowRemote?: boolean;
  repeat: string;
  pin: string;
  workers: string;
  localAddress: string;
  shard?: string;
  format?: string;
  json?: boolean;
  out?: string[];
  quiet?: boolean;
  [scenarioField: string]: string | string[] | boolean | undefined;
}

export interface CapacityFlags {
  transport: string;
  connections: string;
  duration: string;
  warmup: string;
  pin: string;
  json?: boolean;
  out?: string;
  quiet?: boolean;
}

export interface ReportFlags {
  format?: string;
  out?: string[];
}

export interface MergeFlags {
  format: string;
  out?: string[];
}

export interface CompareFlags {
  threshold?: string;
  format: string;
}

export interface CommandActions {
  serve(flags: ServeFlags): Promise<number>;
  run(flags: RunFlags): Promise<number>;
  sweep(flags: RunFlags): Promise<number>;
  capacity(flags: CapacityFlags): Promise<number>;
  report(file: string, flags: ReportFlags): Promise<number>;
  compare(base: string, head: string, flags: CompareFlags): Promise<number>;
  merge(files: string[], flags: MergeFlags): Promise<number>;
  scenarios(): Promise<number>;
}

const OUTPUT_FORMATS = ['table', 'json', 'md', 'html', 'csv'];

const OUT_HELP =
  'also write the document to FILE, in the format its extension names: .json, .md, .html, .csv (repeat the flag for several)';

/** `--out a.json --out a.html`: each occurrence adds a file. */
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The flags `run` and `sweep` share: the scenario's fields, and how to run and report. */
function addMeasurementOptions(command: Command): Command {
  command.option(
    '--scenario <name|file>',
    `a built-in scenario (see "im-bench scenarios") or a .json/.yaml file; default ${DEFAULT_SCENARIO_NAME}`,
  );
  for (const field of flagFields(TRANSPORT_NAMES)) command.option(`--${field.name} <${field.arg}>`, field.meaning);
  return command
    .option(
      '--target <url>',
      'drive this server (it must speak the wire contract, GET /stats included) instead of a fresh reference server',
    )
    .option(
      '--allow-remote',
      'allow a --target that is not on this machine (loopback is the default, judged on the resolved address)',
    )
    .option(
      '--capacity <file|probe>',
      'show each polling technique\'s requests/s as a share of the reference server\'s ceiling: a document from "im-bench capacity --out FILE", or probe to measure it first (about 3 s per polling technique)',
    )
    .option(
      '--repeat <n>',
      'run each technique N times, keeping every repetition (compare uses their spread as noise)',
      '1',
    )
    .addOption(
      new Option('--pin <mode>', 'auto: server on one CPU, generator on the others (taskset); off: no pinning')
        .choices(['auto', 'off'])
        .default('auto'),
    )
    .option(
      '--workers <n|auto>',
      'generator processes holding the clients, each with its own event loop and open-file budget; auto: enough for the open-file limit (10,000 clients each), and one per spare core beyond 2,000 clients',
      'auto',
    )
    .option(
      '--local-address <addresses>',
      "source addresses for the clients' connections, dealt out in turn (127.0.0.2-127.0.0.9 or a comma list), so more clients fit the ephemeral ports; auto: 127.0.0.2-127.0.0.9 past 15,000 clients to a loopback server; none: the system's choice",
      'auto',
    )
    .option(
      '--shard <i/n>',
      'run slice I (0-based) of N of the clients against one --target, publishing share I of the schedule; join the documents with im-bench merge',
    )
    .addOption(new Option('--format <format>', 'what to print on stdout (default table)').choices(OUTPUT_FORMATS))
    .option('--json', 'the same as --format json: the result document (schema im-bench/result@1)')
    .option('--out <file>', `${OUT_HELP}; rewritten as the run goes, so a failure loses nothing`, collect)
    .option('--quiet', 'no progress line on stderr');
}

const COMPARE_HELP = `
Default thresholds (a --threshold item replaces the one of the same name; NAME=off drops it):
  ${DEFAULT_THRESHOLD_SPEC.split(',').join(' ')}
A change fails when it is beyond its threshold and, when the base was run with --repeat,
also outside the base's spread; inside the spread it is reported as noise and passes.
Documents must share the scenario's clients, rate, pattern, payload, publisher and channels.
Exit codes: 0 no regression, 1 a regression, 2 the documents cannot be compared.`;

const CAPACITY_HELP = `
Each technique gets a fresh reference server. Short polling is asked with a caught-up cursor
(GET /poll?since=LAST, answered 204: nothing new); long polling with a cursor one message
behind and timeout=0 (answered at once, 200 with that message, as a held poll is when a publish
releases it). The ceiling is answered requests per second over the measured time. "saturated"
says which process used 90 % of a core or more: only a saturated server makes the figure the
server's ceiling. "im-bench run --capacity FILE" shows each polling technique's requests/s as
a share of it; "--capacity probe" measures it first (${formatInteger(PROBE_SETTINGS.connections)} connections, ${formatDuration(PROBE_SETTINGS.durationMs)} each).
Exit codes: 0 ok, 2 bad usage, 3 aborted (Ctrl-C: what was measured is printed), 4 the server would not start.`;

const MERGE_HELP = `
Each shard (run --shard I/N --target URL --json) holds its slice of the clients and publishes
its share of the schedule; give every shard's document, 0 to N-1, in any order. Histograms are
merged exactly and percentiles recomputed; counts are summed and per-message figures
recomputed; the server's CPU and memory, which every shard read from the one server, are the
largest reading (idle RSS the smallest); the generator figures are the worst shard's, and
each shard's own stay under "merged". Shards that did not finish, of different runs or
scenarios, or with an index missing or repeated are refused with exit 2, naming the file.`;

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

  addMeasurementOptions(
    program
      .command('run')
      .description(
        'Run a scenario against each technique in turn, each on a fresh reference server, and compare them.',
      ),
  )
    .addHelpText(
      'after',
      `
Every flag overrides the scenario field of the same name; the rest come from the scenario.
Durations take ms, s or m: 500ms, 10s, 2m. Latency is measured from each message's scheduled
publish time, so a stalled publisher cannot hide delay; warm-up is left out of every figure.`,
    )
    .action(async (flags: RunFlags) => setExitCode(await actions.run(flags)));

  addMeasurementOptions(
    program
      .command('sweep')
      .description(
        "Run a scenario at several client counts (or rates) and draw each technique's curve: --clients 10,100,1000.",
      ),
  )
    .addHelpText(
      'after',
      `
Give --clients or --rate a comma-separated list: the scenario runs once per value, every
technique at each, and one document holds a series per technique. --format table and md print
the curves as tables; html draws them.`,
    )
    .action(async (flags: RunFlags) => setExitCode(await actions.sweep(flags)));

  program
    .command('capacity')
    .description(
      'Drive the polling endpoints of a fresh reference server with autocannon and report its request ceiling for each.',
    )
    .option('--transport <names>', 'all, short-polling or long-polling (a comma-separated list of them)', 'all')
    .option(
      '--connections <n>',
      'keep-alive connections, each sending its next request as soon as the last is answered',
      String(DEFAULT_CAPACITY_CONNECTIONS),
    )
    .option(
      '--duration <duration>',
      'measured time per technique (1s or more; autocannon counts in 1 s samples)',
      formatDuration(DEFAULT_CAPACITY_DURATION_MS),
    )
    .option(
      '--warmup <duration>',
      'load before the measured time, left out of every figure, so the server runs compiled code (0 for none)',
      formatDuration(DEFAULT_CAPACITY_WARMUP_MS),
    )
    .addOption(
      new Option('--pin <mode>', 'auto: server on one CPU, generator on the others (taskset); off: no pinning')
        .choices(['auto', 'off'])
        .default('auto'),
    )
    .option('--json', 'print the capacity document (schema im-bench/capacity@1) instead of the table')
    .option(
      '--out <file>',
      'also write the capacity document (JSON) to FILE, rewritten after each technique; "im-bench run --capacity FILE" reads it',
    )
    .option('--quiet', 'no progress line on stderr')
    .addHelpText('after', CAPACITY_HELP)
    .action(async (flags: CapacityFlags) => setExitCode(await actions.capacity(flags)));

  program
    .command('report')
    .description('Render a saved result or sweep document (from --json or --out FILE.json) in another format.')
    .argument('<file>', 'a result document (im-bench/result@1) or sweep document (im-bench/sweep@1)')
    .addOption(new Option('--format <format>', 'what to print on stdout (default table)').choices(OUTPUT_FORMATS))
    .option('--out <file>', OUT_HELP, collect)
    .action(async (file: string, flags: ReportFlags) => setExitCode(await actions.report(file, flags)));

  program
    .command('compare')
    .description('Compare two result documents per technique and figure; exit 1 when a change passes its threshold.')
    .argument('<base>', 'the baseline result document')
    .argument('<head>', 'the result document to judge')
    .option(
      '--threshold <limits>',
      'limits that override the defaults, e.g. p99=+10%,throughput=-5%,bytes_per_msg=+5%,lost=+0',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'md', 'json']).default('table'))
    .addHelpText('after', COMPARE_HELP)
    .action(async (base: string, head: string, flags: CompareFlags) =>
      setExitCode(await actions.compare(base, head, flags)),
    );

  program
    .command('merge')
    .description(
      'Merge the result documents of a sharded run (run --shard I/N, one per shard) into one document for all its clients.',
    )
    .argument('<files...>', "every shard's result document (im-bench/result@1), in any order")
    .addOption(new Option('--format <format>', 'what to print on stdout').choices(OUTPUT_FORMATS).default('json'))
    .option('--out <file>', OUT_HELP, collect)
    .addHelpText('after', MERGE_HELP)
    .action(async (files: string[], flags: MergeFlags) => setExitCode(await actions.merge(files, flags)));

  program
    .command('scenarios')
    .description('List the built-in scenarios.')
    .action(async () => setExitCode(await actions.scenarios()));

  program
    .command('serve')
    .description('Start the reference server: every technique over one broker, plus a live demo page at /.')
    .option(
      '--transport <names>',
      `techniques to serve: all, or a comma-separated list of ${TRANSPORT_NAMES.join(', ')}`,
      'all',
    )
    .option('--host <address>', 'address to listen on', DEFAULT_HOST)
    .option('--port <n>', 'port to listen on; 0 picks a free one (read it from the printed line)', '0')
    .option(
      '--ring <n>',
      'messages kept per channel for resume; older cursors get a gap marker',
      String(DEFAULT_RING_SIZE),
    )
    .option(
      '--max-message <bytes>',
      'largest publish body or WebSocket message (413 / close 1009 beyond)',
      String(DEFAULT_MAX_MESSAGE_BYTES),
    )
    .option('--allow-origin <origins...>', 'foreign page origins allowed to open WebSockets and publish (* for any)')
    .option('--heartbeat <ms>', 'SSE heartbeat comment and WebSocket ping interval', String(DEFAULT_HEARTBEAT_MS))
    .option('--sse-retry <ms>', 'reconnect delay announced to SSE clients with retry:', String(DEFAULT_SSE_RETRY_MS))
    .option(
      '--long-poll-timeout <ms>',
      'how long a long poll is held when it names no timeout',
      String(DEFAULT_LONG_POLL_TIMEOUT_MS),
    )
    .option(
      '--journal <file>',
      'keep the log in this append-only file, so a restarted server resumes it (same messages, same epoch)',
    )
    .addOption(new Option('--json', 'print the ready line as one JSON object: {"event":"listening","url",...}'))
    .addHelpText(
      'after',
      '\nPrints "listening http://HOST:PORT" once ready. SIGTERM or SIGINT closes every connection and exits 0.',
    )
    .action(async (flags: ServeFlags) => setExitCode(await actions.serve(flags)));

  return program;
}
