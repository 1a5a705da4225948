import {
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_LONG_POLL_TIMEOUT_MS,
  DEFAULT_SSE_RETRY_MS,
  H2_MAX_MULTIPLEX,
} from '../core/constants.js';
import { FIGURE_NAMES } from '../document/comparison.js';
import { PROBE_SETTINGS } from '../harness/capacity/headroom.js';
import { FIGURES } from '../report/compare/figures.js';
import { DEFAULT_THRESHOLD_SPEC } from '../report/compare/thresholds.js';
import { formatInteger } from '../report/format.js';
import { formatDuration } from '../scenario/duration.js';
import { defaultScenario } from '../scenario/defaults.js';
import type { ScenarioField } from '../scenario/field-values.js';
import { TRANSPORT_NAMES } from '../transports/registry.js';

/** The longer texts `--help` shows after a command's flags. */

/** The scenario's values with no --scenario (the built-in notify is the defaults, field for field). */
const DEFAULTS = defaultScenario(TRANSPORT_NAMES);

/** Short forms, where one is conventional: `-c 500 -d 30s -o r.html`. */
const SHORT_FLAGS: Readonly<Record<string, string>> = { clients: '-c', duration: '-d', transport: '-t' };

/** A scenario field's flag for commander, its short form first when it has one. */
export function scenarioFlag(field: ScenarioField): string {
  const short = SHORT_FLAGS[field.name];
  return `${short === undefined ? '' : `${short}, `}--${field.name} <${field.arg}>`;
}

/** A scenario field's help, with the value a run takes when neither the flag nor a --scenario file sets it. */
export function scenarioFlagHelp(field: ScenarioField): string {
  return `${field.meaning} (default: ${field.format(DEFAULTS[field.property] as never)}, unless --scenario sets it)`;
}

/** `Examples:` and one command a line (`command  # what it shows`), the comments aligned. */
function examples(...lines: string[]): string {
  const parts = lines.map((line) => line.split(/\s+# /));
  const width = Math.max(...parts.map(([command]) => command!.length));
  const shown = parts.map(([command, note]) =>
    note === undefined ? command! : `${command!.padEnd(width)}  # ${note}`,
  );
  return `\nExamples:\n${shown.map((line) => `  $ im-bench ${line}`).join('\n')}`;
}

/** serve's timings: each a duration flag, with its help and its default. */
export const SERVE_TIMINGS = [
  ['--heartbeat', 'SSE heartbeat comment and WebSocket ping interval', DEFAULT_HEARTBEAT_MS],
  ['--sse-retry', 'reconnect delay announced to SSE clients with retry:', DEFAULT_SSE_RETRY_MS],
  ['--long-poll-timeout', 'how long a long poll is held when it names no timeout', DEFAULT_LONG_POLL_TIMEOUT_MS],
] as const;

const COUNTS: readonly string[] = ['req', 'copies'];
const KEY_WIDTH = Math.max(...FIGURE_NAMES.map((name) => name.length));

/** The figures by the names thresholds give them (run's and compare's alike): the one list, from FIGURES. */
const FIGURE_KEYS = FIGURE_NAMES.map((name) => {
  const { label, unit } = FIGURES[name];
  const shown = COUNTS.includes(unit) || label.endsWith(unit) ? '' : `, ${unit}`;
  return `  ${name.padEnd(KEY_WIDTH)}  ${label}${shown}`;
}).join('\n');

export const RUN_HELP = `
Every flag overrides the scenario field of the same name; the rest come from the scenario.
Every duration names its unit: 500ms, 10s, 2m (only 0 goes without). Latency is measured from
each message's scheduled publish time, so a stalled publisher cannot hide delay; warm-up is
left out of every figure.
A value that does not fit another (fault-at past the duration) is blamed on the one given last,
a flag before the scenario file, and the message says where the other came from.

Thresholds gate the run on its own figures, with no baseline: --threshold EXPRESSION (repeat
it), or a scenario file's "thresholds:" list, which --threshold replaces. An expression is
[TECHNIQUE:]FIGURE CMP VALUE[UNIT], CMP one of < <= > >= ==:
  p99<50ms   lost==0   sse:bytes_per_msg<300   reference/websocket:connect_p99<=20ms
Units: us, ms, s for times; B, KB, KiB, MB, MiB for sizes; msg/s; counts bare; a bare number is
in the figure's unit. Without TECHNIQUE: every technique run. Over --repeat a figure is the
median of the repetitions (lost: the worst), as compare reads it. Each is printed with its
measured value and written into the document; exit 1 when one fails (an unmeasured figure
fails). Figures:
${FIGURE_KEYS}
${examples(
  'run -c 20 -d 2s # a quick look at every technique',
  'run -t sse,websocket -c 500 --rate 20 -o r.html # two techniques at your size, a report',
  'run --scenario ticker --repeat 3 -o base.json # a baseline for compare',
  "run --threshold 'p99<50ms' --threshold lost==0 # gate CI on absolute figures",
  'run --server reference,nchan -t sse # the same technique on two servers',
)}`;

export const SWEEP_HELP = `
Give --clients or --rate a comma-separated list: the scenario runs once per value, every
technique at each, and one document holds a series per technique. --format table and md print
the curves as tables; html draws them. Thresholds are for run: sweep has no --threshold, and
leaves a scenario file's thresholds unjudged (it says so).
${examples('sweep -c 10,100,1000 -o sweep.html', 'sweep --rate 10,50,200 -t sse,websocket -d 5s')}`;

export const COMPARE_HELP = `
Default thresholds (a --threshold item replaces the one of the same name; NAME=off drops it):
  ${DEFAULT_THRESHOLD_SPEC.split(',').join(' ')}
Figures:
${FIGURE_KEYS}
A change fails when it is past its threshold and its resolution (latency 0.5 ms, …) and a
one-sided t-test over the repetitions (Yuen's: on 20 % trimmed means, so one stray repetition
in six neither hides nor makes a change), Holm-corrected across every figure tested, is
below --alpha. Past its threshold but not beyond the repetitions' noise, it is "inconclusive":
a warning on stderr with the --repeat that would decide it, and exit 0. Record base and head
with --repeat 6 or more: with a single repetition only lost copies can fail. When the load
generator's own CPU per copy differs by more than 20 % between them, the machine ran at another
speed: latency, CPU and connect figures are then inconclusive, whatever they did.
Documents must share the scenario's clients, rate, pattern, payload, publisher and channels,
and the deployment (TLS or cleartext) unless --allow-mismatch.
Exit codes: 0 no regression (inconclusive changes warn), 1 a regression, 2 the documents
cannot be compared.
${examples('compare base.json head.json', 'compare base.json head.json --threshold p99=+20% --threshold lost=off')}`;

export const CAPACITY_HELP = `
Each technique gets a fresh reference server. Short polling is asked with a caught-up cursor
(GET /poll?since=LAST, answered 204: nothing new); long polling with a cursor one message
behind and timeout=0 (answered at once, 200 with that message, as a held poll is when a publish
releases it). The ceiling is answered requests per second over the measured time. "saturated"
says which process used 90 % of a core or more: only a saturated server makes the figure the
server's ceiling. "im-bench run --capacity FILE" shows each polling technique's requests/s as
a share of it; "--capacity probe" measures it first (${formatInteger(PROBE_SETTINGS.connections)} connections, ${formatDuration(PROBE_SETTINGS.durationMs)} each).
Exit codes: 0 ok, 2 bad usage, 3 aborted (Ctrl-C: what was measured is printed), 4 the server would not start.
${examples('capacity', 'capacity -d 10s --json -o ceilings.json', 'run --capacity ceilings.json')}`;

export const MERGE_HELP = `
Each shard (run --shard I/N --target URL --json) holds its slice of the clients and publishes
its share of the schedule; give every shard's document, 0 to N-1, in any order. Histograms are
merged exactly and percentiles recomputed; counts are summed and per-message figures
recomputed; the server's CPU and memory, which every shard read from the one server, are the
largest reading (idle RSS the smallest); the generator figures are the worst shard's, and
each shard's own stay under "merged". Shards that did not finish, of different runs or
scenarios, or with an index missing or repeated are refused with exit 2, naming the file.
${examples('merge shard-0.json shard-1.json -o merged.json')}`;

export const REPORT_HELP = examples(
  'report result.json # the table',
  'report result.json --format md -o r.md',
  'report result.json -o r.html -o r.csv',
);

export const SCENARIOS_HELP = examples('scenarios', 'scenarios ticker > my-feed.yaml # a start for a file of your own');

export const SERVE_EXAMPLES = examples('serve', 'serve --port 8080 --heartbeat 5s', 'serve --journal log.jsonl');

export const EXIT_CODES_HELP = `
Exit codes:
  0  ok
  1  a threshold or regression check failed
  2  bad usage or configuration
  3  aborted (Ctrl-C or SIGTERM): what was measured so far is printed
  4  the run itself failed (server would not start, every client failed, an --out file could
     not be written: the document is then in the fallback file the message names)`;

/** The calibration flags' texts: they slow the server on purpose, to check that compare notices. */
export const CALIBRATE_HELP = {
  serveDelay:
    'CALIBRATION ONLY, never for real measurements: hold every accepted publish at least this long (a timer, no CPU) before appending it and answering; slows the server on purpose so that compare can be checked',
  serveCpu:
    'CALIBRATION ONLY, never for real measurements: burn this much CPU (busy, e.g. 3us, 2.5us, 1ms) per envelope copy sent to one client; slows the server on purpose so that compare can be checked',
  runDelay:
    'CALIBRATION ONLY, never for real measurements: start each reference server with serve --calibrate-delay (every publish held this long); recorded in the document as calibration. Not with --target',
  runCpu:
    'CALIBRATION ONLY, never for real measurements: start each reference server with serve --calibrate-cpu, CPU burned per envelope copy: one duration for every technique, or TECHNIQUE=DURATION,... (unlisted: 0), e.g. sse=3us,websocket=2.5us; recorded in the document. Not with --target',
} as const;

/** Which servers `run` and `sweep` measure (docs/profiles.md). */
export const SERVER_HELP = {
  server:
    'the kinds of server im-bench starts, a fresh one per technique: reference (the default), nchan (nginx + nchan), socketio or socketio-recovery (a Socket.IO 4 relay, without or with connection state recovery), or a profile file NAME.yaml (docs/profiles.md); comma-separated to measure each, e.g. reference,nchan. A technique a server does not offer is skipped with a line saying so',
  target:
    'drive this server, already running, instead of starting one: http://HOST:PORT, or https://HOST:PORT over TLS (see --ca); it speaks the wire contract (GET /stats included), or what --profile says',
  profile:
    "with --target: how to speak to it, a built-in profile (nchan) or a profile file; server CPU and memory are then read from --server-pid, or the profile's figures, else reported as not measured",
  serverPid:
    "with --target and --profile: the processes (comma-separated; each with every process below it) whose CPU and memory are the server's",
  serverWorkers:
    "worker processes of a server im-bench starts from a profile whose config takes {{workers}} (nginx's worker_processes for nchan), default 1; recorded in the document. The reference server is one process",
};

/** How the deployment measured is shaped (docs/scenarios.md, "Over TLS" and after). */
export const DEPLOYMENT_HELP = {
  tls:
    'every technique over TLS (https, wss) with a certificate made for the run, which the clients trust; ' +
    "a profile's server (--server) when its profile serves TLS (nchan's does), else behind --via, where TLS ends. " +
    'A --target over TLS is an https:// URL instead',
  ca:
    "with an https:// --target: the PEM certificates its certificate must be signed by (default: a CA of Node's store); " +
    'it is checked for the name in the URL, though the load goes to the address that name resolved to',
  http2:
    'short polling, long polling, SSE and HTTP streaming over HTTP/2: h2 with --tls or to an https:// --target (by ALPN), ' +
    'else h2c (cleartext, prior knowledge, on a port of its own); the WebSocket stays HTTP/1.1 (WebSocket over ' +
    "HTTP/2, RFC 8441, is not built). The reference server, a profile's server with --tls when its profile serves h2 " +
    "(nchan's does), or any behind --via, where HTTP/2 ends (not socketio: its client speaks HTTP/1.1)",
  h2Multiplex: `with --http2: clients per HTTP/2 connection, 1 to ${H2_MAX_MULTIPLEX}, as one browser's tabs of one origin share one (default: 1, a connection each)`,
  via:
    'nginx between the clients and the server im-bench starts (the reference server or a profile’s; Debian: nginx-light): nginx, ' +
    'configured for push (no buffering, read timeout above the long-poll timeout, WebSocket upgrade forwarded); ' +
    'nginx-defaults, as a first deployment has it, whose effect on each technique the report explains. ' +
    'TLS and HTTP/2 end at nginx; its CPU and memory are reported apart from the server’s',
};
