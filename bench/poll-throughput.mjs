// Short-poll endpoint throughput: im-bench's polling client vs autocannon, same server, same
// connections, same duration, in rotating order, three repetitions each. Polls are issued back
// to back (no interval), so both sides are closed-loop load at a fixed connection count. With
// --baseline DIR, the polling client of another build runs in the same rotation.
//
//   node bench/poll-throughput.mjs [--connections 1,10,100] [--seconds 5] [--repetitions 3] [--baseline DIR]
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import {
  distOf,
  importBuilt,
  machine,
  median,
  OWN_DIST,
  pinForBenchmark,
  printTable,
  spread,
  startServer,
} from './lib.mjs';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '1,10,100' },
    seconds: { type: 'string', default: '5' },
    repetitions: { type: 'string', default: '3' },
    baseline: { type: 'string' },
  },
});
const connectionCounts = values.connections.split(',').map(Number);
const seconds = Number(values.seconds);
const repetitions = Number(values.repetitions);

function pollingClientOf(dist) {
  return async (url, connections) => {
    const { getTransport } = await importBuilt(dist, 'transports/registry.js');
    const handlers = { onEnvelope() {}, onGap() {}, onError() {} };
    const clients = Array.from({ length: connections }, () =>
      getTransport('short-polling').createClient({
        baseUrl: url,
        channel: 'default',
        since: 0,
        pollIntervalMs: 0,
        longPollTimeoutMs: 25000,
        reconnectDelayMs: 100,
        handlers,
      }),
    );
    await Promise.all(clients.map((client) => client.open()));
    const before = clients.reduce((sum, client) => sum + client.meter.requests, 0);
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const after = clients.reduce((sum, client) => sum + client.meter.requests, 0);
    const elapsed = (performance.now() - started) / 1000;
    await Promise.all(clients.map((client) => client.close()));
    return (after - before) / elapsed;
  };
}

async function autocannonRun(url, connections) {
  const result = await autocannon({ url: `${url}/poll?since=0`, connections, duration: seconds, pipelining: 1 });
  return result.requests.total / (result.duration || seconds);
}

const contenders = [
  { name: 'im-bench', run: pollingClientOf(OWN_DIST) },
  { name: 'autocannon', run: autocannonRun },
];
if (values.baseline !== undefined) contenders.push({ name: 'baseline', run: pollingClientOf(distOf(values.baseline)) });

const placement = pinForBenchmark();
const server = await startServer(['short-polling'], placement);
console.error(
  `server ${server.url} on CPU ${placement?.server ?? 'any'}, generator on CPU ${placement?.generator ?? 'any'}`,
);
const rows = [];
try {
  for (const connections of connectionCounts) {
    const rates = new Map(contenders.map(({ name }) => [name, []]));
    for (let i = 0; i < repetitions; i++) {
      // Rotate who goes first so drift in the machine's state charges all alike.
      const order = contenders.map((_, k) => contenders[(k + i) % contenders.length]);
      for (const { name, run } of order) rates.get(name).push(await run(server.url, connections));
      console.error(
        `connections ${connections} run ${i + 1}: ${contenders.map(({ name }) => `${name} ${Math.round(rates.get(name).at(-1))} req/s`).join(', ')}`,
      );
    }
    const ours = rates.get('im-bench');
    const theirs = rates.get('autocannon');
    const row = [
      connections,
      Math.round(median(ours)).toLocaleString('en-US'),
      spread(ours),
      Math.round(median(theirs)).toLocaleString('en-US'),
      spread(theirs),
      (median(ours) / median(theirs)).toFixed(2),
    ];
    if (rates.has('baseline')) {
      const base = rates.get('baseline');
      row.push(
        Math.round(median(base)).toLocaleString('en-US'),
        spread(base),
        (median(base) / median(theirs)).toFixed(2),
      );
    }
    rows.push(row);
  }
} finally {
  await server.stop();
}
console.log(
  `\nShort-poll endpoint (204 answers), ${seconds} s per run, ${repetitions} runs, median and range. ${machine()}\n`,
);
const headers = ['connections', 'im-bench req/s', 'range', 'autocannon req/s', 'range', 'ratio'];
if (values.baseline !== undefined) headers.push('baseline req/s', 'range', 'baseline ratio');
printTable(headers, rows);
