// The publisher's own lateness, and what it does to the smallest latency im-bench reports.
//   node bench/publisher-timing.mjs [--rounds 3] [--rate 20] [--fast-rate 1000] [--busy 1000x50]
// One WebSocket server (the reference server, pinned to one core). Against it, in rotating
// order, each round runs:
//   - `im-bench run --transport websocket --clients 1 --rate R` with `--publish-wait coarse`
//     (the timer alone: the publisher as it was) and with `--publish-wait precise` (the default);
//   - a minimal client in this process: one `ws` subscriber, and a publisher that stamps each
//     message with the moment it really sends it (one prebuilt write on a keep-alive socket),
//     so its latency holds no lateness at all;
//   - both waits again at the fast rate, for the lateness alone;
//   - both waits on a busy generator (--busy CxR: C WebSocket clients, R msg/s), for what the
//     spin costs it: the generator's CPU, its load (CPU less the spin), and the latencies.
// Then, as the machine's floor, a thread doing nothing but spinning to each due time (at both
// rates): the lateness no publisher can go below here, since the machine itself takes the CPU
// away now and then. Prints lateness p50/p99/max and the WebSocket p50 (median of the rounds,
// with the range), and how far im-bench's p50 is from the minimal client's.
import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { runChild } from './children.mjs';
import { machine, median, pinForBenchmark, printTable, startServer } from './lib.mjs';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    rate: { type: 'string', default: '20' },
    'fast-rate': { type: 'string', default: '1000' },
    busy: { type: 'string', default: '1000x50' },
  },
});
const [busyClients, busyRate] = values.busy.split('x').map(Number);
const rounds = Number(values.rounds);
const rate = Number(values.rate);
const fastRate = Number(values['fast-rate']);
const cli = fileURLToPath(new URL('../bin/im-bench.js', import.meta.url));
// The default scenario's (notify) warm-up and window, so both clients see the same stretch of time.
const WARMUP_MS = 2_000;
const WINDOW_MS = 8_000;

const nowNs = () => process.hrtime.bigint();

async function imBench(url, wait, rate, clients = 1) {
  const argv = [process.execPath, cli, 'run', '--transport', 'websocket', '--clients', String(clients)];
  argv.push('--rate', String(rate));
  const child = await runChild([...argv, '--publish-wait', wait, '--target', url, '--json', '--quiet'], {
    timeoutMs: 60_000,
  });
  if (child.code !== 0) throw new Error(`im-bench run exited ${child.code}: ${child.stderr}`);
  const [result] = JSON.parse(child.stdout).transports;
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    lateness: result.publisher.lateness,
    generator: result.generator,
    delivered: result.delivery.throughputPerSecond,
  };
}

/** Subscribes, then publishes R msg/s for the warm-up and the window, each stamped as it is written. */
async function minimalClient(url) {
  const { host, port } = new URL(url);
  const subscriber = new WebSocket(`ws://${host}/ws?ch=default`, { perMessageDeflate: false });
  const latenciesMs = [];
  let windowStart = 0n;
  subscriber.on('message', (data) => {
    const received = nowNs();
    // The server first replays what earlier runs left in its log: only this client's messages count.
    const message = JSON.parse(data);
    if (message.from !== 'minimal') return;
    const sent = BigInt(message.t);
    if (sent >= windowStart) latenciesMs.push(Number(received - sent) / 1e6);
  });
  await new Promise((resolve, reject) => subscriber.once('open', resolve).once('error', reject));
  const publisher = connect(Number(port), '127.0.0.1');
  publisher.setNoDelay(true).resume();
  await new Promise((resolve, reject) => publisher.once('connect', resolve).once('error', reject));
  const data = 'x'.repeat(100);
  const start = nowNs();
  windowStart = start + BigInt(WARMUP_MS) * 1_000_000n;
  for (let i = 0; i < ((WARMUP_MS + WINDOW_MS) * rate) / 1000; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000 / rate));
    const body = JSON.stringify({ ch: 'default', from: 'minimal', data, t: nowNs().toString() });
    publisher.write(
      `POST /publish HTTP/1.1\r\nhost: ${host}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  subscriber.terminate();
  publisher.destroy();
  return { p50: median(latenciesMs) };
}

/** Sleeps to 2 ms before each due time, then spins to it with nothing else to do: lateness in ms. */
async function idealSpinner(rate, seconds) {
  const lateness = [];
  const start = performance.now() + 10;
  for (let i = 0; i < rate * seconds; i++) {
    const due = start + (i * 1000) / rate;
    const sleep = due - 2 - performance.now();
    if (sleep > 0) await new Promise((resolve) => setTimeout(resolve, sleep));
    while (performance.now() < due);
    lateness.push(performance.now() - due);
  }
  const sorted = lateness.sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { lateness: { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) } };
}

const VARIANTS = {
  coarse: (url) => imBench(url, 'coarse', rate),
  precise: (url) => imBench(url, 'precise', rate),
  minimal: (url) => minimalClient(url),
  'coarse-fast': (url) => imBench(url, 'coarse', fastRate),
  'precise-fast': (url) => imBench(url, 'precise', fastRate),
  'coarse-busy': (url) => imBench(url, 'coarse', busyRate, busyClients),
  'precise-busy': (url) => imBench(url, 'precise', busyRate, busyClients),
};
const placement = pinForBenchmark();
const server = await startServer(['websocket'], placement);
const runs = Object.fromEntries(Object.keys(VARIANTS).map((variant) => [variant, []]));
try {
  for (let round = 0; round < rounds; round++) {
    const order = Object.keys(VARIANTS);
    for (let k = 0; k < round % order.length; k++) order.push(order.shift());
    for (const variant of order) {
      const measured = await VARIANTS[variant](server.url);
      runs[variant].push(measured);
      console.error(`round ${round + 1}/${rounds} ${variant}: p50 ${measured.p50.toFixed(3)} ms`);
    }
  }
} finally {
  await server.stop();
}
const floor = { slow: [await idealSpinner(rate, 8)], fast: [await idealSpinner(fastRate, 8)] };

const ms = (list) => `${median(list).toFixed(3)} (${Math.min(...list).toFixed(3)}–${Math.max(...list).toFixed(3)})`;
const us = (list) =>
  `${Math.round(median(list) * 1000)} (${Math.round(Math.min(...list) * 1000)}–${Math.round(Math.max(...list) * 1000)})`;
console.log(`\n${machine()}; WebSocket, 1 client, ${rate} msg/s, ${rounds} rounds: median (range)\n`);
const row = (name, msgs, list, withP50 = true) => [
  name,
  msgs,
  us(list.map((run) => run.lateness.p50)),
  us(list.map((run) => run.lateness.p99)),
  us(list.map((run) => run.lateness.max)),
  withP50 ? ms(list.map((run) => run.p50)) : '—',
];
printTable(
  ['publisher', 'msg/s', 'lateness p50 (µs)', 'lateness p99 (µs)', 'lateness max (µs)', 'WebSocket p50 (ms)'],
  [
    row('im-bench --publish-wait coarse', rate, runs.coarse),
    row('im-bench --publish-wait precise', rate, runs.precise),
    ['minimal client, stamped at send', rate, '—', '—', '—', ms(runs.minimal.map((run) => run.p50))],
    row('im-bench --publish-wait coarse', fastRate, runs['coarse-fast']),
    row('im-bench --publish-wait precise', fastRate, runs['precise-fast']),
    row("the machine's floor: a bare spin", rate, floor.slow, false),
    row("the machine's floor: a bare spin", fastRate, floor.fast, false),
  ],
);
const gap = (wait) => median(runs[wait].map((run) => run.p50)) - median(runs.minimal.map((run) => run.p50));
console.log(
  `\nim-bench's p50 minus the minimal client's: precise ${gap('precise').toFixed(3)} ms, coarse ${gap('coarse').toFixed(3)} ms`,
);

const percent = (list) =>
  `${Math.round(median(list) * 100)} (${Math.round(Math.min(...list) * 100)}–${Math.round(Math.max(...list) * 100)})`;
console.log(
  `\nA busy generator: ${busyClients} WebSocket clients, ${busyRate} msg/s (${busyClients * busyRate} copies/s)\n`,
);
printTable(
  ['publisher', 'generator CPU %', 'of it spinning %', 'load %', 'p50 (ms)', 'p99 (ms)', 'delivered/s', 'bound'],
  ['coarse', 'precise'].map((wait) => {
    const list = runs[`${wait}-busy`];
    const spin = (run) => run.generator.spinUtilization ?? 0;
    return [
      `--publish-wait ${wait}`,
      percent(list.map((run) => run.generator.cpuUtilization)),
      percent(list.map(spin)),
      percent(list.map((run) => run.generator.cpuUtilization - spin(run))),
      ms(list.map((run) => run.p50)),
      ms(list.map((run) => run.p99)),
      Math.round(median(list.map((run) => run.delivered))),
      `${list.filter((run) => run.generator.bound).length} of ${list.length}`,
    ];
  }),
);
