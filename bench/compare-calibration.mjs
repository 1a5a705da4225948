// Is `im-bench compare` a gate CI can trust? False alarms on unchanged code, detections of
// known slowdowns, at the settings of examples/github-actions.yml.
//   node bench/compare-calibration.mjs [--pairs 10] [--repeat 6] [--warmup 5s] [--duration 12s] [--dir DIR] [--evaluate]
// Rounds of four documents, each `im-bench run --scenario notify --clients 100` with the
// settings given, on this machine, one after the other, in an order that changes each round:
//   A  the unchanged build;
//   D  the server holding every publish 1 ms (serve's --calibrate-delay);
//   C  the server burning 25 % more CPU per message (serve's --calibrate-cpu, per technique:
//      a quarter of the technique's CPU/msg in the first unchanged document measured on a CPU
//      of this model, which is per delivered copy);
//   B  the unchanged build again.
// Then `compare` judges A→B (a false alarm when anything regresses), A→D (the delay is detected
// when a latency figure of a push technique regresses; short polling, whose p50 is half its
// poll interval, is judged on CPU only) and A→C (detected when CPU/msg regresses).
// The documents stay in DIR (default bench/results/compare-calibration/<settings>): a second
// invocation resumes where the first stopped, and --evaluate judges what is there without
// running anything, with the current build of compare. A file named PAUSE in DIR holds the next
// document until it is removed (the machine is then free for other work between two documents).
// A round is measured on one machine: one left unfinished on a machine of another CPU is set
// aside (DIR/set-aside/) and measured again whole.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { compare } from '../dist/report/compare/compare.js';
import { DEFAULT_THRESHOLDS } from '../dist/report/compare/thresholds.js';
import { parseResult } from '../dist/document/result-check.js';
import { TRANSPORT_NAMES } from '../dist/transports/registry.js';
import { runChild } from './children.mjs';
import { machine, median, printTable } from './lib.mjs';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '10' },
    repeat: { type: 'string', default: '6' },
    warmup: { type: 'string', default: '5s' },
    duration: { type: 'string', default: '12s' },
    clients: { type: 'string', default: '100' },
    delay: { type: 'string', default: '1ms' },
    'cpu-share': { type: 'string', default: '0.25' },
    dir: { type: 'string' },
    evaluate: { type: 'boolean', default: false },
  },
});
const pairs = Number(values.pairs);
const settings = ['--scenario', 'notify', '--clients', values.clients, '--warmup', values.warmup];
settings.push('--duration', values.duration, '--repeat', values.repeat);
const settingsName = `notify-c${values.clients}-w${values.warmup}-d${values.duration}-r${values.repeat}`;
const dir = values.dir ?? fileURLToPath(new URL(`results/compare-calibration/${settingsName}/`, import.meta.url));
const cli = fileURLToPath(new URL('../bin/im-bench.js', import.meta.url));
const statePath = join(dir, 'state.json');
const PUSH = ['long-polling', 'sse', 'websocket', 'http-streaming'];
const LATENCY = ['min', 'p50', 'p90', 'p99'];
// The order of the four documents changes from round to round, as the rows of a Williams square
// (each kind runs in each place once in four rounds, and follows each other kind once): run in a
// fixed order, the later documents of a round measured 10-25 % more CPU/msg than the first, with
// nothing changed, and that drift would be taken for the effect of the kind.
const ORDERS = [
  ['A', 'B', 'D', 'C'],
  ['B', 'C', 'A', 'D'],
  ['C', 'D', 'B', 'A'],
  ['D', 'A', 'C', 'B'],
];
const orderOf = (round) => ORDERS[(round - 1) % ORDERS.length];
const KINDS = ORDERS[0];

mkdirSync(dir, { recursive: true });
// As the documents name it (environment.cpuModel).
const THIS_CPU = cpus()[0]?.model.trim() || 'unknown';
const state = existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')) : { seconds: {}, cpuPerCopy: {} };
const save = () => writeFileSync(statePath, `${JSON.stringify(state, null, 2)}\n`);
// Gzipped: the documents are kept (committed, when a calibration spans sessions), and mostly histograms.
const documentPath = (kind, round) => join(dir, `${kind}${round}.json.gz`);
const load = (kind, round) =>
  parseResult(gunzipSync(readFileSync(documentPath(kind, round))).toString('utf8'), `${kind}${round}`, TRANSPORT_NAMES);
const cpuOf = (kind, round) => load(kind, round).environment.cpuModel;

/**
 * The CPU to burn per copy on this machine's model of CPU: per technique, a quarter (--cpu-share)
 * of its CPU/msg in the first unchanged document (A or B) measured on it. CPU/msg
 * (server.cpuMicrosPerMessage) is already per delivered copy, the unit --calibrate-cpu burns in.
 * Per model, because the sessions of a calibration may run on machines of other CPUs, where the
 * same microseconds are another share: +25 % on one was +36 % on the next. Undefined while no
 * unchanged document was measured on this model.
 */
function cpuPerCopy() {
  if (state.cpuPerCopy[THIS_CPU] !== undefined) return state.cpuPerCopy[THIS_CPU];
  for (let round = 1; round <= pairs; round++)
    for (const kind of ['A', 'B']) {
      if (!existsSync(documentPath(kind, round)) || cpuOf(kind, round) !== THIS_CPU) continue;
      const amounts = {};
      for (const technique of load(kind, round).transports) {
        const runs = technique.repetitions ?? [technique];
        const perCopy = median(runs.map((run) => run.server.cpuMicrosPerMessage));
        amounts[technique.transport] = Number((perCopy * Number(values['cpu-share'])).toFixed(2));
      }
      state.cpuPerCopy[THIS_CPU] = { from: `${kind}${round}`, amounts };
      save();
      return state.cpuPerCopy[THIS_CPU];
    }
  return undefined;
}

async function calibrationFlags(kind) {
  if (kind === 'D') return ['--calibrate-delay', values.delay];
  if (kind !== 'C') return [];
  const { amounts } = cpuPerCopy();
  return [
    '--calibrate-cpu',
    Object.entries(amounts)
      .map(([name, us]) => `${name}=${us}us`)
      .join(','),
  ];
}

/** One document; a run that fails or is interrupted is run again, up to twice. */
async function produce(kind, round) {
  const path = documentPath(kind, round);
  for (let attempt = 1; attempt <= 3; attempt++) {
    const started = performance.now();
    const argv = [process.execPath, cli, 'run', ...settings, ...(await calibrationFlags(kind))];
    const partial = join(dir, `${kind}${round}.partial.json`);
    const result = await runChild([...argv, '--quiet', '--out', partial], { timeoutMs: 60 * 60_000 });
    const seconds = (performance.now() - started) / 1000;
    if (result.code === 0 && existsSync(partial)) {
      writeFileSync(path, gzipSync(readFileSync(partial)));
      rmSync(partial);
      state.seconds[`${kind}${round}`] = seconds;
      save();
      console.error(`${kind}${round}: ${seconds.toFixed(0)} s`);
      return;
    }
    console.error(
      `${kind}${round}: attempt ${attempt} failed (${result.code ?? result.signal}): ${result.stderr.slice(-400)}`,
    );
  }
  throw new Error(`${kind}${round} failed three times`);
}

/** Waits while DIR/PAUSE exists, saying so once. */
async function unlessPaused() {
  const pause = join(dir, 'PAUSE');
  if (!existsSync(pause)) return;
  console.error(`paused: remove ${pause} to go on`);
  while (existsSync(pause)) await new Promise((resolve) => setTimeout(resolve, 2_000));
  console.error('resumed');
}

/**
 * A pair is judged on one machine: a round left unfinished on a machine of another CPU is set
 * aside (kept in DIR/set-aside/) and run again here, whole.
 */
function setAsideOtherMachine(round) {
  const made = KINDS.filter((kind) => existsSync(documentPath(kind, round)));
  if (made.length === KINDS.length || made.every((kind) => cpuOf(kind, round) === THIS_CPU)) return;
  const aside = join(dir, 'set-aside');
  mkdirSync(aside, { recursive: true });
  for (const kind of made) renameSync(documentPath(kind, round), join(aside, `${kind}${round}.json.gz`));
  console.error(`round ${round}: ${made.join(', ')} ran on another CPU; set aside, the round runs again here`);
}

async function runAll() {
  for (let round = 1; round <= pairs; round++) {
    setAsideOtherMachine(round);
    const order = [...orderOf(round)];
    // C burns a share of this machine's own CPU/msg: an unchanged document measured here goes first.
    if (cpuPerCopy() === undefined) order.sort((a, b) => (a === 'C') - (b === 'C'));
    for (const kind of order) {
      if (existsSync(documentPath(kind, round))) continue;
      await unlessPaused();
      await produce(kind, round);
    }
  }
}

/** The compares of one kind of pair: per pair, every figure that regressed or was inconclusive. */
async function judge(kind) {
  const outcomes = [];
  for (let round = 1; round <= pairs; round++) {
    if (!existsSync(documentPath('A', round)) || !existsSync(documentPath(kind, round))) continue;
    const base = load('A', round);
    const head = load(kind, round);
    const comparison = compare(base, head, DEFAULT_THRESHOLDS, { base: `A${round}`, head: `${kind}${round}` });
    const flagged = (verdict) =>
      comparison.techniques.flatMap((t) =>
        t.figures.filter((f) => f.verdict === verdict).map((f) => `${t.transport} ${f.figure}`),
      );
    const { ratio, tolerance } = comparison.machine;
    const machine = ratio !== null && Math.abs(ratio - 1) > tolerance ? ratio : null;
    outcomes.push({ round, regressed: flagged('regressed'), inconclusive: flagged('inconclusive'), machine });
  }
  return outcomes;
}

function count(outcomes, key, item) {
  return outcomes.filter((outcome) => outcome[key].includes(item)).length;
}

function tally(outcomes) {
  const rows = new Map();
  for (const outcome of outcomes)
    for (const key of ['regressed', 'inconclusive'])
      for (const item of outcome[key])
        rows.set(item, [count(outcomes, 'regressed', item), count(outcomes, 'inconclusive', item)]);
  return [...rows.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([item, [r, i]]) => [item, r, i]);
}

function report(title, outcomes, detected) {
  console.log(`\n### ${title}: ${outcomes.length} pairs\n`);
  const rows = tally(outcomes);
  if (rows.length > 0) printTable(['technique figure', 'regressed', 'inconclusive'], rows);
  const hits = outcomes.filter(detected).length;
  console.log(`\n${title}: ${hits} of ${outcomes.length} pairs`);
  console.log(`by round: ${outcomes.map((o) => `${o.round} ${detected(o) ? 'yes' : 'no'}`).join(', ')}`);
  const moved = outcomes.filter((o) => o.machine !== null);
  if (moved.length > 0)
    console.log(
      `the machine ran at another speed (generator CPU per copy, head ÷ base; latency and CPU not judged): ${moved.map((o) => `round ${o.round} ×${o.machine.toFixed(2)}`).join(', ')}`,
    );
  return hits;
}

/** Per technique, how much the injection moved a figure: head's median over base's, per pair. */
function observed(kind, techniques, read) {
  const changes = new Map(techniques.map((technique) => [technique, []]));
  for (let round = 1; round <= pairs; round++) {
    if (!existsSync(documentPath('A', round)) || !existsSync(documentPath(kind, round))) continue;
    const [base, head] = [load('A', round), load(kind, round)];
    for (const technique of techniques) {
      const medianOf = (document) => {
        const result = document.transports.find((t) => t.transport === technique);
        return median((result.repetitions ?? [result]).map(read));
      };
      changes.get(technique).push(medianOf(head) - medianOf(base));
    }
  }
  return changes;
}

function printObserved(title, changes, format) {
  console.log(`\n${title}, per pair (median, range):`);
  const rows = [...changes].map(([technique, values]) => [
    technique,
    values.length === 0
      ? '-'
      : `${format(median(values))} (${format(Math.min(...values))} to ${format(Math.max(...values))})`,
  ]);
  printTable(['technique', 'change'], rows);
}

function perTechnique(outcomes, techniques, figures) {
  return techniques.map((technique) => [
    technique,
    outcomes.filter((o) => figures.some((figure) => o.regressed.includes(`${technique} ${figure}`))).length,
  ]);
}

async function evaluate() {
  const unchanged = await judge('B');
  const delayed = await judge('D');
  const slowed = await judge('C');
  console.log(`# compare calibration — ${settingsName}, ${machine()}`);
  console.log(`Thresholds: im-bench's defaults. CPU added per copy (µs): ${JSON.stringify(state.cpuPerCopy)}`);
  report('False alarms (A→B, any figure regressed)', unchanged, (o) => o.regressed.length > 0);
  const latencyOf = (o) => PUSH.some((t) => LATENCY.some((f) => o.regressed.includes(`${t} ${f}`)));
  report(`Delay ${values.delay} detected (A→D, a push technique's latency regressed)`, delayed, latencyOf);
  console.log('\nPer technique, latency min/p50/p90/p99 regressed:');
  printTable(['technique', 'pairs detected'], perTechnique(delayed, PUSH, LATENCY));
  const cpuOf = (o) => o.regressed.some((item) => item.endsWith(' cpu_per_msg'));
  report(`CPU +${Number(values['cpu-share']) * 100}% detected (A→C, CPU/msg regressed)`, slowed, cpuOf);
  console.log('\nPer technique, CPU/msg regressed:');
  printTable(['technique', 'pairs detected'], perTechnique(slowed, TRANSPORT_NAMES, ['cpu_per_msg']));
  const cpu = (run) => run.server.cpuMicrosPerMessage;
  const percent = (v) => `${((Math.exp(v) - 1) * 100).toFixed(0)} %`;
  printObserved(
    'CPU/msg B against A (unchanged)',
    observed('B', TRANSPORT_NAMES, (run) => Math.log(cpu(run))),
    percent,
  );
  const cpuRatio = observed('C', TRANSPORT_NAMES, (run) => Math.log(cpu(run)));
  printObserved(`CPU/msg C against A (the injection meant +${Number(values['cpu-share']) * 100} %)`, cpuRatio, percent);
  const minMoved = observed('D', PUSH, (run) => run.latency.min);
  printObserved(`Latency min D against A (the delay meant +${values.delay})`, minMoved, (v) => `${v.toFixed(2)} ms`);
  const seconds = Object.values(state.seconds);
  if (seconds.length > 0) {
    const total = seconds.reduce((sum, s) => sum + s, 0);
    console.log(
      `\n${seconds.length} documents, ${(total / 60).toFixed(0)} min in all; one document (one CI benchmark step) took ${median(seconds).toFixed(0)} s at the median (${Math.min(...seconds).toFixed(0)}–${Math.max(...seconds).toFixed(0)} s).`,
    );
  }
}

if (!values.evaluate) await runAll();
await evaluate();
