import { resolve } from 'node:path';
import { invalidOption } from '../core/errors.js';
import { packagePath } from '../core/paths.js';
import type { TransportName } from '../document/scenario.js';
import type { Profile } from './profile.js';
import { loadProfileFile } from './profile-file.js';
import { CODE_PROFILES } from './socketio/profile.js';

/** The reference server: the wire contract, every technique, `/stats`. */
export const REFERENCE_SERVER = 'reference';

/** Profiles that ship with im-bench as files in `profiles/`, by name. */
const BUILT_IN_FILES: Readonly<Record<string, string>> = { nchan: 'nchan.yaml' };

export const BUILT_IN_SERVERS: readonly string[] = [
  REFERENCE_SERVER,
  ...Object.keys(BUILT_IN_FILES),
  ...Object.keys(CODE_PROFILES),
];

/** A kind of server to measure: the reference server (no profile), or a profile's. */
export interface ServerKind {
  readonly name: string;
  readonly profile: Profile | undefined;
}

export const REFERENCE_KIND: ServerKind = { name: REFERENCE_SERVER, profile: undefined };

const builtIns = (): string => BUILT_IN_SERVERS.join(', ');

/** A name from BUILT_IN_SERVERS, or a profile file (a path, or a name ending .yaml, .yml or .json). */
export async function resolveServerKind(spec: string, flag: string): Promise<ServerKind> {
  if (spec === REFERENCE_SERVER) return REFERENCE_KIND;
  const code = CODE_PROFILES[spec];
  if (code !== undefined) return { name: spec, profile: code() };
  const file = BUILT_IN_FILES[spec];
  if (file !== undefined) {
    const profile = await loadProfileFile(packagePath('profiles', file), `profiles/${file}`, builtIns);
    return { name: profile.name, profile };
  }
  if (!/[/\\]|\.(ya?ml|json)$/i.test(spec))
    throw invalidOption(flag, spec, `a built-in server (${builtIns()}) or a profile file (NAME.yaml)`);
  const profile = await loadProfileFile(resolve(spec), spec, builtIns);
  // Documents, compare and thresholds tell servers apart by name alone.
  if (BUILT_IN_SERVERS.includes(profile.name))
    throw invalidOption(
      flag,
      spec,
      `a profile whose name is not a built-in server's (${profile.name} is): rename it in the file`,
    );
  return { name: profile.name, profile };
}

/** `--server a,b,…`: each kind once, in the order given. */
export async function resolveServerKinds(list: string, flag: string): Promise<ServerKind[]> {
  const specs = list
    .split(',')
    .map((spec) => spec.trim())
    .filter((spec) => spec !== '');
  if (specs.length === 0) throw invalidOption(flag, list, `a built-in server (${builtIns()}) or a profile file`);
  const kinds: ServerKind[] = [];
  for (const spec of specs) {
    const kind = await resolveServerKind(spec, flag);
    if (kinds.some((known) => known.name === kind.name))
      throw invalidOption(flag, list, `each server once (${kind.name} is named twice)`);
    kinds.push(kind);
  }
  return kinds;
}

/** Whether a kind of server offers a technique: the reference server offers every one. */
export function offers(kind: ServerKind, technique: TransportName): boolean {
  return kind.profile === undefined || kind.profile.techniques.has(technique);
}
