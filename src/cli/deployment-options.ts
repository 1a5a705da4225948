import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { Certificate } from '../core/certificate.js';
import type { ProxyKind } from '../document/header.js';
import { invalidOption } from '../core/errors.js';
import type { ServerKind } from '../profiles/registry.js';
import { H2_MAX_MULTIPLEX } from '../core/constants.js';
import type { ServerOptions } from '../server/server-options.js';
import type { RunFlags, ServeFlags } from './flags.js';
import { parseInteger } from './flag-values.js';

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
  if (profile !== undefined && flags.via === undefined)
    throw invalidOption(
      '--tls',
      true,
      `the reference server, or --via nginx in front of --server ${profile.name} (TLS then ends at nginx)`,
    );
  if (run.capacity !== undefined)
    throw invalidOption('--tls', true, 'no --capacity with it: the ceilings are measured in cleartext');
  return true;
}

/** `run --http2 [--h2-multiplex N]`: the HTTP techniques over HTTP/2 on the reference servers im-bench starts. */
export function http2FromRunFlags(
  flags: RunFlags,
  run: { target: URL | undefined; capacity: unknown; servers: readonly ServerKind[] },
): { multiplex: number } | undefined {
  if (flags.http2 !== true) {
    if (flags.h2Multiplex !== undefined)
      throw invalidOption('--h2-multiplex', flags.h2Multiplex, '--http2 with it: it shares HTTP/2 connections');
    return undefined;
  }
  if (run.target !== undefined)
    throw invalidOption('--http2', true, 'no --target with it: it is for the servers im-bench starts');
  const profile = run.servers.find((server) => server.profile !== undefined);
  if (profile !== undefined)
    throw invalidOption('--http2', true, `the reference server only, for now: not --server ${profile.name}`);
  if (run.capacity !== undefined)
    throw invalidOption('--http2', true, 'no --capacity with it: the ceilings are measured over HTTP/1.1');
  const multiplex =
    flags.h2Multiplex === undefined ? 1 : parseInteger('--h2-multiplex', flags.h2Multiplex, 1, H2_MAX_MULTIPLEX);
  return { multiplex };
}

/** `serve --http2 [--h2c-port N]`: HTTP/2 beside HTTP/1.1, on the one port over TLS, on an h2c port without. */
export function http2FromServeFlags(flags: ServeFlags): Pick<ServerOptions, 'http2' | 'h2cPort'> {
  if (flags.h2cPort !== undefined && flags.http2 !== true)
    throw invalidOption(
      '--h2c-port',
      flags.h2cPort,
      '--http2 with it: the port is the one HTTP/2 in cleartext listens on',
    );
  if (flags.h2cPort !== undefined && flags.tlsCert !== undefined)
    throw invalidOption('--h2c-port', flags.h2cPort, 'no --tls-cert with it: over TLS, HTTP/2 shares --port');
  if (flags.http2 !== true) return {};
  return { http2: true, h2cPort: parseInteger('--h2c-port', flags.h2cPort ?? '0', 0, 65_535) };
}

/** `run --via PROXY`: nginx in front of the reference servers im-bench starts. */
export function viaFromRunFlags(
  flags: RunFlags,
  run: { target: URL | undefined; capacity: unknown; servers: readonly ServerKind[] },
): ProxyKind | undefined {
  if (flags.via === undefined) return undefined;
  const via = flags.via as ProxyKind;
  if (run.target !== undefined)
    throw invalidOption('--via', via, 'no --target with it: the proxy goes in front of a server im-bench starts');
  if (run.capacity !== undefined)
    throw invalidOption('--via', via, 'no --capacity with it: the ceilings are the server’s own, without a proxy');
  return via;
}
