import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { createSecureContext } from 'node:tls';
import type { Certificate } from '../core/certificate.js';
import type { ProxyKind } from '../document/header.js';
import { invalidOption } from '../core/errors.js';
import { servesTls } from '../profiles/profile.js';
import type { ServerKind } from '../profiles/registry.js';
import { H2_MAX_MULTIPLEX } from '../core/constants.js';
import type { ServerOptions } from '../server/server-options.js';
import type { ClientTls } from '../transports/transport.js';
import type { RunFlags, ServeFlags } from './flags.js';
import { parseInteger } from './flag-values.js';

function readPem(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw invalidOption(
      flag,
      path,
      `a readable PEM file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}

/** `--tls-cert` and `--tls-key`, both or neither: read, and checked to be a certificate and its key. */
export function tlsFromServeFlags(flags: ServeFlags): { tls: Certificate } | Record<string, never> {
  if (flags.tlsCert === undefined && flags.tlsKey === undefined) return {};
  if (flags.tlsCert === undefined) throw invalidOption('--tls-key', flags.tlsKey, 'a --tls-cert whose key it is');
  if (flags.tlsKey === undefined) throw invalidOption('--tls-cert', flags.tlsCert, 'a --tls-key, its private key');
  const tls = { cert: readPem('--tls-cert', flags.tlsCert), key: readPem('--tls-key', flags.tlsKey) };
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

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

/**
 * An https `--target`'s certificate check: against `--ca` (PEM certificates, each checked to
 * parse) when given, else Node's CA store; for the name the URL gave when its host was pinned
 * to an address (checkTarget), as a browser checks the name it was given.
 */
export function targetTlsFromRunFlags(flags: RunFlags, target: URL | undefined): ClientTls | undefined {
  if (target?.protocol !== 'https:') {
    if (flags.ca !== undefined)
      throw invalidOption('--ca', flags.ca, 'an https:// --target whose certificate it checks (--tls needs none)');
    return undefined;
  }
  const host = new URL(flags.target!).hostname.replace(/^\[|\]$/g, '');
  const servername = isIP(host) === 0 ? { servername: host } : {};
  if (flags.ca === undefined) return servername;
  const pem = readPem('--ca', flags.ca);
  const certificates = pem.match(PEM_CERTIFICATE) ?? [];
  if (certificates.length === 0)
    throw invalidOption('--ca', flags.ca, 'a PEM file of certificates (BEGIN CERTIFICATE)');
  for (const certificate of certificates) {
    try {
      new X509Certificate(certificate);
    } catch (error) {
      throw invalidOption('--ca', flags.ca, `PEM certificates that parse (${(error as Error).message})`);
    }
  }
  return { ca: certificates.join('\n'), ...servername };
}

/** `run --tls`: every technique over TLS on the servers im-bench starts (a --target says https:// itself). */
export function tlsFromRunFlags(
  flags: RunFlags,
  run: { target: URL | undefined; capacity: unknown; servers: readonly ServerKind[] },
): boolean {
  if (flags.tls !== true) return false;
  if (run.target !== undefined)
    throw invalidOption(
      '--tls',
      true,
      'no --target with it: it is for the servers im-bench starts (a --target over TLS is an https:// URL, with --ca for its certificate)',
    );
  const cleartext = run.servers.find(({ profile }) => profile !== undefined && !servesTls(profile));
  if (cleartext !== undefined && flags.via === undefined)
    throw invalidOption(
      '--tls',
      true,
      `the reference server, a profile whose server serves TLS (server.tls), or --via nginx in front of --server ${cleartext.name} (TLS then ends at nginx)`,
    );
  if (run.capacity !== undefined)
    throw invalidOption('--tls', true, 'no --capacity with it: the ceilings are measured in cleartext');
  return true;
}

/** `run --http2 [--h2-multiplex N]`: the HTTP techniques over HTTP/2, to a server im-bench starts or an https target. */
export function http2FromRunFlags(
  flags: RunFlags,
  run: { target: URL | undefined; capacity: unknown; servers: readonly ServerKind[] },
): { multiplex: number } | undefined {
  if (flags.http2 !== true) {
    if (flags.h2Multiplex !== undefined)
      throw invalidOption('--h2-multiplex', flags.h2Multiplex, '--http2 with it: it shares HTTP/2 connections');
    return undefined;
  }
  if (run.target !== undefined && run.target.protocol !== 'https:')
    throw invalidOption(
      '--http2',
      true,
      'an https:// --target (h2 by ALPN on its port), or a server im-bench starts: h2c would need a port of its own',
    );
  for (const { profile } of run.servers) {
    if (profile === undefined) continue;
    if ([...profile.techniques.values()].some((dialect) => dialect.protocol !== 'plain'))
      throw invalidOption(
        '--http2',
        true,
        `a server whose clients speak it: ${profile.name}'s (socket.io-client) speak HTTP/1.1`,
      );
    // A profile's server im-bench starts speaks what its config says: h2 over TLS when its profile
    // serves it, else HTTP/2 ends at a proxy in front.
    const ownH2 = flags.tls === true && servesTls(profile, 'h2');
    if (flags.via === undefined && run.target === undefined && !ownH2)
      throw invalidOption(
        '--http2',
        true,
        `the reference server, --tls with a profile whose server serves h2 (server.tls), or --via nginx in front of --server ${profile.name}`,
      );
  }
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
