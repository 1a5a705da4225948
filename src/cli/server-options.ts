import { existsSync, readFileSync } from 'node:fs';
import { invalidOption } from '../core/errors.js';
import { lifecycleOf } from '../profiles/profile-server.js';
import type { Scenario } from '../document/scenario.js';
import { REFERENCE_KIND, resolveServerKind, resolveServerKinds, type ServerKind } from '../profiles/registry.js';
import { hasChannels } from '../transports/dialect.js';
import { describeField, type ScenarioSources } from '../scenario/field-sources.js';
import type { RunFlags } from './flags.js';

/** Which servers a run measures, and where a running one's CPU and memory are read. */
export interface ServerChoice {
  servers: ServerKind[];
  serverPids?: number[];
  /** Said on stderr before measuring. */
  serverNotices: string[];
}

/** What else the run was asked for, that only the reference server can give. */
export interface ReferenceOnly {
  target: URL | undefined;
  shard: boolean;
  capacity: boolean;
  calibration: boolean;
}

/**
 * `--server`, `--profile` and `--server-pid`, checked against each other, the scenario and the
 * rest of the run: every refusal names the flag, the value and what would do.
 */
export async function serverChoiceFromFlags(
  flags: RunFlags,
  scenario: Scenario,
  sources: ScenarioSources,
  asked: ReferenceOnly,
): Promise<ServerChoice> {
  if (flags.server !== undefined && asked.target !== undefined)
    throw invalidOption(
      '--server',
      flags.server,
      'no --target with it (it starts servers): --target URL --profile NAME drives a running one',
    );
  if (flags.profile !== undefined && asked.target === undefined)
    throw invalidOption(
      '--profile',
      flags.profile,
      'a --target to speak to (to start a server of that kind: --server NAME)',
    );
  if (flags.serverPid !== undefined && (flags.profile === undefined || flags.profile === 'reference'))
    throw invalidOption(
      '--server-pid',
      flags.serverPid,
      "a --target and its --profile (the reference server's /stats gives its own figures)",
    );
  const servers =
    flags.profile !== undefined
      ? [await resolveServerKind(flags.profile, '--profile')]
      : flags.server !== undefined
        ? await resolveServerKinds(flags.server, '--server')
        : [REFERENCE_KIND];
  for (const kind of servers) checkProfileRun(kind, flags, scenario, sources, asked);
  if (
    flags.serverWorkers !== undefined &&
    (asked.target !== undefined || servers.every((kind) => !kind.profile?.server))
  )
    throw invalidOption(
      '--server-workers',
      flags.serverWorkers,
      'a --server whose profile im-bench starts (nchan, a profile file with a server: section); the reference server is one process',
    );
  const serverPids = flags.serverPid === undefined ? undefined : parsePids(flags.serverPid);
  const figures = servers[0]!.profile?.figures;
  const unseen =
    asked.target !== undefined && serverPids === undefined && (figures === 'process-tree' || figures === 'pids');
  const serverNotices = unseen
    ? [`server CPU and memory will not be measured: name the server's processes with --server-pid`]
    : [];
  return { servers, ...(serverPids === undefined ? {} : { serverPids }), serverNotices };
}

function checkProfileRun(
  kind: ServerKind,
  flags: RunFlags,
  scenario: Scenario,
  sources: ScenarioSources,
  asked: ReferenceOnly,
): void {
  const { profile } = kind;
  if (profile === undefined) return;
  const flag = flags.profile !== undefined ? '--profile' : '--server';
  const value = flags.profile ?? flags.server;
  const only = (what: string): never => {
    throw invalidOption(flag, value, `the reference server only with ${what}`);
  };
  if (asked.shard) only("--shard (each shard reads the reference server's /stats)");
  if (asked.capacity) only("--capacity (the ceilings are the reference server's)");
  if (asked.calibration) only('--calibrate-* (im-bench can only slow its reference server)');
  // What the server needs is checked now, not once the techniques before it have run.
  if (asked.target === undefined) lifecycleOf(profile);
  if (scenario.fault === 'restart' && profile.publish.numbering === 'server')
    throw invalidOption(
      flag,
      value,
      `a server the publisher numbers for, with ${describeField(scenario, sources, 'fault')}: one that numbers its own messages starts again from 1 when restarted, and im-bench cannot tell its logs apart yet`,
    );
  const offered = scenario.transports.filter((name) => profile.techniques.has(name));
  if (offered.length === 0)
    throw invalidOption(
      flag,
      value,
      `a server offering one of ${scenario.transports.join(', ')}: ${profile.name} offers ${[...profile.techniques.keys()].join(', ')}`,
    );
  if (offered.includes('sse') && scenario.sseClient === 'eventsource')
    throw invalidOption(
      flag,
      value,
      `the parser SSE client, not ${describeField(scenario, sources, 'sseClient')}: only it speaks a profile's dialect`,
    );
  const fixed = offered.find((name) => !hasChannels(profile.techniques.get(name)!));
  if (scenario.channels > 1 && fixed !== undefined)
    throw invalidOption(
      flag,
      value,
      `one channel, not ${describeField(scenario, sources, 'channels')}: ${profile.name}'s ${fixed} path has no {ch}`,
    );
}

/** Flags that cannot go with the scenario's fault: blamed on the flag given, naming where the fault came from. */
export function checkTargetFault(flags: RunFlags, scenario: Scenario, sources: ScenarioSources): void {
  if (flags.target === undefined || scenario.fault !== 'restart') return;
  const cannot = 'im-bench can only restart a server it started';
  if (sources.fromFlags.has('fault'))
    throw invalidOption('--fault', 'restart', `none, drop or slow with --target: ${cannot}`);
  throw invalidOption(
    '--target',
    flags.target,
    `no --target with ${describeField(scenario, sources, 'fault')}: ${cannot} (or add --fault none, drop or slow)`,
  );
}

/** A sweep's curves are per technique: one kind of server at a time. */
export function checkSweepServers(flags: RunFlags, servers: readonly ServerKind[]): void {
  if (servers.length > 1)
    throw invalidOption(
      '--server',
      flags.server,
      'one kind of server in a sweep (its curves are per technique): sweep each on its own',
    );
}

/** `--server-pid 123,456`: processes that exist now, whose memory this user may read. */
function parsePids(value: string): number[] {
  const pids = value.split(',').map((item) => item.trim());
  for (const pid of pids) {
    if (!/^[1-9]\d*$/.test(pid)) throw invalidOption('--server-pid', value, 'process ids such as 1234 or 1234,1240');
    if (!existsSync(`/proc/${pid}`))
      throw invalidOption('--server-pid', value, `running processes (no process ${pid})`);
    try {
      // access() looks at the file's mode only; the kernel refuses another user's process at read.
      readFileSync(`/proc/${pid}/smaps_rollup`);
    } catch {
      throw invalidOption(
        '--server-pid',
        value,
        `processes whose memory this user can read (/proc/${pid}/smaps_rollup is not readable: run as the server's user, or as root)`,
      );
    }
  }
  return [...new Set(pids.map(Number))];
}
