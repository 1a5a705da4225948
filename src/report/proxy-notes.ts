import type { RunResult } from '../document/result.js';
import type { TransportName } from '../document/scenario.js';
import { formatMs } from './format.js';

/** A technique result without a profile is the reference server's. */
const REFERENCE = 'reference';

/**
 * What nginx with its defaults does to each technique, in plain words, with the one line of
 * config that fixes it: the classic reasons a push technique "works locally but not behind nginx".
 */
const DEFAULT_EFFECTS: Readonly<Record<TransportName, string>> = {
  'short-polling':
    'nginx speaks HTTP/1.0 to the server and closes that connection after each answer, so every poll opens a new one behind the proxy. Fix: proxy_http_version 1.1; proxy_set_header Connection ""; and keepalive in the upstream block.',
  'long-polling':
    'nginx answers 504 to a poll the server has held for proxy_read_timeout, 60 s by default, so any long-poll timeout of 60 s or more is cut short (try --long-poll-timeout 90s); and, speaking HTTP/1.0 to the server, it opens a new connection to it for every poll. Fix: proxy_read_timeout above the long-poll timeout, and proxy_http_version 1.1; proxy_set_header Connection ""; with keepalive in the upstream block.',
  sse: 'nginx buffers the response (proxy_buffering on), its headers included, until a 4 KB buffer fills or the stream ends: the stream does not open for a client until then, and events come late and in bursts. Fix: proxy_buffering off; in the location, or send X-Accel-Buffering: no from the server (which the reference server does; this config ignores it, as for a server that does not).',
  websocket:
    'nginx forwards neither Upgrade nor Connection (hop-by-hop headers, HTTP/1.0 to the server): the server sees a plain GET, and the WebSocket cannot open. Fix: proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade";',
  'http-streaming':
    'nginx buffers the response (proxy_buffering on), its headers included, until a 4 KB buffer fills or the stream ends: lines come late and in bursts, or the stream does not open at all. Fix: proxy_buffering off; in the location, or send X-Accel-Buffering: no from the server.',
};

/** What was measured of a technique on one kind of server: its latency and loss, or why it failed. */
function measured(result: RunResult, name: TransportName, server: string): string {
  const failure = result.failed?.find((f) => f.transport === name && f.profile === server);
  if (failure !== undefined) return `It failed: no client could subscribe (${failure.reason}).`;
  const ran = result.transports.find((t) => t.transport === name && (t.profile ?? REFERENCE) === server);
  if (ran === undefined) return '';
  return `Measured: latency p50 ${formatMs(ran.latency.p50)} ms, p99 ${formatMs(ran.latency.p99)} ms, ${ran.delivery.lost} lost.`;
}

/**
 * Through nginx with its defaults (`run --via nginx-defaults`): per technique of the scenario,
 * what the defaults do to it, the fix, and what was measured or why it failed, per kind of server
 * when there are several. Empty otherwise.
 */
export function proxyNotes(result: RunResult): string[] {
  if (result.environment.deployment?.via !== 'nginx-defaults') return [];
  const servers = [
    ...new Set([
      ...result.transports.map((t) => t.profile ?? REFERENCE),
      ...(result.failed ?? []).map((f) => f.profile),
    ]),
  ];
  const effects = (name: TransportName): string => DEFAULT_EFFECTS[name] ?? '';
  if (servers.length <= 1)
    return result.scenario.transports.map((name) =>
      `${name}: ${effects(name)} ${measured(result, name, servers[0] ?? REFERENCE)}`.trim(),
    );
  return [
    ...result.scenario.transports.map((name) => `${name}: ${effects(name)}`),
    ...servers.flatMap((server) =>
      result.scenario.transports
        .map((name) => [name, measured(result, name, server)] as const)
        .filter(([, text]) => text !== '')
        .map(([name, text]) => `${server}/${name}: ${text}`),
    ),
  ];
}

/** The heading the notes go under. */
export function proxyNotesTitle(): string {
  return 'Through nginx with its defaults';
}
