// Connections: how long N clients take to connect, all at once, and what each costs the server in
// memory, for WebSocket and SSE at 1k, 5k, 10k and 19k clients. Each point is one
// `im-bench run --clients N --ramp-up 0 --rate 1 --duration 10s --json` (a fresh server, pinned
// apart from the generator), read for its connect times (p50, p99, max: each client's subscribe to
// its open event), `server.rssPerConnectionBytes` and `delivery.lost`. The result has no time
// for the whole connect phase; with every client started at once, in one loop of each generator
// process, connect max is that time to within the loop's length (its first client waits for all of it).
//
// The run's own defaults (--workers auto, --local-address auto) spread 19k clients over worker
// processes and source addresses. --extra passes other flags to every run, written with `=` since
// they start with dashes.
//
//   node bench/connections.mjs [--clients 1000,5000,10000,19000] [--transport websocket,sse]
//                              [--repetitions 3] [--duration 10s]
//                              [--extra="--workers 2 --local-address 127.0.0.2-127.0.0.9"]
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseJsonOutput, runChild } from './children.mjs';
import { machine, median, printTable } from './lib.mjs';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000,5000,10000,19000' },
    transport: { type: 'string', default: 'websocket,sse' },
    repetitions: { type: 'string', default: '3' },
    duration: { type: 'string', default: '10s' },
    extra: { type: 'string', default: '' },
  },
});
const clientCounts = values.clients.split(',').map(Number);
const repetitions = Number(values.repetitions);
const extra = values.extra.split(/\s+/).filter((flag) => flag !== '');
const cli = fileURLToPath(new URL('../bin/im-bench.js', import.meta.url));
const RUN_TIMEOUT_MS = 300_000;

async function point(transport, clients) {
  const outcome = await runChild(
    [
      process.execPath,
      cli,
      'run',
      '--transport',
      transport,
      '--clients',
      String(clients),
      '--ramp-up',
      '0',
      '--rate',
      '1',
      '--duration',
      values.duration,
      '--pin',
      'auto',
      '--json',
      '--quiet',
      ...extra,
    ],
    { timeoutMs: RUN_TIMEOUT_MS },
  );
  const [result] = parseJsonOutput(outcome, 'im-bench run').transports;
  const figures = {
    connected: result.clients.connected,
    p50: result.connect.p50,
    p99: result.connect.p99,
    max: result.connect.max,
    rssPerConnection: result.server.rssPerConnectionBytes,
    lost: result.delivery.lost,
  };
  console.error(
    `${transport} ${clients} clients: ${figures.connected} connected, connect p50 ${figures.p50.toFixed(1)} ms, p99 ${figures.p99.toFixed(1)} ms, ` +
      `max ${figures.max.toFixed(1)} ms, server ${(figures.rssPerConnection / 1024).toFixed(1)} KiB per connection, lost ${figures.lost}`,
  );
  return figures;
}

const rows = [];
for (const transport of values.transport.split(',')) {
  for (const clients of clientCounts) {
    const runs = [];
    for (let i = 0; i < repetitions; i++) {
      try {
        runs.push(await point(transport, clients));
      } catch (error) {
        console.error(`${transport} ${clients} clients: failed, ${error.message}`);
      }
    }
    if (runs.length === 0) {
      rows.push([transport, clients.toLocaleString('en-US'), 'failed', '–', '–', '–', '–', '–', '–', '–']);
      continue;
    }
    const mid = (key) => median(runs.map((run) => run[key]));
    const range = (key, scale, digits) => {
      const list = runs.map((run) => run[key] / scale);
      return `${Math.min(...list).toFixed(digits)}–${Math.max(...list).toFixed(digits)}`;
    };
    rows.push([
      transport,
      clients.toLocaleString('en-US'),
      Math.min(...runs.map((run) => run.connected)).toLocaleString('en-US'),
      mid('p50').toFixed(1),
      mid('p99').toFixed(1),
      mid('max').toFixed(1),
      range('max', 1, 1),
      (mid('rssPerConnection') / 1024).toFixed(1),
      range('rssPerConnection', 1024, 1),
      Math.max(...runs.map((run) => run.lost)),
    ]);
  }
}
console.log(
  `\nConnections: all clients at once (--ramp-up 0), 1 msg/s, ${values.duration} window, ${repetitions} runs per point, median and range of those that completed` +
    `${extra.length > 0 ? `, with ${extra.join(' ')}` : ''}. ${machine()}\n`,
);
printTable(
  [
    'technique',
    'clients',
    'connected (min)',
    'connect p50 ms',
    'p99 ms',
    'max ms',
    'range',
    'server KiB / conn',
    'range',
    'lost (max)',
  ],
  rows,
);
