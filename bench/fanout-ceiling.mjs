// Fan-out ceiling: the highest publish rate at which 1,000 clients still get every message with
// p99 latency under 100 ms, for SSE and WebSocket. Each probe is a full `run` (fresh server
// process, server and generator pinned apart); the rate doubles until a probe fails, then
// bisects (bench/ceiling-search.mjs).
//
//   node bench/fanout-ceiling.mjs [--clients 1000] [--transport sse,websocket] [--seconds 3] [--p99 100]
import { parseArgs } from 'node:util';
import { defaultScenario, run, TRANSPORT_NAMES } from 'im-bench';
import { findCeiling } from './ceiling-search.mjs';
import { machine, printTable } from './lib.mjs';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000' },
    transport: { type: 'string', default: 'sse,websocket' },
    seconds: { type: 'string', default: '3' },
    p99: { type: 'string', default: '100' },
    start: { type: 'string', default: '20' },
  },
});
const clients = Number(values.clients);
const p99LimitMs = Number(values.p99);

async function probe(transport, rate) {
  const scenario = {
    ...defaultScenario(TRANSPORT_NAMES),
    name: 'fanout-ceiling',
    transports: [transport],
    clients,
    rampUpMs: 1000,
    warmupMs: 1000,
    durationMs: Number(values.seconds) * 1000,
    drainMs: 2000,
    rate,
    payloadBytes: 100,
  };
  const [result] = (await run({ scenario, pin: 'auto' })).transports;
  const ok = result.latency.p99 < p99LimitMs && result.delivery.lost === 0 && result.clients.failed === 0;
  console.error(
    `${transport} rate ${rate}/s: ${Math.round(result.delivery.throughputPerSecond)} delivered/s, p99 ${result.latency.p99.toFixed(1)} ms, lost ${result.delivery.lost}, generator lag p99 ${result.generator.eventLoopDelayP99Ms.toFixed(1)} ms, CPU ${Math.round(result.generator.cpuUtilization * 100)} % → ${ok ? 'ok' : 'over'}`,
  );
  return { ok, result };
}

const rows = [];
for (const transport of values.transport.split(',')) {
  const passed = await findCeiling((rate) => probe(transport, rate), Number(values.start));
  const best = passed?.result;
  rows.push([
    transport,
    passed?.rate ?? '–',
    best ? Math.round(best.delivery.throughputPerSecond).toLocaleString('en-US') : '–',
    best ? best.latency.p50.toFixed(1) : '–',
    best ? best.latency.p99.toFixed(1) : '–',
    best ? best.server.cpuMicrosPerMessage.toFixed(1) : '–',
    best ? best.generator.eventLoopDelayP99Ms.toFixed(1) : '–',
    best ? `${Math.round(best.generator.cpuUtilization * 100)} %` : '–',
  ]);
}
console.log(
  `\nFan-out ceiling: ${clients} clients, 100-byte payload, p99 < ${p99LimitMs} ms and nothing lost. ${machine()}\n`,
);
printTable(
  [
    'technique',
    'rate msg/s',
    'delivered msg/s',
    'p50 ms',
    'p99 ms',
    'server CPU µs/msg',
    'generator lag p99 ms',
    'generator CPU',
  ],
  rows,
);
