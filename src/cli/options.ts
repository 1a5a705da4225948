import { DEFAULT_BROKER_BYTES, MAX_LONG_POLL_TIMEOUT_MS } from '../core/constants.js';
import { invalidOption } from '../core/errors.js';
import type { ServerOptions } from '../server/reference-server.js';
import { TRANSPORT_NAMES, type TransportName } from '../transports/transport.js';
import { loadScenario } from '../scenario/loader.js';
import { FLAG_FIELDS } from '../scenario/fields.js';
import type { RunCommandOptions } from './run-command.js';
import type { RunFlags, ServeFlags } from './program.js';

const INTEGER = /^\d+$/;

export function parseInteger(flag: string, value: string, min: number, max: number): number {
  const n = INTEGER.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max)) throw invalidOption(flag, value, `an integer from ${min} to ${max}`);
  return n;
}

export function parseTransports(flag: string, value: string): TransportName[] {
  if (value === 'all') return [...TRANSPORT_NAMES];
  const names = value.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!(TRANSPORT_NAMES as readonly string[]).includes(name)) {
      throw invalidOption(flag, value, `all, or a comma-separated list of ${TRANSPORT_NAMES.join(', ')}`);
    }
  }
  return TRANSPORT_NAMES.filter((name) => names.includes(name));
}

export function serveOptionsFromFlags(flags: ServeFlags): ServerOptions {
  if (flags.host.trim() === '') throw invalidOption('--host', flags.host, 'an address to listen on, such as 127.0.0.1');
  return {
    transports: parseTransports('--transport', flags.transport),
    host: flags.host,
    port: parseInteger('--port', flags.port, 0, 65_535),
    ringSize: parseInteger('--ring', flags.ring, 1, 10_000_000),
    brokerBytes: DEFAULT_BROKER_BYTES,
    maxMessageBytes: parseInteger('--max-message', flags.maxMessage, 64, 256 * 1024 * 1024),
    allowOrigins: flags.allowOrigin ?? [],
    heartbeatMs: parseInteger('--heartbeat', flags.heartbeat, 10, 3_600_000),
    sseRetryMs: parseInteger('--sse-retry', flags.sseRetry, 0, 3_600_000),
    longPollTimeoutMs: parseInteger('--long-poll-timeout', flags.longPollTimeout, 0, MAX_LONG_POLL_TIMEOUT_MS),
  };
}

/** commander's property for a kebab-case flag: `poll-interval` → `pollInterval`. */
function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

export async function runOptionsFromFlags(flags: RunFlags): Promise<RunCommandOptions> {
  const overrides: Record<string, string> = {};
  for (const field of FLAG_FIELDS) {
    const value = flags[camelCase(field.name)];
    if (typeof value === 'string') overrides[field.name] = value;
  }
  return {
    scenario: await loadScenario(flags.scenario, overrides),
    pin: flags.pin === 'off' ? 'off' : 'auto',
    json: flags.json === true,
    out: flags.out,
    quiet: flags.quiet === true,
  };
}
