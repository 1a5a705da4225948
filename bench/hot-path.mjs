// Per-message cost of each technique: CPU seconds spent per 1,000 delivered copies by the
// generator (the simulated clients: parse, sequence check, histogram record) and by the
// reference server (read from the ring, frame, write to every connection), under a fixed
// fan-out load. With --baseline it runs another build too, interleaved with this one
// (A B, B A, ...), so both see the same machine.
//
//   node bench/hot-path.mjs [--transport short-polling,long-polling,sse,sse-eventsource,websocket]
//                           [--clients 500] [--seconds 2] [--repetitions 3] [--baseline DIR]
//
// DIR is another checkout (or its dist/), built. Each run: a fresh server of that build, the
// clients of that build subscribed, then messages published at a fixed rate; the clock runs
// from the first publish until every client holds every message.
import { parseArgs } from 'node:util';
import { Client } from 'undici';
import { distOf, importBuilt, machine, median, OWN_DIST, pinForBenchmark, printTable } from './lib.mjs';

const { values } = parseArgs({
  options: {
    transport: { type: 'string', default: 'short-polling,long-polling,sse,sse-eventsource,websocket' },
    clients: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '2' },
    repetitions: { type: 'string', default: '3' },
    baseline: { type: 'string' },
  },
});

/**
 * Publish rate per technique: the push techniques get a dense feed; the polling ones a rate at
 * which each message still costs a request per client (long polling) or a few per poll (short).
 */
const LOADS = {
  'short-polling': { transport: 'short-polling', rate: 20, pollIntervalMs: 250 },
  'long-polling': { transport: 'long-polling', rate: 10 },
  sse: { transport: 'sse', rate: 50 },
  'sse-eventsource': { transport: 'sse', rate: 50, sseClient: 'eventsource' },
  websocket: { transport: 'websocket', rate: 50 },
};
const PAYLOAD = 'x'.repeat(100);
const DELIVERY_TIMEOUT_MS = 30_000;

const techniques = values.transport.split(',');
for (const name of techniques)
  if (!(name in LOADS)) throw new Error(`unknown technique ${name}; one of ${Object.keys(LOADS).join(', ')}`);
const clientCount = Number(values.clients);
const seconds = Number(values.seconds);
const repetitions = Number(values.repetitions);

async function loadBuild(label, dist) {
  const load = (...files) => importBuilt(dist, ...files);
  const [{ getTransport }, { ServerProcess }, { createHistogram, recordMicros }, { hrtimeNs }] = await Promise.all([
    load('transports/registry.js'),
    load('harness/target/server-process.js', 'harness/server-process.js'),
    load('core/histogram.js'),
    load('core/clock.js'),
  ]);
  return { label, dist, getTransport, ServerProcess, createHistogram, recordMicros, hrtimeNs };
}

const builds = [await loadBuild('this', OWN_DIST)];
if (values.baseline !== undefined) builds.push(await loadBuild('baseline', distOf(values.baseline)));

/** What the harness's pool does per copy: take the receive time, check the sequence, record the latency. */
function deliveryCounter(build, expected, onAll) {
  const latency = build.createHistogram();
  const state = { delivered: 0, outOfOrder: 0, errors: 0, latency };
  const handlersFor = () => {
    let highest = 0;
    return {
      onEnvelope(envelope) {
        const receivedNs = build.hrtimeNs();
        if (envelope.seq !== highest + 1) state.outOfOrder++;
        if (envelope.seq > highest) highest = envelope.seq;
        build.recordMicros(latency, (receivedNs - Number(envelope.t)) / 1000);
        if (++state.delivered === expected) onAll();
      },
      onGap() {
        state.errors++;
      },
      onError() {
        state.errors++;
      },
    };
  };
  return { state, handlersFor };
}

async function cpuSecondsOf(server) {
  return (await server.stats()).cpuSeconds;
}

async function publishAtRate(publisher, rate, count) {
  const started = process.hrtime.bigint();
  const spacingNs = BigInt(Math.round(1e9 / rate));
  for (let i = 0; i < count; i++) {
    const due = started + BigInt(i) * spacingNs;
    const waitMs = Number(due - process.hrtime.bigint()) / 1e6;
    if (waitMs > 1) await new Promise((done) => setTimeout(done, waitMs));
    const body = JSON.stringify({ data: PAYLOAD, t: due.toString() });
    const response = await publisher.request({
      path: '/publish',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    await response.body.dump();
    if (response.statusCode !== 202) throw new Error(`publish answered ${response.statusCode}`);
  }
}

async function measure(build, technique, placement) {
  const load = LOADS[technique];
  const messages = Math.round(load.rate * seconds);
  const expected = messages * clientCount;
  let allDelivered;
  const delivered = new Promise((done) => (allDelivered = done));
  const { state, handlersFor } = deliveryCounter(build, expected, () => allDelivered());
  const server = await build.ServerProcess.start({
    transports: [load.transport],
    // Both spellings: a baseline built before the settings got technique-neutral names reads sseRetryMs.
    reconnectDelayMs: 1000,
    sseRetryMs: 1000,
    longPollTimeoutMs: 25000,
    heartbeatMs: 15000,
    prefix: placement === null ? [] : ['taskset', '-c', placement.server],
  });
  const publisher = new Client(server.url);
  const clients = Array.from({ length: clientCount }, () =>
    build.getTransport(load.transport).createClient({
      baseUrl: server.url,
      channel: 'default',
      since: 0,
      pollIntervalMs: load.pollIntervalMs ?? 1000,
      longPollTimeoutMs: 25000,
      reconnectDelayMs: 1000,
      clientVariant: load.sseClient,
      sseClient: load.sseClient,
      handlers: handlersFor(),
    }),
  );
  try {
    await Promise.all(clients.map((client) => client.open()));
    await new Promise((done) => setTimeout(done, 300));
    const requestsBefore = clients.reduce((sum, client) => sum + client.meter.requests, 0);
    const serverBefore = await cpuSecondsOf(server);
    const generatorBefore = process.cpuUsage();
    const startedAt = performance.now();
    await publishAtRate(publisher, load.rate, messages);
    let timer;
    const timeout = new Promise((done) => (timer = setTimeout(done, DELIVERY_TIMEOUT_MS, 'timeout')));
    const outcome = await Promise.race([delivered, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      throw new Error(
        `${technique} (${build.label}): ${state.delivered} of ${expected} copies delivered within ${DELIVERY_TIMEOUT_MS / 1000} s`,
      );
    }
    const generator = process.cpuUsage(generatorBefore);
    const elapsedMs = performance.now() - startedAt;
    const serverAfter = await cpuSecondsOf(server);
    const requests = clients.reduce((sum, client) => sum + client.meter.requests, 0) - requestsBefore;
    const perThousand = 1000 / expected;
    return {
      generator: ((generator.user + generator.system) / 1e6) * perThousand,
      generatorSystem: (generator.system / 1e6) * perThousand,
      server: (serverAfter.total - serverBefore.total) * perThousand,
      serverSystem: (serverAfter.system - serverBefore.system) * perThousand,
      requests: requests * perThousand,
      elapsedMs,
      p50Ms: state.latency.getValueAtPercentile(50) / 1000,
      outOfOrder: state.outOfOrder,
      errors: state.errors,
    };
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    await publisher.close();
    await server.stop();
  }
}

const placement = pinForBenchmark();
console.error(
  `server on CPU ${placement?.server ?? 'any'}, generator on CPU ${placement?.generator ?? 'any'}; builds: ${builds.map((b) => `${b.label} ${b.dist}`).join(', ')}`,
);
const samples = new Map(techniques.map((technique) => [technique, new Map(builds.map((build) => [build.label, []]))]));
for (let repetition = 0; repetition < repetitions; repetition++) {
  for (const technique of techniques) {
    // Alternate which build goes first, so drift in the machine charges both alike.
    const order = repetition % 2 === 0 ? builds : [...builds].reverse();
    for (const build of order) {
      const sample = await measure(build, technique, placement);
      samples.get(technique).get(build.label).push(sample);
      console.error(
        `${technique} ${build.label} run ${repetition + 1}: generator ${sample.generator.toFixed(4)} s (${sample.generatorSystem.toFixed(4)} in the kernel), server ${sample.server.toFixed(4)} s (${sample.serverSystem.toFixed(4)}) per 1,000 copies; ${sample.requests.toFixed(0)} requests per 1,000; p50 ${sample.p50Ms.toFixed(1)} ms; ${sample.elapsedMs.toFixed(0)} ms${sample.outOfOrder + sample.errors > 0 ? `; ${sample.outOfOrder} out of order, ${sample.errors} errors` : ''}`,
      );
    }
  }
}

const figure = (runs, key) => {
  const values = runs.map((run) => run[key]);
  return {
    median: median(values),
    text: `${median(values).toFixed(4)} (${Math.min(...values).toFixed(4)}–${Math.max(...values).toFixed(4)})`,
  };
};
const rows = [];
for (const technique of techniques) {
  const byBuild = samples.get(technique);
  const base = byBuild.get('baseline');
  for (const build of builds) {
    const runs = byBuild.get(build.label);
    const generator = figure(runs, 'generator');
    const server = figure(runs, 'server');
    const ratio = (mine, key) =>
      base === undefined || build.label === 'baseline' ? '' : (mine / figure(base, key).median).toFixed(2);
    rows.push([
      technique,
      build.label,
      generator.text,
      ratio(generator.median, 'generator'),
      server.text,
      ratio(server.median, 'server'),
      Math.round(figure(runs, 'requests').median),
    ]);
  }
}
const load = techniques
  .map(
    (technique) =>
      `${technique} ${LOADS[technique].rate} msg/s${LOADS[technique].pollIntervalMs ? ` (poll every ${LOADS[technique].pollIntervalMs} ms)` : ''}`,
  )
  .join(', ');
console.log(
  `\nCPU seconds per 1,000 delivered copies, median (min–max) of ${repetitions} runs; ${clientCount} clients, 100-byte payload, ${seconds} s of publishing: ${load}. ${machine()}\n`,
);
printTable(['technique', 'build', 'generator CPU s', '× base', 'server CPU s', '× base', 'requests'], rows);
