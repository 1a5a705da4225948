import { Command, Option } from 'commander';
import { VERSION } from '../core/version.js';
import { PROXY_KINDS } from '../document/header.js';
import { addServeCommands } from './serve-program.js';
import {
  DEFAULT_CAPACITY_CONNECTIONS,
  DEFAULT_CAPACITY_DURATION_MS,
  DEFAULT_CAPACITY_WARMUP_MS,
} from '../harness/capacity/capacity.js';
import { PUBLISH_WAITS } from '../document/result.js';
import { DEFAULT_ALPHA } from '../document/comparison.js';
import { formatDuration } from '../scenario/duration.js';
import { DEFAULT_SCENARIO_NAME } from '../scenario/defaults.js';
import { flagFields } from '../scenario/fields.js';
import { POLLING_TRANSPORTS, TRANSPORT_NAMES, TRANSPORTS } from '../transports/registry.js';
import type { CapacityFlags, CommandActions, CompareFlags, Exit, MergeFlags, ReportFlags, RunFlags } from './flags.js';
import {
  CALIBRATE_HELP,
  SERVER_HELP,
  DEPLOYMENT_HELP,
  CAPACITY_HELP,
  COMPARE_HELP,
  EXIT_CODES_HELP,
  MERGE_HELP,
  REPORT_HELP,
  RUN_HELP,
  scenarioFlag,
  scenarioFlagHelp,
  SWEEP_HELP,
} from './help-texts.js';

const OUTPUT_FORMATS = ['table', 'json', 'md', 'html', 'csv'];

const OUT_HELP =
  'also write the document to FILE, in the format its extension names: .json, .md, .html, .csv, .txt (the table), or none for JSON; another extension is refused (repeat the flag for several); checked before measuring (a regular file or a new one, in a folder on a disk), and if it cannot be written later the document goes to a fallback file the error names (exit 4)';

/** `--out a.json --out a.html`: each occurrence adds a file. */
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** TLS, HTTP/2 and a proxy in front: the shape of the deployment measured. */
function addDeploymentOptions(command: Command): Command {
  return command
    .option('--tls', DEPLOYMENT_HELP.tls)
    .option('--ca <file>', DEPLOYMENT_HELP.ca)
    .option('--http2', DEPLOYMENT_HELP.http2)
    .option('--h2-multiplex <n>', DEPLOYMENT_HELP.h2Multiplex)
    .addOption(new Option('--via <proxy>', DEPLOYMENT_HELP.via).choices(PROXY_KINDS));
}

/** The flags `run` and `sweep` share: the scenario's fields, and how to run and report. */
function addMeasurementOptions(command: Command): Command {
  command.option(
    '--scenario <name|file>',
    `a built-in scenario (see "im-bench scenarios") or a .json/.yaml file; default ${DEFAULT_SCENARIO_NAME}`,
  );
  for (const field of flagFields(TRANSPORT_NAMES)) command.option(scenarioFlag(field), scenarioFlagHelp(field));
  command
    .option('--server <kinds>', SERVER_HELP.server)
    .option('--target <url>', SERVER_HELP.target)
    .option('--profile <name|file>', SERVER_HELP.profile)
    .option('--server-pid <pids>', SERVER_HELP.serverPid)
    .option('--server-workers <n>', SERVER_HELP.serverWorkers)
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
      'run each technique N times, keeping every repetition (compare tests a change against their spread: 6 or more for a CI gate)',
      '1',
    )
    .addOption(
      new Option('--pin <mode>', 'auto: server on one CPU, generator on the others (taskset); off: no pinning')
        .choices(['auto', 'off'])
        .default('auto'),
    )
    .addOption(
      new Option(
        '--publish-wait <mode>',
        "how the publisher waits for each message's due time. precise: a timer wakes it 1.5 ms early and it spins the rest (its lateness stays in microseconds; the spin costs CPU, up to one core at 1,000 msg/s, and gives way to the clients' work); coarse: the timer alone (0.3-0.7 ms late at the median, charged to every latency). The lateness is reported either way",
      )
        .choices(PUBLISH_WAITS)
        .default('precise'),
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
    .option('--calibrate-delay <duration>', CALIBRATE_HELP.runDelay)
    .option('--calibrate-cpu <[technique=]duration,...>', CALIBRATE_HELP.runCpu);
  return addDeploymentOptions(command)
    .addOption(new Option('--format <format>', 'what to print on stdout (default table)').choices(OUTPUT_FORMATS))
    .option('--json', 'the same as --format json: the result document (schema im-bench/result@3)')
    .option('-o, --out <file>', `${OUT_HELP}; rewritten as the run goes, so a failure loses nothing`, collect)
    .option('--quiet', 'no progress line on stderr');
}

/** Declarations only: what each command and flag is called and what it means. */
export function buildProgram(actions: CommandActions, setExitCode: (code: number) => void): Command {
  const program = new Command('im-bench')
    .description(
      `Benchmark and compare the ways a server pushes messages: ${TRANSPORTS.map((t) => t.title).join(', ')}.`,
    )
    .version(VERSION)
    .exitOverride()
    // commander's own errors wear the prefix ours do (main.ts), whichever of the two found it.
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /i, 'Error: ')) })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP);
  const exit = async (code: Promise<number>): Promise<void> => setExitCode(await code);
  addMeasurementCommands(program, actions, exit);
  addCapacityCommand(program, actions, exit);
  addDocumentCommands(program, actions, exit);
  addServeCommands(program, actions, exit);
  return program;
}

/** `run` and `sweep`. */
function addMeasurementCommands(program: Command, actions: CommandActions, exit: Exit): void {
  addMeasurementOptions(
    program
      .command('run')
      .description(
        'Run a scenario against each technique in turn, each on a fresh reference server, and compare them.',
      ),
  )
    .option(
      '--threshold <expression>',
      "fail the run (exit 1) unless a figure of its own holds, such as p99<50ms, lost==0 or sse:bytes_per_msg<300; repeat the flag for several; replaces the scenario file's thresholds (see below)",
      collect,
    )
    .addHelpText('after', RUN_HELP)
    .action((flags: RunFlags) => exit(actions.run(flags)));

  addMeasurementOptions(
    program
      .command('sweep')
      .description(
        "Run a scenario at several client counts (or rates) and draw each technique's curve: --clients 10,100,1000.",
      ),
  )
    .addHelpText('after', SWEEP_HELP)
    .action((flags: RunFlags) => exit(actions.sweep(flags)));
}

function addCapacityCommand(program: Command, actions: CommandActions, exit: Exit): void {
  program
    .command('capacity')
    .description(
      'Drive the polling endpoints of a fresh reference server with autocannon and report its request ceiling for each.',
    )
    .option('--transport <names>', `all, ${POLLING_TRANSPORTS.join(' or ')} (a comma-separated list of them)`, 'all')
    .option(
      '--connections <n>',
      'keep-alive connections, each sending its next request as soon as the last is answered',
      String(DEFAULT_CAPACITY_CONNECTIONS),
    )
    .option(
      '-d, --duration <duration>',
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
      '-o, --out <file>',
      'also write the capacity document (JSON) to FILE, rewritten after each technique (checked before measuring; a fallback file, and exit 4, if it cannot be written later); "im-bench run --capacity FILE" reads it',
    )
    .option('--quiet', 'no progress line on stderr')
    .addHelpText('after', CAPACITY_HELP)
    .action((flags: CapacityFlags) => exit(actions.capacity(flags)));
}

/** `report`, `compare` and `merge`: commands on saved documents. */
function addDocumentCommands(program: Command, actions: CommandActions, exit: Exit): void {
  program
    .command('report')
    .description('Render a saved result or sweep document (from --json or --out FILE.json) in another format.')
    .argument('<file>', 'a result document (im-bench/result@1 to @3) or sweep document (im-bench/sweep@1 to @3)')
    .addOption(new Option('--format <format>', 'what to print on stdout (default table)').choices(OUTPUT_FORMATS))
    .option('-o, --out <file>', OUT_HELP, collect)
    .addHelpText('after', REPORT_HELP)
    .action((file: string, flags: ReportFlags) => exit(actions.report(file, flags)));

  program
    .command('compare')
    .description(
      'Compare two result documents per technique and figure; exit 1 when a change passes its threshold and the noise of the repetitions.',
    )
    .argument('<base>', 'the baseline result document')
    .argument('<head>', 'the result document to judge')
    .option(
      '--threshold <limits>',
      'limits that override the defaults, e.g. p99=+10%,throughput=-5%,bytes_per_msg=+5%,lost=+0',
    )
    .option(
      '--alpha <p>',
      'the chance of a false alarm the whole comparison is held to, across all its figures (Holm-corrected)',
      String(DEFAULT_ALPHA),
    )
    .option(
      '--allow-mismatch',
      'compare documents of different deployments (TLS or not), saying so, instead of refusing (exit 2)',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'md', 'json']).default('table'))
    .addHelpText('after', COMPARE_HELP)
    .action((base: string, head: string, flags: CompareFlags) => exit(actions.compare(base, head, flags)));

  program
    .command('merge')
    .description(
      'Merge the result documents of a sharded run (run --shard I/N, one per shard) into one document for all its clients.',
    )
    .argument('<files...>', "every shard's result document (im-bench/result@1 to @3), in any order")
    .addOption(new Option('--format <format>', 'what to print on stdout').choices(OUTPUT_FORMATS).default('json'))
    .option('-o, --out <file>', OUT_HELP, collect)
    .addHelpText('after', MERGE_HELP)
    .action((files: string[], flags: MergeFlags) => exit(actions.merge(files, flags)));
}
