// Which costs belong to the technique, and which to the implementation: the same scenarios, the
// same clients and publisher, on four servers in one invocation — im-bench's reference server,
// nginx + nchan, and the Socket.IO relay without and with connection state recovery. Each
// scenario is one `im-bench run --server …` (a fresh server per technique and repetition, the
// server pinned to one core and the generator to the other), its document kept in --out.
//
// Then the faults on the Socket.IO relays (--fault-servers): the built-in `drop` and `restart`
// scenarios, to show what connection state recovery keeps and what it cannot.
//
//   node bench/servers.mjs [--scenario notify,ticker] [--server reference,nchan,socketio,socketio-recovery]
//                          [--repeat 3] [--duration 8s] [--faults drop,restart]
//                          [--fault-servers socketio,socketio-recovery] [--out bench/results/servers]
//
// Per server and technique: server CPU per delivered copy, RSS per connection, latency p50 and
// p99, bytes per message and lost copies, the median over the repetitions (CPU with its range).
// Per fault: the copies lost and duplicated, the clients hit and how many heard again, and the
// time from the fault to each one's first message (p50, max).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fixed, imBenchRun, machine, median, medianOf as med, perRepetition, printTable } from './lib.mjs';

/** One run of the settings asked for, its document kept in --out. */
const imBench = (file, args) => imBenchRun(file, [...args, '--repeat', values.repeat, '--pin', 'auto']);

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'notify,ticker' },
    server: { type: 'string', default: 'reference,nchan,socketio,socketio-recovery' },
    repeat: { type: 'string', default: '3' },
    duration: { type: 'string', default: '8s' },
    faults: { type: 'string', default: 'drop,restart' },
    'fault-servers': { type: 'string', default: 'socketio,socketio-recovery' },
    out: { type: 'string', default: fileURLToPath(new URL('results/servers/', import.meta.url)) },
  },
});
mkdirSync(values.out, { recursive: true });

function rowsOf(document) {
  return document.transports.map((result) => {
    const cpu = perRepetition(result, (r) => r.server.cpuMicrosPerMessage);
    const cpuText =
      cpu.length === 0
        ? '–'
        : `${median(cpu).toFixed(1)} (${Math.min(...cpu).toFixed(1)}–${Math.max(...cpu).toFixed(1)})`;
    return [
      result.profile ?? 'reference',
      result.transport,
      cpuText,
      fixed(
        med(result, (r) => (r.server.rssPerConnectionBytes === null ? null : r.server.rssPerConnectionBytes / 1024)),
        1,
      ),
      fixed(
        med(result, (r) => r.latency.p50),
        2,
      ),
      fixed(
        med(result, (r) => r.latency.p99),
        2,
      ),
      fixed(
        med(result, (r) => r.bytes.perMessage),
        0,
      ),
      Math.max(...perRepetition(result, (r) => r.delivery.lost)),
    ];
  });
}

function faultRowsOf(document) {
  return document.transports.map((result) => {
    const repetitions = result.repetitions ?? [result];
    const sum = (read) => repetitions.reduce((total, r) => total + read(r), 0);
    return [
      result.profile,
      result.transport,
      `${sum((r) => r.delivery.lost)} of ${sum((r) => r.delivery.expected)}`,
      sum((r) => r.delivery.duplicated),
      `${sum((r) => r.fault.recoveredClients)} of ${sum((r) => r.fault.affectedClients)}`,
      fixed(
        med(result, (r) => r.fault.recovery.p50),
        0,
      ),
      fixed(Math.max(...perRepetition(result, (r) => r.fault.recovery.max)), 0),
    ];
  });
}

const started = performance.now();
console.log(`# Servers compared — ${machine()}\n`);
for (const scenario of values.scenario.split(',').filter(Boolean)) {
  const args = ['run', '--scenario', scenario, '--server', values.server, '--transport', 'all'];
  const document = await imBench(join(values.out, `${scenario}.json`), [...args, '--duration', values.duration]);
  console.log(`\n## ${scenario}: ${document.scenario.description}\n`);
  printTable(
    ['server', 'technique', 'CPU µs / copy (range)', 'RSS KiB / conn', 'p50 ms', 'p99 ms', 'bytes / msg', 'lost'],
    rowsOf(document),
  );
}
for (const fault of values.faults.split(',').filter(Boolean)) {
  const args = ['run', '--scenario', fault, '--server', values['fault-servers'], '--transport', 'all'];
  const document = await imBench(join(values.out, `${fault}.json`), args);
  console.log(`\n## ${fault}: ${document.scenario.description}\n`);
  printTable(
    ['server', 'technique', 'lost copies', 'duplicated', 'heard again', 'recovery p50 ms', 'max ms'],
    faultRowsOf(document),
  );
}
console.log(`\n${((performance.now() - started) / 60_000).toFixed(0)} min in all.`);
