import { H2_MAX_MULTIPLEX } from '../../core/constants.js';
import { invalidOption } from '../../core/errors.js';
import type { ProxyKind } from '../../document/header.js';
import type { Scenario } from '../../document/scenario.js';
import { servesTls } from '../../profiles/profile.js';
import type { ServerKind } from '../../profiles/registry.js';
import type { ClientTls } from '../../transports/transport.js';
import type { ServerTls } from '../target/server-process.js';

/** What a run asks of its deployment, and what that cannot go with (DeploymentAsked' fields). */
interface DeploymentAsked {
  scenario: Scenario;
  target?: URL;
  servers?: readonly ServerKind[];
  capacity?: unknown;
  tls?: boolean;
  targetTls?: ClientTls;
  http2?: { multiplex: number };
  via?: ProxyKind;
}

/** Over TLS: the servers im-bench starts with `tls`, or an https target. */
export function overTls(options: Pick<DeploymentAsked, 'tls' | 'target'>): boolean {
  return options.tls === true || options.target?.protocol === 'https:';
}

/**
 * How the clients check the server's certificate: the run's own (`certificate`, made for `tls`),
 * or as `targetTls` says for an https target (by default against Node's CA store); undefined in cleartext.
 */
export function clientTrust(
  options: Pick<DeploymentAsked, 'tls' | 'target' | 'targetTls'>,
  certificate: ServerTls | undefined,
): ClientTls | undefined {
  if (certificate !== undefined) return { ca: certificate.cert };
  return options.target?.protocol === 'https:' ? (options.targetTls ?? {}) : undefined;
}

/**
 * TLS, HTTP/2 and a proxy in front are for the servers im-bench starts: TLS and HTTP/2 on the
 * reference server and on a profile's server whose profile serves them, a proxy in front of
 * any (TLS and HTTP/2 then end there); a target is reached as its URL says (h2 over https).
 * Refused otherwise, before anything runs.
 */
export function checkDeployment(options: DeploymentAsked): void {
  if (options.targetTls !== undefined && options.target?.protocol !== 'https:')
    throw invalidOption('targetTls', options.target?.origin ?? null, 'an https target whose certificate it checks');
  checkTls(options);
  checkHttp2(options);
  checkVia(options);
}

/** TLS on the servers im-bench starts: the reference server, a profile’s server that serves it, or any behind the proxy. */
function checkTls(options: DeploymentAsked): void {
  if (options.tls !== true) return;
  if (options.target !== undefined)
    throw invalidOption(
      'tls',
      options.target.origin,
      'no target: TLS is for the servers im-bench starts (a target over TLS is an https URL)',
    );
  // A profile's server speaks what its config says: TLS when its profile serves it, else at a proxy in front.
  const cleartext = (options.servers ?? []).find(({ profile }) => profile !== undefined && !servesTls(profile));
  if (options.via === undefined && cleartext !== undefined)
    throw invalidOption(
      'tls',
      true,
      `the reference server, a profile’s server that serves TLS (server.tls), or a proxy in front of ${cleartext.name}’s (via)`,
    );
  if (options.capacity !== undefined)
    throw invalidOption('tls', true, 'no capacity: the ceilings are measured in cleartext');
}

/**
 * HTTP/2 on the reference server, at a proxy in front of a profile's server, or to an https
 * target (h2 by ALPN); a profile's clients must then be im-bench's own (socket.io-client speaks
 * HTTP/1.1), and the eventsource package's client speaks HTTP/1.1 only.
 */
function checkHttp2(options: DeploymentAsked): void {
  const { http2 } = options;
  if (http2 === undefined) return;
  if (!Number.isInteger(http2.multiplex) || http2.multiplex < 1 || http2.multiplex > H2_MAX_MULTIPLEX)
    throw invalidOption('h2Multiplex', http2.multiplex, `a whole number from 1 to ${H2_MAX_MULTIPLEX}`);
  // h2 is chosen by ALPN on a target's one port; h2c would need a port of its own, which its URL does not name.
  if (options.target !== undefined && options.target.protocol !== 'https:')
    throw invalidOption('http2', options.target.origin, 'an https target (h2 by ALPN), or a server im-bench starts');
  for (const { profile } of options.servers ?? []) {
    if (profile === undefined) continue;
    if ([...profile.techniques.values()].some((dialect) => dialect.protocol !== 'plain'))
      throw invalidOption('http2', true, `a server whose clients can speak it: ${profile.name}’s speak HTTP/1.1 only`);
    const ownH2 = options.tls === true && servesTls(profile, 'h2');
    if (options.via === undefined && options.target === undefined && !ownH2)
      throw invalidOption(
        'http2',
        true,
        `the reference server, ${profile.name}’s server over TLS if its profile serves h2 (server.tls), or a proxy in front of it (via)`,
      );
  }
  if (options.capacity !== undefined)
    throw invalidOption('http2', true, 'no capacity: the ceilings are measured over HTTP/1.1');
  if (options.scenario.sseClient === 'eventsource' && options.scenario.transports.includes('sse'))
    throw invalidOption('http2', true, 'the parser SSE client: the eventsource package’s speaks HTTP/1.1 only');
  // A drop cuts a whole shared connection: the fault would count the clients it picked, not all it hit.
  if (http2.multiplex > 1 && options.scenario.fault === 'drop')
    throw invalidOption('h2Multiplex', http2.multiplex, '1 with the drop fault (it cuts whole shared connections)');
}

/** A proxy in front of a server im-bench starts (the reference server or a profile’s): a target’s deployment is its own. */
function checkVia(options: DeploymentAsked): void {
  if (options.via === undefined) return;
  if (options.target !== undefined)
    throw invalidOption(
      'via',
      options.target.origin,
      'no target: the proxy is put in front of a server im-bench starts',
    );
  if (options.capacity !== undefined)
    throw invalidOption('via', options.via, 'no capacity: the ceilings are the server’s own, without a proxy');
}
