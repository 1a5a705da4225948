// Fan-out ceiling, im-bench against bare clients: the highest publish rate at which 1,000 clients
// still get every message with p99 under 100 ms, found with the same search (bench/ceiling-search.mjs)
// for im-bench's generator (`im-bench run`) and for bench/raw-clients.mjs (a minimal `ws` loop, a
// minimal SSE reader), each probe against a fresh reference server. Both generators are one
// process pinned to the generator's core, publish with im-bench's publisher from inside that
// process, and time messages from their scheduled publish time. Repetitions alternate who goes
// first; the table gives the median ceiling, the range, and im-bench's median over the raw one.
// With `--server nchan` both face nginx + nchan instead (one worker, on the server's core): im-bench
// as `run --server nchan`, the raw clients with nchan's subscribe URL, WebSocket subprotocol
// (ws+meta.nchan, as im-bench's clients: each frame's message id, then the body) and publish request.
//
//   node bench/ceiling-vs-raw.mjs [--server reference|nchan] [--clients 1000] [--transport sse,websocket]
//                                 [--seconds 3] [--p99 100] [--start 20] [--repetitions 3]
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { planPlacement } from '../dist/harness/machine/placement.js';
import { resolveServerKind } from '../dist/profiles/registry.js';
import { findCeiling } from './ceiling-search.mjs';
import { parseJsonOutput, runChild } from './children.mjs';
import { machine, median, printTable, spread, startKindServer } from './lib.mjs';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000' },
    transport: { type: 'string', default: 'sse,websocket' },
    seconds: { type: 'string', default: '3' },
    p99: { type: 'string', default: '100' },
    start: { type: 'string', default: '20' },
    repetitions: { type: 'string', default: '3' },
    server: { type: 'string', default: 'reference' },
  },
});
const { profile } = await resolveServerKind(values.server, '--server');
const clients = Number(values.clients);
const p99LimitMs = Number(values.p99);
const repetitions = Number(values.repetitions);
// The phases of fanout-ceiling.mjs: 1 s ramp-up, 1 s warm-up, the window, up to 2 s of drain.
const phases = { rampUpMs: 1000, warmupMs: 1000, durationMs: Number(values.seconds) * 1000, drainMs: 2000 };
const probeTimeoutMs = phases.rampUpMs + phases.warmupMs + phases.durationMs + phases.drainMs + 90_000;
const cli = fileURLToPath(new URL('../bin/im-bench.js', import.meta.url));
const rawClients = fileURLToPath(new URL('./raw-clients.mjs', import.meta.url));
const placement = planPlacement('auto');
const generatorPrefix = placement ? ['taskset', '-c', placement.generator] : [];

function verdict(name, transport, rate, figures) {
  const ok = figures.p99 < p99LimitMs && figures.lost === 0 && figures.failed === 0;
  console.error(
    `${name} ${transport} rate ${rate}/s: p99 ${figures.p99.toFixed(1)} ms, lost ${figures.lost}, failed ${figures.failed}, generator lag p99 ${figures.lagP99.toFixed(1)} ms → ${ok ? 'ok' : 'over'}`,
  );
  return { ok, ...figures };
}

/** A probe whose generator failed (no result, a deadline passed) is a rate that did not pass. */
function failedProbe(side, transport, rate, error) {
  console.error(`${side} ${transport} rate ${rate}/s: failed, ${error.message}`);
  return { ok: false };
}

/** A full `im-bench run`: its own fresh server, server and generator pinned apart, its clients in its one process. */
async function probeImBench(transport, rate) {
  const outcome = await runChild(
    [
      process.execPath,
      cli,
      'run',
      '--transport',
      transport,
      '--clients',
      String(clients),
      '--rate',
      String(rate),
      '--pattern',
      'constant',
      '--payload',
      '100',
      '--ramp-up',
      `${phases.rampUpMs}ms`,
      '--warmup',
      `${phases.warmupMs}ms`,
      '--duration',
      `${phases.durationMs}ms`,
      '--drain',
      `${phases.drainMs}ms`,
      '--workers',
      '1',
      '--pin',
      'auto',
      // The raw clients' publisher waits with its timer alone (bench/publish.mjs): so does this one,
      // so that the two differ in their clients only, not in a publisher spinning on their core.
      '--publish-wait',
      'coarse',
      ...(profile === undefined ? [] : ['--server', profile.name]),
      '--json',
      '--quiet',
    ],
    { timeoutMs: probeTimeoutMs },
  );
  const [result] = parseJsonOutput(outcome, 'im-bench run').transports;
  return verdict('im-bench', transport, rate, {
    p99: result.latency.p99,
    lost: result.delivery.lost,
    failed: result.clients.failed,
    lagP99: result.generator.eventLoopDelayP99Ms,
  });
}

/** bench/raw-clients.mjs on the generator's core against a fresh server on the server's core. */
async function probeRaw(transport, rate) {
  const { server, rawFlags } = await startKindServer(profile, transport, placement, { ...phases, rate });
  try {
    const outcome = await runChild(
      [
        ...generatorPrefix,
        process.execPath,
        rawClients,
        '--url',
        server.url,
        '--transport',
        transport,
        '--clients',
        String(clients),
        '--rate',
        String(rate),
        '--payload',
        '100',
        '--ramp-up',
        String(phases.rampUpMs),
        '--warmup',
        String(phases.warmupMs),
        '--duration',
        String(phases.durationMs),
        '--drain',
        String(phases.drainMs),
        ...rawFlags,
      ],
      { timeoutMs: probeTimeoutMs },
    );
    const result = parseJsonOutput(outcome, 'raw-clients');
    return verdict('raw', transport, rate, {
      p99: result.latency.p99,
      lost: result.delivery.lost,
      failed: result.clients.failed,
      lagP99: result.eventLoopDelayP99Ms,
    });
  } finally {
    await server.stop();
  }
}

console.error(`server on CPU ${placement?.server ?? 'any'}, generators on CPU ${placement?.generator ?? 'any'}`);
const rows = [];
for (const transport of values.transport.split(',')) {
  const ceilings = { imBench: [], raw: [] };
  for (let i = 0; i < repetitions; i++) {
    // Alternate who goes first so drift in the machine's state charges both alike.
    const order = i % 2 === 0 ? ['imBench', 'raw'] : ['raw', 'imBench'];
    for (const side of order) {
      const probe = side === 'imBench' ? probeImBench : probeRaw;
      const passed = await findCeiling(
        (rate) => probe(transport, rate).catch((error) => failedProbe(side, transport, rate, error)),
        Number(values.start),
      );
      ceilings[side].push(passed?.rate ?? 0);
    }
    console.error(
      `${transport} repetition ${i + 1}: im-bench ${ceilings.imBench.at(-1)} msg/s, raw ${ceilings.raw.at(-1)} msg/s`,
    );
  }
  const ours = median(ceilings.imBench);
  const theirs = median(ceilings.raw);
  rows.push([
    transport,
    ours,
    spread(ceilings.imBench),
    theirs,
    spread(ceilings.raw),
    theirs > 0 ? (ours / theirs).toFixed(2) : '–',
  ]);
}
console.log(
  `\nFan-out ceiling vs raw clients on ${values.server}: ${clients} clients, 100-byte payload, p99 < ${p99LimitMs} ms and nothing lost, ` +
    `${values.seconds} s window, ${repetitions} searches each, median and range. ${machine()}\n`,
);
printTable(['technique', 'im-bench msg/s', 'range', 'raw msg/s', 'range', 'ratio'], rows);
