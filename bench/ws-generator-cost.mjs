// What the load generator costs to deliver WebSocket fan-out: CPU seconds per 1,000 delivered
// messages, whole-run CPU and peak RSS of im-bench (`im-bench run --target`), of a minimal `ws`
// loop (bench/raw-clients.mjs) and of Artillery 2 (bench/artillery/ws-fanout.yml), each driving
// 1,000 clients on a fresh reference server with the same load: the same publisher, rate and
// duration. Each generator is one process tree pinned to the generator's core. Its CPU is user +
// system of the whole tree from start to exit (startup included, read from this process's
// cutime/cstime once it is reaped); its peak RSS is the sum of VmHWM over the tree.
//
// im-bench and the ws loop publish from inside their own process, so their CPU includes the
// publisher's; Artillery cannot, so this script publishes for it, and Artillery does not parse
// the messages it counts: both favour Artillery.
//
// With `--server nchan` the server is nginx + nchan (one worker, on the server's core), im-bench
// speaks to it as `--target URL --profile nchan`, and the raw loop with nchan's subscribe URL,
// subprotocol (ws+meta.nchan) and publish request; Artillery is left out there.
//
//   npm --prefix bench/artillery install   (once; see bench/README.md)
//   node bench/ws-generator-cost.mjs [--server reference|nchan] [--clients 1000] [--rate 10] [--seconds 20]
//                                    [--repetitions 3] [--generators im-bench,raw,artillery]
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveServerKind } from '../dist/profiles/registry.js';
import { parseJsonOutput, runChild } from './children.mjs';
import { machine, median, pinForBenchmark, printTable, startKindServer } from './lib.mjs';
import { reapedChildrenCpuSeconds, TreePeakRss } from './proc-tree.mjs';
import { publishOnSchedule, waitForConnections } from './publish.mjs';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '20' },
    'ramp-up': { type: 'string', default: '2' },
    warmup: { type: 'string', default: '1' },
    drain: { type: 'string', default: '2' },
    repetitions: { type: 'string', default: '3' },
    generators: { type: 'string' },
    server: { type: 'string', default: 'reference' },
  },
});
const { profile } = await resolveServerKind(values.server, '--server');
const clients = Number(values.clients);
const rate = Number(values.rate);
const [rampUpMs, warmupMs, durationMs, drainMs] = [values['ramp-up'], values.warmup, values.seconds, values.drain].map(
  (s) => Number(s) * 1000,
);
const repetitions = Number(values.repetitions);
const generators = (values.generators ?? (profile === undefined ? 'im-bench,raw,artillery' : 'im-bench,raw')).split(
  ',',
);
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const artilleryBin = here('./artillery/node_modules/artillery/bin/run');
const runTimeoutMs = rampUpMs + warmupMs + durationMs + drainMs + 90_000;
const unknown = generators.filter((name) => !['im-bench', 'raw', 'artillery'].includes(name));
if (unknown.length > 0) {
  console.error(`--generators: expected im-bench, raw or artillery, got ${unknown.join(', ')}`);
  process.exit(2);
}
if (generators.includes('artillery') && profile !== undefined) {
  console.error(`--generators: artillery speaks the wire contract only, not ${profile.name}'s`);
  process.exit(2);
}
if (generators.includes('artillery') && !existsSync(artilleryBin)) {
  console.error(
    'Artillery is not installed: PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm --prefix bench/artillery install (or --generators im-bench,raw)',
  );
  process.exit(2);
}

// This process publishes for Artillery: on the generator's core, as the others' publishers are.
const placement = pinForBenchmark();
const generatorPrefix = placement ? ['taskset', '-c', placement.generator] : [];

function imBenchArgv(url) {
  return [
    process.execPath,
    here('../bin/im-bench.js'),
    'run',
    '--target',
    url,
    ...(profile === undefined ? [] : ['--profile', profile.name]),
    '--transport',
    'websocket',
    '--clients',
    String(clients),
    '--rate',
    String(rate),
    '--pattern',
    'constant',
    '--payload',
    '100',
    '--ramp-up',
    `${rampUpMs}ms`,
    '--warmup',
    `${warmupMs}ms`,
    '--duration',
    `${durationMs}ms`,
    '--drain',
    `${drainMs}ms`,
    '--workers',
    '1',
    '--pin',
    'off',
    // The ws loop's publisher waits with its timer alone (bench/publish.mjs), and so does this one.
    '--publish-wait',
    'coarse',
    '--json',
    '--quiet',
  ];
}

function rawArgv(url, rawFlags) {
  return [
    process.execPath,
    here('./raw-clients.mjs'),
    '--url',
    url,
    '--transport',
    'websocket',
    '--clients',
    String(clients),
    '--rate',
    String(rate),
    '--payload',
    '100',
    '--ramp-up',
    String(rampUpMs),
    '--warmup',
    String(warmupMs),
    '--duration',
    String(durationMs),
    '--drain',
    String(drainMs),
    ...rawFlags,
  ];
}

function artilleryArgv(url, outputFile) {
  // Every user holds its socket from its arrival until publishing and the drain are over, with a margin.
  const holdSeconds = Math.ceil((rampUpMs + warmupMs + durationMs + drainMs) / 1000) + 3;
  const overrides = {
    config: { phases: [{ duration: rampUpMs / 1000, arrivalCount: clients }], variables: { holdSeconds } },
  };
  return [
    process.execPath,
    artilleryBin,
    'run',
    '--quiet',
    '--target',
    `${url.replace(/^http/, 'ws')}/ws?ch=default&since=0`,
    '--overrides',
    JSON.stringify(overrides),
    '--output',
    outputFile,
    here('./artillery/ws-fanout.yml'),
  ];
}

/** Publishes once Artillery's users are all connected; Artillery cannot publish on a schedule itself. */
async function publishForArtillery(url, exited) {
  if (!(await waitForConnections(url, 'websocket', clients, runTimeoutMs - 30_000, exited))) {
    console.error(`artillery: ${clients} connections never came up; nothing published`);
    return { lastSeq: 0 };
  }
  const published = await publishOnSchedule(url, {
    rate,
    spanMs: warmupMs + durationMs,
    startNs: Number(process.hrtime.bigint()) + 5e6,
  });
  if (published.failed > 0)
    console.error(`artillery: ${published.failed} publishes failed: ${published.errors.join('; ')}`);
  return published;
}

async function measure(generator) {
  const { server, rawFlags } = await startKindServer(profile, 'websocket', placement, {
    rate,
    rampUpMs,
    warmupMs,
    durationMs,
    drainMs,
  });
  const scratch = mkdtempSync(join(tmpdir(), 'im-bench-artillery-'));
  try {
    const outputFile = join(scratch, 'report.json');
    const argv = {
      'im-bench': imBenchArgv,
      raw: (url) => rawArgv(url, rawFlags),
      artillery: (url) => artilleryArgv(url, outputFile),
    }[generator](server.url);
    let tree;
    const cpuBefore = reapedChildrenCpuSeconds();
    const running = runChild([...generatorPrefix, ...argv], {
      timeoutMs: runTimeoutMs + (generator === 'artillery' ? 60_000 : 0),
      env: { ARTILLERY_DISABLE_TELEMETRY: 'true' },
      onSpawn: (child) => (tree = new TreePeakRss(child.pid)),
    });
    let exited = false;
    running.finally(() => (exited = true)).catch(() => {});
    const publishing = generator === 'artillery' ? publishForArtillery(server.url, () => exited) : undefined;
    const outcome = await running;
    const cpuSeconds = reapedChildrenCpuSeconds() - cpuBefore;
    const peakRssBytes = tree.stop();

    let delivered;
    let expected;
    if (generator === 'im-bench') {
      ({ delivered, expected } = parseJsonOutput(outcome, 'im-bench run').transports[0].delivery);
    } else if (generator === 'raw') {
      ({ delivered, expected } = parseJsonOutput(outcome, 'raw-clients').delivery);
    } else {
      const { lastSeq } = await publishing;
      if (outcome.code !== 0)
        throw new Error(`artillery exited with ${outcome.signal ?? `code ${outcome.code}`}:\n${outcome.stderr.trim()}`);
      delivered = JSON.parse(readFileSync(outputFile, 'utf8')).aggregate.counters['websocket.messages_received'] ?? 0;
      expected = clients * lastSeq;
    }
    if (delivered < expected) console.error(`${generator}: delivered ${delivered} of ${expected} expected copies`);
    return { cpuSeconds, delivered, peakRssBytes, cpuPer1000: (cpuSeconds / delivered) * 1000 };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await server.stop();
  }
}

console.error(`server on CPU ${placement?.server ?? 'any'}, generators on CPU ${placement?.generator ?? 'any'}`);
const runs = new Map(generators.map((name) => [name, []]));
for (let i = 0; i < repetitions; i++) {
  // Rotate who goes first so drift in the machine's state charges all alike.
  const order = generators.map((_, k) => generators[(k + i) % generators.length]);
  for (const generator of order) {
    let run;
    try {
      run = await measure(generator);
    } catch (error) {
      console.error(`run ${i + 1} ${generator}: failed, ${error.message}`);
      continue;
    }
    runs.get(generator).push(run);
    console.error(
      `run ${i + 1} ${generator}: CPU ${run.cpuSeconds.toFixed(2)} s, ${run.delivered} delivered, ${run.cpuPer1000.toFixed(4)} s per 1,000, peak RSS ${(run.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
    );
  }
}

const medianOf = (name, key) => median(runs.get(name).map((run) => run[key]));
const range = (name, key, digits, scale = 1) => {
  const list = runs.get(name).map((run) => run[key] / scale);
  return `${Math.min(...list).toFixed(digits)}–${Math.max(...list).toFixed(digits)}`;
};
const ratio = (name, key) =>
  runs.get('im-bench')?.length > 0 ? (medianOf('im-bench', key) / medianOf(name, key)).toFixed(2) : '–';
const completed = generators.filter((name) => runs.get(name).length > 0);
for (const name of generators) if (!completed.includes(name)) console.error(`${name}: no run completed`);
const rows = completed.map((name) => [
  name,
  medianOf(name, 'cpuSeconds').toFixed(2),
  range(name, 'cpuSeconds', 2),
  Math.round(medianOf(name, 'delivered')).toLocaleString('en-US'),
  medianOf(name, 'cpuPer1000').toFixed(4),
  range(name, 'cpuPer1000', 4),
  (medianOf(name, 'peakRssBytes') / 2 ** 20).toFixed(0),
  range(name, 'peakRssBytes', 0, 2 ** 20),
  ratio(name, 'cpuPer1000'),
  ratio(name, 'cpuSeconds'),
  ratio(name, 'peakRssBytes'),
]);
console.log(
  `\nWebSocket fan-out generator cost${profile === undefined ? '' : ` against ${profile.name}`}: ${clients} clients, ${rate} msg/s, 100-byte payload, ${values.seconds} s window ` +
    `(+ ${values['ramp-up']} s ramp-up, ${values.warmup} s warm-up, ${values.drain} s drain), ${repetitions} runs each, median and range of those that completed. ${machine()}\n`,
);
printTable(
  [
    'generator',
    'CPU s',
    'range',
    'delivered msgs',
    'CPU s / 1,000 msgs',
    'range',
    'peak RSS MiB',
    'range',
    'im-bench ÷ this: CPU/msg',
    'CPU',
    'RSS',
  ],
  rows,
);
