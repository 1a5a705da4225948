// Shared by the benchmarks: a pinned reference server (or a profile's), an im-bench run into a file,
// medians over repetitions, and a small table printer.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEFAULT_HEARTBEAT_MS } from '../dist/core/constants.js';
import { ServerProcess } from '../dist/harness/target/server-process.js';
import { pinProcess, planPlacement, serverPinPrefix } from '../dist/harness/machine/placement.js';
import { ProfileServer } from '../dist/profiles/profile-server.js';
import { profileTemplateValues } from '../dist/harness/target/profile-values.js';
import { channelPath } from '../dist/transports/dialect.js';
import { runChild } from './children.mjs';

/** Server on one core, this process (the generator) on the others, when the machine allows. */
export function pinForBenchmark() {
  const placement = planPlacement('auto');
  if (placement !== null) pinProcess(process.pid, placement.generator);
  return placement;
}

export async function startServer(transports, placement, extra = {}) {
  return ServerProcess.start({
    transports,
    reconnectDelayMs: 1000,
    longPollTimeoutMs: 25000,
    heartbeatMs: DEFAULT_HEARTBEAT_MS,
    prefix: serverPinPrefix(placement),
    ...extra,
  });
}

/**
 * A fresh server of the kind measured, on the server's core: the reference server (`profile`
 * undefined), or a profile's (nginx + nchan). `rawFlags` point bench/raw-clients.mjs at it: the
 * profile's subscribe URL, WebSocket subprotocol and publish request, the only things the raw
 * clients change for a profile.
 */
export async function startKindServer(profile, transport, placement, { rate, ...phases }) {
  if (profile === undefined) return { server: await startServer([transport], placement), rawFlags: [] };
  // The scenario fields the config template reads, as `im-bench run` sets them by default.
  const scenario = {
    ...phases,
    rate,
    channels: 1,
    heartbeatMs: 15_000,
    longPollTimeoutMs: 25_000,
    pollIntervalMs: 1_000,
  };
  const server = await ProfileServer.start(profile, {
    values: profileTemplateValues(scenario, 1),
    prefix: serverPinPrefix(placement),
  });
  const dialect = profile.techniques.get(transport);
  const rawFlags = ['--path', channelPath(dialect, 'default'), '--publish', profile.name];
  if (dialect.subprotocol !== undefined) rawFlags.push('--subprotocol', dialect.subprotocol);
  return { server, rawFlags };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function spread(values) {
  return `${Math.round(Math.min(...values)).toLocaleString('en-US')}–${Math.round(Math.max(...values)).toLocaleString('en-US')}`;
}

export function printTable(headers, rows) {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells) => `| ${cells.map((cell, i) => String(cell).padEnd(widths[i])).join(' | ')} |`;
  console.log(line(headers));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

export function machine() {
  const cpu = execFileSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"]).toString().trim();
  return `${cpu}, node ${process.version}`;
}

/** The built `dist/` of another checkout (given as the checkout or as its dist), for --baseline. */
export function distOf(path) {
  const root = resolve(path);
  const dist = existsSync(resolve(root, 'dist', 'transports')) ? resolve(root, 'dist') : root;
  if (!existsSync(resolve(dist, 'transports', 'registry.js')))
    throw new Error(`${path} holds no built im-bench (dist/transports/registry.js)`);
  return dist;
}

/** This checkout's dist/. */
export const OWN_DIST = resolve(new URL('..', import.meta.url).pathname, 'dist');

/**
 * Imports `file` (relative to dist/, e.g. `transports/registry.js`) from the build in `dist`;
 * given several, the first that exists, so a baseline built before a file moved still loads.
 */
export function importBuilt(dist, ...files) {
  const file = files.find((candidate) => existsSync(resolve(dist, candidate))) ?? files[0];
  return import(pathToFileURL(resolve(dist, file)).href);
}

/** One value per repetition of a technique's result (its repetitions, or itself), the unmeasured left out. */
export const perRepetition = (result, read) => (result.repetitions ?? [result]).map(read).filter((v) => v != null);

/** The median over a technique's repetitions of `read`; null when none measured it. */
export function medianOf(result, read) {
  const all = perRepetition(result, read);
  return all.length === 0 ? null : median(all);
}

export const fixed = (value, digits) => (value === null ? '–' : value.toFixed(digits));

/**
 * One `im-bench run` (the args given) written to `file`, quiet: its document. A run that fails
 * ends the benchmark with its stderr's tail.
 */
export async function imBenchRun(file, args) {
  const cli = fileURLToPath(new URL('../bin/im-bench.js', import.meta.url));
  const all = [...args, '--quiet', '--out', file];
  console.error(`im-bench ${all.join(' ')}`);
  const outcome = await runChild([process.execPath, cli, ...all], { timeoutMs: 60 * 60_000 });
  if (outcome.code !== 0) {
    console.error(outcome.stderr.slice(-2000));
    process.exit(1);
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}
