import { H2_MAX_MULTIPLEX } from '../../core/constants.js';
import { invalidOption } from '../../core/errors.js';
import type { ProxyKind } from '../../document/header.js';
import type { Scenario } from '../../document/scenario.js';
import type { ServerKind } from '../../profiles/registry.js';

/** What a run asks of its deployment, and what that cannot go with (DeploymentAsked' fields). */
interface DeploymentAsked {
  scenario: Scenario;
  target?: URL;
  servers?: readonly ServerKind[];
  capacity?: unknown;
  tls?: boolean;
  http2?: { multiplex: number };
  via?: ProxyKind;
}

/**
 * TLS, HTTP/2 and a proxy in front are for the servers im-bench starts: TLS and HTTP/2 on the
 * reference server, a proxy in front of any (TLS then ends there). Refused otherwise, before anything runs.
 */
export function checkDeployment(options: DeploymentAsked): void {
  checkTls(options);
  checkHttp2(options);
  checkVia(options);
}

/** TLS on the servers im-bench starts: the reference server, or a profile’s server behind the proxy (its own config has none). */
function checkTls(options: DeploymentAsked): void {
  if (options.tls !== true) return;
  if (options.target !== undefined)
    throw invalidOption('tls', options.target.origin, 'no target: TLS is for the servers im-bench starts');
  // A profile's server speaks its own config's protocol: TLS can end at a proxy in front of it.
  if (options.via === undefined && (options.servers ?? []).some((server) => server.profile !== undefined))
    throw invalidOption('tls', true, 'the reference server, or a proxy in front of a profile’s server (via)');
  if (options.capacity !== undefined)
    throw invalidOption('tls', true, 'no capacity: the ceilings are measured in cleartext');
}

/** HTTP/2 is the reference server's for now, as TLS is; the eventsource package's client speaks HTTP/1.1 only. */
function checkHttp2(options: DeploymentAsked): void {
  const { http2 } = options;
  if (http2 === undefined) return;
  if (!Number.isInteger(http2.multiplex) || http2.multiplex < 1 || http2.multiplex > H2_MAX_MULTIPLEX)
    throw invalidOption('h2Multiplex', http2.multiplex, `a whole number from 1 to ${H2_MAX_MULTIPLEX}`);
  if (options.target !== undefined)
    throw invalidOption('http2', options.target.origin, 'no target: HTTP/2 is for the servers im-bench starts');
  if ((options.servers ?? []).some((server) => server.profile !== undefined))
    throw invalidOption('http2', true, 'the reference server (HTTP/2 for a profile’s server is not built yet)');
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
