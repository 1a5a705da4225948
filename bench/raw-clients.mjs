// The yardstick for im-bench's generator: N bare subscribers in one process, with as little code
// as it takes to count and time what arrives. WebSocket: one `ws` socket each, JSON.parse per
// frame. SSE: one `http.get` stream each, `data:` lines split by hand. The load is im-bench's own
// publisher (bench/publish.mjs), in this process as it is in im-bench's generator, with the same
// phases: connect (spread over the ramp-up), warm-up, measurement window, drain.
//
// Latency is receive time minus the scheduled publish time (`t`), for messages scheduled inside
// the window, in an HDR histogram with im-bench's settings (µs, 1 µs … 60 s, 3 digits).
// Expects a fresh server (it subscribes from seq 0). Prints one JSON line on stdout.
//
// Against another server, only the subscribe URL and the WebSocket subprotocol change (`--path`,
// `--subprotocol`; with ws+meta.nchan a frame's body follows its meta lines), and im-bench's
// publisher takes the server's publish request (`--publish nchan`).
//
//   node bench/raw-clients.mjs --url http://127.0.0.1:PORT --transport websocket|sse --clients 1000
//        --rate 20 [--ramp-up 1000] [--warmup 1000] [--duration 3000] [--drain 2000] [--payload 100]
//        [--path /sub/default] [--subprotocol P] [--publish reference|nchan]
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as hdr from 'hdr-histogram-js';
import WebSocket from 'ws';
import { publishOnSchedule } from './publish.mjs';
import { publishRouteOf, WIRE_CONTRACT_ROUTE } from '../dist/harness/publish/publish-client.js';
import { resolveServerKind } from '../dist/profiles/registry.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    transport: { type: 'string', default: 'websocket' },
    clients: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '20' },
    'ramp-up': { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '3000' },
    drain: { type: 'string', default: '2000' },
    payload: { type: 'string', default: '100' },
    path: { type: 'string' },
    subprotocol: { type: 'string' },
    publish: { type: 'string', default: 'reference' },
  },
});
const { profile } = await resolveServerKind(values.publish, '--publish');
const publishRoute = profile === undefined ? WIRE_CONTRACT_ROUTE : publishRouteOf(profile.publish);
const subscribePath = values.path ?? `${values.transport === 'websocket' ? '/ws' : '/sse'}?ch=default&since=0`;
const baseUrl = values.url;
const clientCount = Number(values.clients);
const [rampUpMs, warmupMs, durationMs, drainMs] = [values['ramp-up'], values.warmup, values.duration, values.drain].map(
  Number,
);
if (!baseUrl || !['websocket', 'sse'].includes(values.transport)) {
  console.error(
    'usage: node bench/raw-clients.mjs --url http://127.0.0.1:PORT --transport websocket|sse [--clients N] [--rate R] ...',
  );
  process.exit(2);
}
// Bounded whatever happens: connect, publish and drain, plus a margin.
setTimeout(
  () => {
    console.error('raw-clients: deadline passed, exiting');
    process.exit(4);
  },
  rampUpMs + warmupMs + durationMs + drainMs + 60_000,
).unref();

const latency = hdr.build({
  lowestDiscernibleValue: 1,
  highestTrackableValue: 60_000_000,
  numberOfSignificantValueDigits: 3,
  useWebAssembly: false,
});
let windowStartNs = Infinity;
let windowEndNs = Infinity;
let delivered = 0;
let duplicated = 0;
let connected = 0;
let failed = 0;
let errors = 0;
let closing = false;
const errorSamples = new Set();
const clients = Array.from({ length: clientCount }, () => ({ last: 0, close: () => {} }));

function noteError(error) {
  errors++;
  if (errorSamples.size < 5) errorSamples.add(error.message);
}

function receive(client, message) {
  const receivedNs = Number(process.hrtime.bigint());
  if (typeof message.seq !== 'number') return;
  if (message.seq <= client.last) {
    duplicated++;
    return;
  }
  client.last = message.seq;
  delivered++;
  const scheduledNs = Number(message.t);
  if (scheduledNs >= windowStartNs && scheduledNs < windowEndNs) {
    latency.recordValue(Math.min(60_000_000, Math.max(1, Math.round((receivedNs - scheduledNs) / 1000))));
  }
}

/** A frame's body: with nchan's ws+meta.nchan, after the meta lines (its id) and a blank line. */
function framedBody(data) {
  if (values.subprotocol !== 'ws+meta.nchan') return data;
  const text = data.toString();
  return text.slice(text.indexOf('\n\n') + 2);
}

function openWebSocket(client) {
  return new Promise((resolve) => {
    const url = `${baseUrl.replace(/^http/, 'ws')}${subscribePath}`;
    const socket = new WebSocket(url, values.subprotocol === undefined ? [] : [values.subprotocol], {
      perMessageDeflate: false,
    });
    let opened = false;
    client.close = () => socket.terminate();
    socket.on('open', () => {
      opened = true;
      connected++;
      resolve();
    });
    socket.on('message', (data) => receive(client, JSON.parse(framedBody(data))));
    socket.on('error', (error) => {
      noteError(error);
      if (!opened) {
        failed++;
        resolve();
      }
    });
    socket.on('close', () => {
      if (opened && !closing) noteError(new Error('socket closed by the server'));
    });
  });
}

function openSse(client) {
  return new Promise((resolve) => {
    const request = http.get(
      `${baseUrl}${subscribePath}`,
      { headers: { accept: 'text/event-stream' }, agent: false },
      (response) => {
        if (response.statusCode !== 200) {
          failed++;
          noteError(new Error(`GET ${subscribePath} answered ${response.statusCode}`));
          response.resume();
          resolve();
          return;
        }
        connected++;
        resolve();
        response.setEncoding('utf8');
        let partial = '';
        response.on('data', (chunk) => {
          const lines = (partial + chunk).split('\n');
          partial = lines.pop();
          for (const line of lines) if (line.startsWith('data: ')) receive(client, JSON.parse(line.slice(6)));
        });
        response.on('end', () => {
          if (!closing) noteError(new Error('stream ended by the server'));
        });
      },
    );
    client.close = () => request.destroy();
    request.on('error', (error) => {
      if (closing) return;
      noteError(error);
      if (!request.res) {
        failed++;
        resolve();
      }
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const open = values.transport === 'websocket' ? openWebSocket : openSse;

// Connect, starts spread evenly over the ramp-up, as im-bench's pool does.
const spacingMs = clientCount > 1 ? rampUpMs / (clientCount - 1) : 0;
const connectStarted = performance.now();
const opening = [];
for (let i = 0; i < clientCount; i++) {
  const dueIn = connectStarted + i * spacingMs - performance.now();
  if (dueIn >= 1) await sleep(dueIn);
  opening.push(open(clients[i]));
}
await Promise.all(opening);

// Publish through warm-up and window; the window opens after the warm-up.
const startNs = Number(process.hrtime.bigint()) + 5e6;
windowStartNs = startNs + warmupMs * 1e6;
windowEndNs = windowStartNs + durationMs * 1e6;
const LAG_RESOLUTION_MS = 10;
const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
setTimeout(() => lag.enable(), warmupMs + 5);
setTimeout(() => lag.disable(), warmupMs + durationMs + 5);
const published =
  connected > 0
    ? await publishOnSchedule(baseUrl, {
        rate: Number(values.rate),
        spanMs: warmupMs + durationMs,
        startNs,
        payloadBytes: Number(values.payload),
        route: publishRoute,
      })
    : null;

// Drain: until every client holds the last message, or the drain time is up.
const lastSeq = published?.lastSeq ?? 0;
const drainEnd = performance.now() + drainMs;
while (performance.now() < drainEnd && clients.some((client) => client.last < lastSeq)) await sleep(50);

closing = true;
const expected = connected * lastSeq;
const cpu = process.cpuUsage();
const at = (percentile) => latency.getValueAtPercentile(percentile) / 1000;
const result = {
  transport: values.transport,
  clients: { requested: clientCount, connected, failed },
  published,
  delivery: { expected, delivered, lost: expected - delivered, duplicated },
  latency: { count: latency.totalCount, p50: at(50), p90: at(90), p99: at(99), max: at(100) },
  // The histogram holds the time between ticks, the resolution included: im-bench subtracts it too.
  eventLoopDelayP99Ms: lag.count > 0 ? Math.max(0, lag.percentile(99) / 1e6 - LAG_RESOLUTION_MS) : 0,
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
  errors,
  errorSamples: [...errorSamples],
};
for (const client of clients) client.close();
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
