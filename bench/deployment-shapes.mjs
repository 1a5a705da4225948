// What the shape of a deployment does to each technique's cost: the notify scenario on the
// reference server, in one invocation, over
//   cleartext HTTP/1.1 · TLS HTTP/1.1 · TLS HTTP/2 · TLS HTTP/2 through nginx configured for push.
// Each shape is one `im-bench run` (a fresh server per technique and repetition, the server and
// nginx pinned to one core, the generator to the other), its document kept in --out.
//
//   node bench/deployment-shapes.mjs [--scenario notify] [--repeat 3] [--duration 8s] [--clients 100]
//                                    [--shapes h1,tls,h2,h2-nginx] [--out bench/results/deployment-shapes]
//
// Per shape and technique, the median over the repetitions: bytes per message (TCP bytes: TLS
// records, HTTP/2 frames and compressed headers included), server CPU µs per delivered copy (with
// its range), latency p99, and through nginx its own CPU per copy. The WebSocket stays HTTP/1.1
// under --http2 (WebSocket over HTTP/2, RFC 8441, is not built): its rows say so.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fixed, imBenchRun, machine, median, medianOf as med, perRepetition, printTable } from './lib.mjs';

const SHAPES = {
  h1: { title: 'cleartext h1', flags: [] },
  tls: { title: 'TLS h1', flags: ['--tls'] },
  h2: { title: 'TLS h2', flags: ['--tls', '--http2'] },
  'h2-nginx': { title: 'TLS h2 via nginx', flags: ['--tls', '--http2', '--via', 'nginx'] },
};

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'notify' },
    repeat: { type: 'string', default: '3' },
    duration: { type: 'string', default: '8s' },
    clients: { type: 'string', default: '100' },
    shapes: { type: 'string', default: Object.keys(SHAPES).join(',') },
    out: { type: 'string', default: fileURLToPath(new URL('results/deployment-shapes/', import.meta.url)) },
  },
});
mkdirSync(values.out, { recursive: true });

const withRange = (all, digits) =>
  all.length === 0
    ? '–'
    : `${median(all).toFixed(digits)} (${Math.min(...all).toFixed(digits)}–${Math.max(...all).toFixed(digits)})`;

/** One run of a shape, its document kept in --out. */
function imBench(file, flags) {
  const args = ['run', '--scenario', values.scenario, '--clients', values.clients, '--duration', values.duration];
  return imBenchRun(file, [...args, ...flags, '--repeat', values.repeat, '--pin', 'auto']);
}

const started = performance.now();
const documents = new Map();
for (const shape of values.shapes.split(',').filter(Boolean)) {
  if (SHAPES[shape] === undefined) throw new Error(`unknown shape ${shape}: one of ${Object.keys(SHAPES).join(', ')}`);
  documents.set(shape, await imBench(join(values.out, `${shape}.json`), SHAPES[shape].flags));
}

console.log(`# Deployment shapes — ${machine()}\n`);
const first = documents.values().next().value;
console.log(`${values.scenario}: ${first.scenario.description}, ${values.repeat} repetitions of ${values.duration}\n`);
const rows = [];
for (const technique of first.scenario.transports) {
  for (const [shape, document] of documents) {
    const result = document.transports.find((t) => t.transport === technique);
    if (result === undefined) continue;
    const http1Only = technique === 'websocket' && document.environment.deployment?.http !== 'http/1.1';
    rows.push([
      technique,
      `${SHAPES[shape].title}${http1Only ? ' (WebSocket over h1)' : ''}`,
      fixed(
        med(result, (r) => r.bytes.perMessage),
        0,
      ),
      withRange(
        perRepetition(result, (r) => r.server.cpuMicrosPerMessage),
        1,
      ),
      fixed(
        med(result, (r) => r.latency.p99),
        2,
      ),
      fixed(
        med(result, (r) => r.proxy?.cpuMicrosPerMessage ?? null),
        1,
      ),
      Math.max(...perRepetition(result, (r) => r.delivery.lost)),
    ]);
  }
}
printTable(
  ['technique', 'shape', 'bytes / msg', 'server CPU µs / msg (range)', 'p99 ms', 'nginx CPU µs / msg', 'lost'],
  rows,
);
console.log(`\n${((performance.now() - started) / 60_000).toFixed(0)} min in all.`);
