import { invalidOption } from '../core/errors.js';
import { POLLING_TRANSPORTS, TRANSPORT_ALIASES, TRANSPORT_NAMES } from '../transports/registry.js';
import { parseLocalAddresses } from '../harness/generator/generator-plan.js';
import type { Shard } from '../harness/run/shard.js';
import { type LoadedScenario, loadScenarioWithSources } from '../scenario/loader.js';
import { checkFieldsTogether } from '../scenario/field-rules.js';
import { describeField, withFlag } from '../scenario/field-sources.js';
import { runThresholds, sweepThresholds } from './threshold-options.js';
import { checkDocumentOutputs, type OutputFormat } from '../report/output.js';
import { checkOutputPaths } from '../report/output-path.js';
import { SWEEP_PARAMETERS } from '../document/sweep.js';
import { flagFields, scenarioField } from '../scenario/fields.js';
import type { FlagFieldName } from '../scenario/field-table.js';
import type { Ceilings } from '../harness/capacity/headroom.js';
import { loadCapacityFile } from '../document/capacity-file.js';
import type { CapacityCommandOptions } from './capacity-command.js';
import type { RunCommandOptions, SweepCommandOptions } from './run-command.js';
import type { CapacityFlags, RunFlags } from './flags.js';
import { checkTarget } from '../harness/target/check-target.js';
import { calibrationFromFlags } from './calibration-options.js';
import { http2FromRunFlags, targetTlsFromRunFlags, tlsFromRunFlags, viaFromRunFlags } from './deployment-options.js';
import { parseDurationFlag, parseInteger, parsePollingTransports } from './flag-values.js';
import { checkSweepServers, checkTargetFault, serverChoiceFromFlags } from './server-options.js';

/** commander's property for a kebab-case flag: `poll-interval` → `pollInterval`. */
function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

function scenarioOverrides(flags: RunFlags): Partial<Record<FlagFieldName, string>> {
  const overrides: Partial<Record<FlagFieldName, string>> = {};
  for (const field of flagFields(TRANSPORT_NAMES)) {
    const value = flags[camelCase(field.name)];
    // The flag fields' names, read from the table that makes the type.
    if (typeof value === 'string') overrides[field.name as FlagFieldName] = value;
  }
  return overrides;
}

export function outputFormat(flags: { format?: string; json?: boolean }): OutputFormat {
  if (flags.json === true) {
    if (flags.format !== undefined && flags.format !== 'json')
      throw invalidOption('--json', `--format ${flags.format}`, 'one output format: --json or --format, not both');
    return 'json';
  }
  return (flags.format as OutputFormat | undefined) ?? 'table';
}

function checkedOutputs(paths: string[]): string[] {
  checkDocumentOutputs(paths);
  return paths;
}

function parseWorkers(value: string): number | 'auto' {
  return value === 'auto' ? 'auto' : parseInteger('--workers', value, 1, 256);
}

function parseLocalAddressFlag(value: string): string[] | 'auto' {
  if (value === 'auto') return 'auto';
  return value === 'none' ? [] : parseLocalAddresses(value);
}

/** `--shard 0/4`: slice 0 of 4. */
export function parseShard(value: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index >= count)
    throw invalidOption('--shard', value, 'I/N with 0 <= I < N, such as 0/4 for the first of four shards');
  return { index, count };
}

type MeasurementOptions = Omit<RunCommandOptions, 'thresholds' | 'notices'> & {
  loaded: LoadedScenario;
  serverNotices: string[];
};

async function measurementOptions(
  flags: RunFlags,
  overrides: Partial<Record<FlagFieldName, string>>,
): Promise<MeasurementOptions> {
  const loaded = await loadScenarioWithSources(flags.scenario, overrides, TRANSPORT_NAMES, TRANSPORT_ALIASES);
  const { scenario, sources } = loaded;
  const calibration = calibrationFromFlags(flags, scenario.transports);
  if (flags.allowRemote === true && flags.target === undefined)
    throw invalidOption('--allow-remote', true, 'a --target to allow');
  const target = flags.target === undefined ? undefined : await checkTarget(flags.target, flags.allowRemote === true);
  checkTargetFault(flags, scenario, sources);
  if (target !== undefined && flags.capacity !== undefined) {
    throw invalidOption(
      '--capacity',
      flags.capacity,
      'no --target with it: the ceilings are those of the reference server',
    );
  }
  const capacity = flags.capacity === undefined ? undefined : await capacityFromFlag(flags.capacity);
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
  if (shard !== undefined && target === undefined)
    throw invalidOption('--shard', flags.shard, 'a --target that every shard drives');
  if (shard !== undefined && scenario.publisher === 'clients') {
    throw invalidOption(
      '--shard',
      flags.shard,
      `a scenario whose server side publishes, not ${describeField(scenario, sources, 'publisher')}: in a chat the clients publish, and each shard would time the others' messages on its own clock`,
    );
  }
  const choice = await serverChoiceFromFlags(flags, scenario, sources, {
    target,
    shard: shard !== undefined,
    capacity: capacity !== undefined,
    calibration: calibration !== undefined,
  });
  const tls = tlsFromRunFlags(flags, { target, capacity, servers: choice.servers });
  const targetTls = targetTlsFromRunFlags(flags, target);
  const http2 = http2FromRunFlags(flags, { target, capacity, servers: choice.servers });
  const via = viaFromRunFlags(flags, { target, capacity, servers: choice.servers });
  if (http2 !== undefined && scenario.sseClient === 'eventsource' && scenario.transports.includes('sse'))
    throw invalidOption(
      '--http2',
      true,
      `the parser SSE client, not ${describeField(scenario, sources, 'sseClient')}: the eventsource package speaks HTTP/1.1 only`,
    );
  if ((http2?.multiplex ?? 1) > 1 && scenario.fault === 'drop')
    throw invalidOption(
      '--h2-multiplex',
      flags.h2Multiplex,
      `1 with ${describeField(scenario, sources, 'fault')}: a drop cuts a whole shared connection, and the fault counts the clients it picked, not all it hit`,
    );
  return {
    scenario,
    loaded,
    ...choice,
    ...(tls ? { tls } : {}),
    ...(http2 === undefined ? {} : { http2 }),
    ...(via === undefined ? {} : { via }),
    ...(target === undefined ? {} : { target }),
    ...(targetTls === undefined ? {} : { targetTls }),
    ...(capacity === undefined ? {} : { capacity }),
    ...(calibration === undefined ? {} : { calibration }),
    repeat: parseInteger('--repeat', flags.repeat, 1, 100),
    pin: flags.pin === 'off' ? 'off' : 'auto',
    publishWait: flags.publishWait === 'coarse' ? 'coarse' : 'precise',
    workers: parseWorkers(flags.workers),
    ...(flags.serverWorkers === undefined
      ? {}
      : { serverWorkers: parseInteger('--server-workers', flags.serverWorkers, 1, 64) }),
    localAddresses: parseLocalAddressFlag(flags.localAddress),
    ...(shard === undefined ? {} : { shard }),
    format: outputFormat(flags),
    outs: checkedOutputs(flags.out ?? []),
    quiet: flags.quiet === true,
  };
}

/** `--capacity probe`, or a saved capacity document (checked: a bad one is an error naming the file and the field). */
async function capacityFromFlag(value: string): Promise<Ceilings | 'probe'> {
  if (value === 'probe') return 'probe';
  return { document: await loadCapacityFile(value, POLLING_TRANSPORTS), source: 'file' };
}

export async function runOptionsFromFlags(flags: RunFlags): Promise<RunCommandOptions> {
  const { loaded, serverNotices, ...options } = await measurementOptions(flags, scenarioOverrides(flags));
  const thresholds = runThresholds(flags.threshold, loaded, options.shard, options.servers ?? []);
  return { ...options, ...thresholds, notices: [...serverNotices, ...thresholds.notices] };
}

/**
 * `sweep` takes a comma-separated list for exactly one of --clients or --rate; each value is
 * checked as the field itself would be, and with the rest of the scenario; they run in
 * ascending order.
 */
export async function sweepOptionsFromFlags(flags: RunFlags): Promise<SweepCommandOptions> {
  const overrides = scenarioOverrides(flags);
  const swept = SWEEP_PARAMETERS.filter((parameter) => overrides[parameter]?.includes(','));
  if (swept.length !== 1) {
    const given = swept.map((parameter) => `--${parameter} ${overrides[parameter]}`).join(' and ') || 'no list';
    throw invalidOption(
      '--clients/--rate',
      given,
      'a comma-separated list for exactly one of them, e.g. --clients 10,100,1000',
    );
  }
  const parameter = swept[0]!;
  const field = scenarioField(parameter, TRANSPORT_NAMES)!;
  const values = overrides[parameter]!.split(',').map((item) => {
    const parsed = field.parse(item.trim());
    if (!parsed.ok) throw invalidOption(`--${parameter}`, item.trim(), parsed.expected);
    return parsed.value as number;
  });
  const sorted = [...values].sort((a, b) => a - b);
  const repeated = sorted.find((value, i) => i > 0 && value === sorted[i - 1]);
  if (repeated !== undefined)
    throw invalidOption(`--${parameter}`, overrides[parameter], `distinct values (${repeated} is given twice)`);
  delete overrides[parameter];
  const { loaded, serverNotices, ...options } = await measurementOptions(flags, overrides);
  checkSweepServers(flags, options.servers ?? []);
  for (const value of sorted)
    checkFieldsTogether({ ...options.scenario, [parameter]: value }, withFlag(loaded.sources, parameter));
  const thresholds = sweepThresholds(loaded);
  return {
    ...options,
    ...thresholds,
    notices: [...serverNotices, ...thresholds.notices],
    scenario: { ...options.scenario, [parameter]: sorted[0] },
    parameter,
    values: sorted,
  };
}

/** autocannon counts in 1 s samples: a shorter run has none. */
const MIN_CAPACITY_DURATION_MS = 1_000;
const MAX_CAPACITY_DURATION_MS = 3_600_000;

export function capacityOptionsFromFlags(flags: CapacityFlags): CapacityCommandOptions {
  const options: CapacityCommandOptions = {
    transports: parsePollingTransports('--transport', flags.transport),
    connections: parseInteger('--connections', flags.connections, 1, 1_000_000),
    durationMs: parseDurationFlag('--duration', flags.duration, MIN_CAPACITY_DURATION_MS, MAX_CAPACITY_DURATION_MS),
    warmupMs: parseDurationFlag('--warmup', flags.warmup, 0, MAX_CAPACITY_DURATION_MS),
    pin: flags.pin === 'off' ? 'off' : 'auto',
    json: flags.json === true,
    out: flags.out,
    quiet: flags.quiet === true,
  };
  if (options.out !== undefined) checkOutputPaths([options.out]);
  return options;
}
