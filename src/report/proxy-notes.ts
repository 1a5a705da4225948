import type { RunResult } from '../document/result.js';
import type { TransportName } from '../document/scenario.js';
import { formatMs } from './format.js';

/**
 * What nginx with its defaults does to each technique, in plain words, with the one line of
 * config that fixes it: the classic reasons a push technique "works locally but not behind nginx".
 */
const DEFAULT_EFFECTS: Readonly<Record<TransportName, string>> = {
  'short-polling':
    'nginx speaks HTTP/1.0 to the server and closes that connection after each answer, so every poll opens a new one behind the proxy. Fix: proxy_http_version 1.1; proxy_set_header Connection ""; and keepalive in the upstream block.',
  'long-polling':
    'nginx answers 504 to a poll the server has held for proxy_read_timeout, 60 s by default, so any long-poll timeout of 60 s or more is cut short (try --long-poll-timeout 90s). Fix: proxy_read_timeout above the long-poll timeout.',
  sse: 'nginx buffers the response (proxy_buffering on), its headers included, until a 4 KB buffer fills or the stream ends: the stream does not open for a client until then, and events come late and in bursts. Fix: proxy_buffering off; in the location, or send X-Accel-Buffering: no from the server (which the reference server does; this config ignores it, as for a server that does not).',
  websocket:
    'nginx forwards neither Upgrade nor Connection (hop-by-hop headers, HTTP/1.0 to the server): the server sees a plain GET, and the WebSocket cannot open. Fix: proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade";',
  'http-streaming':
    'nginx buffers the response (proxy_buffering on), its headers included, until a 4 KB buffer fills or the stream ends: lines come late and in bursts, or the stream does not open at all. Fix: proxy_buffering off; in the location, or send X-Accel-Buffering: no from the server.',
};

/** What was measured of a technique that ran: its latency, to set beside the effect. */
function measured(result: RunResult, name: TransportName): string {
  const failure = result.failed?.find((f) => f.transport === name);
  if (failure !== undefined) return `It failed: no client could subscribe (${failure.reason}).`;
  const ran = result.transports.find((t) => t.transport === name);
  if (ran === undefined) return '';
  return `Measured: latency p50 ${formatMs(ran.latency.p50)} ms, p99 ${formatMs(ran.latency.p99)} ms, ${ran.delivery.lost} lost.`;
}

/**
 * Through a proxy (`run --via`): per technique of the scenario, what the proxy does to it and how
 * to fix it (nginx's defaults), or why it failed (the configured proxy, should one ever fail). Empty when direct.
 */
export function proxyNotes(result: RunResult): string[] {
  const via = result.environment.deployment?.via ?? 'none';
  if (via === 'none') return [];
  if (via === 'nginx')
    return (result.failed ?? []).map(
      (f) => `${f.transport} failed through nginx: no client could subscribe (${f.reason}).`,
    );
  return result.scenario.transports.map((name) => `${name}: ${DEFAULT_EFFECTS[name]} ${measured(result, name)}`.trim());
}

/** The heading the notes go under. */
export function proxyNotesTitle(result: RunResult): string {
  return result.environment.deployment?.via === 'nginx-defaults'
    ? 'Through nginx with its defaults'
    : 'Through the proxy';
}
