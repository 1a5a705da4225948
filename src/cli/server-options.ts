import { existsSync } from 'node:fs';
import { invalidOption } from '../core/errors.js';
import type { Scenario } from '../document/scenario.js';
import { REFERENCE_KIND, resolveServerKind, resolveServerKinds, type ServerKind } from '../profiles/registry.js';
import { hasChannels } from '../transports/dialect.js';
import { describeField, type ScenarioSources } from '../scenario/field-sources.js';
import type { RunFlags } from './flags.js';

/** Which servers a run measures, and where a running one's CPU and memory are read. */
export interface ServerChoice {
  servers: ServerKind[];
  serverPids?: number[];
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
  if (flags.serverPid !== undefined && flags.profile === undefined)
    throw invalidOption(
      '--server-pid',
      flags.serverPid,
      'a --target and its --profile (the reference server reports its own figures)',
    );
  const servers =
    flags.profile !== undefined
      ? [await resolveServerKind(flags.profile, '--profile')]
      : flags.server !== undefined
        ? await resolveServerKinds(flags.server, '--server')
        : [REFERENCE_KIND];
  for (const kind of servers) checkProfileRun(kind, flags, scenario, sources, asked);
  const serverPids = flags.serverPid === undefined ? undefined : parsePids(flags.serverPid);
  return { servers, ...(serverPids === undefined ? {} : { serverPids }) };
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
  const offered = scenario.transports.filter((name) => profile.techniques.has(name));
  if (offered.length === 0)
    throw invalidOption(
      flag,
      value,
      `a server offering one of ${scenario.transports.join(', ')}: ${profile.name} offers ${[...profile.techniques.keys()].join(', ')}`,
    );
  if (scenario.publisher === 'clients' && profile.publish.numbering === 'publisher')
    throw invalidOption(
      flag,
      value,
      `a scenario whose server side publishes, not ${describeField(scenario, sources, 'publisher')}: a chat against a server that does not number its messages is not supported yet`,
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

/** `--server-pid 123,456`: processes that exist now. */
function parsePids(value: string): number[] {
  const pids = value.split(',').map((item) => item.trim());
  for (const pid of pids) {
    if (!/^[1-9]\d*$/.test(pid)) throw invalidOption('--server-pid', value, 'process ids such as 1234 or 1234,1240');
    if (!existsSync(`/proc/${pid}`))
      throw invalidOption('--server-pid', value, `running processes (no process ${pid})`);
  }
  return pids.map(Number);
}
