// Short-poll endpoint throughput: im-bench's polling client vs autocannon, same server, same
// connections, same duration, alternating, three repetitions each. Polls are issued back to
// back (no interval), so both sides are closed-loop load at a fixed connection count.
//
//   node bench/poll-throughput.mjs [--connections 1,10,100] [--seconds 5] [--repetitions 3]
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { getTransport } from 'im-bench';
import { machine, median, pinForBenchmark, printTable, spread, startServer } from './lib.mjs';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '1,10,100' },
    seconds: { type: 'string', default: '5' },
    repetitions: { type: 'string', default: '3' },
  },
});
const connectionCounts = values.connections.split(',').map(Number);
const seconds = Number(values.seconds);
const repetitions = Number(values.repetitions);

async function imBench(url, connections) {
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
}

async function autocannonRun(url, connections) {
  const result = await autocannon({ url: `${url}/poll?since=0`, connections, duration: seconds, pipelining: 1 });
  return result.requests.total / (result.duration || seconds);
}

const placement = pinForBenchmark();
const server = await startServer(['short-polling'], placement);
console.error(`server ${server.url} on CPU ${placement?.server ?? 'any'}, generator on CPU ${placement?.generator ?? 'any'}`);
const rows = [];
try {
  for (const connections of connectionCounts) {
    const ours = [];
    const theirs = [];
    for (let i = 0; i < repetitions; i++) {
      // Alternate who goes first so drift in the machine's state charges both alike.
      if (i % 2 === 0) {
        ours.push(await imBench(server.url, connections));
        theirs.push(await autocannonRun(server.url, connections));
      } else {
        theirs.push(await autocannonRun(server.url, connections));
        ours.push(await imBench(server.url, connections));
      }
      console.error(`connections ${connections} run ${i + 1}: im-bench ${Math.round(ours.at(-1))} req/s, autocannon ${Math.round(theirs.at(-1))} req/s`);
    }
    rows.push([
      connections,
      Math.round(median(ours)).toLocaleString('en-US'),
      spread(ours),
      Math.round(median(theirs)).toLocaleString('en-US'),
      spread(theirs),
      (median(ours) / median(theirs)).toFixed(2),
    ]);
  }
} finally {
  await server.stop();
}
console.log(`\nShort-poll endpoint (204 answers), ${seconds} s per run, ${repetitions} runs, median and range. ${machine()}\n`);
printTable(['connections', 'im-bench req/s', 'range', 'autocannon req/s', 'range', 'ratio'], rows);
