import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { Certificate } from '../core/certificate.js';
import { invalidOption } from '../core/errors.js';
import type { ServerKind } from '../profiles/registry.js';
import type { RunFlags, ServeFlags } from './flags.js';

/** `--tls-cert` and `--tls-key`, both or neither: read, and checked to be a certificate and its key. */
export function tlsFromServeFlags(flags: ServeFlags): { tls: Certificate } | Record<string, never> {
  if (flags.tlsCert === undefined && flags.tlsKey === undefined) return {};
  if (flags.tlsCert === undefined) throw invalidOption('--tls-key', flags.tlsKey, 'a --tls-cert whose key it is');
  if (flags.tlsKey === undefined) throw invalidOption('--tls-cert', flags.tlsCert, 'a --tls-key, its private key');
  const read = (flag: string, path: string): string => {
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw invalidOption(
        flag,
        path,
        `a readable PEM file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
  };
  const tls = { cert: read('--tls-cert', flags.tlsCert), key: read('--tls-key', flags.tlsKey) };
  try {
    createSecureContext(tls);
  } catch (error) {
    throw invalidOption(
      '--tls-cert',
      flags.tlsCert,
      `a PEM certificate whose private key is --tls-key (${(error as Error).message})`,
    );
  }
  return { tls };
}

/** `run --tls`: every technique over TLS on the reference servers im-bench starts (a --target is http:// for now). */
export function tlsFromRunFlags(
  flags: RunFlags,
  run: { target: URL | undefined; capacity: unknown; servers: readonly ServerKind[] },
): boolean {
  if (flags.tls !== true) return false;
  if (run.target !== undefined)
    throw invalidOption(
      '--tls',
      true,
      'no --target with it: it is for the servers im-bench starts (a --target is http:// for now)',
    );
  const profile = run.servers.find((server) => server.profile !== undefined);
  if (profile !== undefined)
    throw invalidOption('--tls', true, `the reference server only, for now: not --server ${profile.name}`);
  if (run.capacity !== undefined)
    throw invalidOption('--tls', true, 'no --capacity with it: the ceilings are measured in cleartext');
  return true;
}
