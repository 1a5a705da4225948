import { DEFAULT_BROKER_BYTES, MAX_LONG_POLL_TIMEOUT_MS } from '../core/constants.js';
import { invalidOption } from '../core/errors.js';
import { isAllowHostPattern, normalizeHostName } from '../broker/host-check.js';
import type { ServerOptions } from '../server/server-options.js';
import { parseCalibrateCpu, parseCalibrateDelay } from './calibration-options.js';
import { http2FromServeFlags, tlsFromServeFlags } from './deployment-options.js';
import type { ServeFlags } from './flags.js';
import { parseDurationFlag, parseInteger, parseTransports } from './flag-values.js';

/** `--allow-host`, repeated and/or comma-separated: names as the server compares them (lower case, no trailing dot). */
export function parseAllowHosts(values: readonly string[]): string[] {
  const names = values.flatMap((value) => value.split(',')).map((name) => name.trim());
  for (const name of names) {
    if (!isAllowHostPattern(name)) {
      throw invalidOption(
        '--allow-host',
        name,
        'a host name such as bench.lan, or .example.com for it and every subdomain',
      );
    }
  }
  return names.map(normalizeHostName);
}

export function serveOptionsFromFlags(flags: ServeFlags): ServerOptions {
  if (flags.host.trim() === '') throw invalidOption('--host', flags.host, 'an address to listen on, such as 127.0.0.1');
  if (flags.journalFsync === true && flags.journal === undefined) {
    throw invalidOption('--journal-fsync', true, 'a --journal to sync');
  }
  return {
    transports: parseTransports('--transport', flags.transport),
    host: flags.host,
    port: parseInteger('--port', flags.port, 0, 65_535),
    ringSize: parseInteger('--ring', flags.ring, 1, 10_000_000),
    brokerBytes: DEFAULT_BROKER_BYTES,
    maxMessageBytes: parseInteger('--max-message', flags.maxMessage, 64, 256 * 1024 * 1024),
    allowOrigins: flags.allowOrigin ?? [],
    allowHosts: parseAllowHosts(flags.allowHost ?? []),
    heartbeatMs: parseDurationFlag('--heartbeat', flags.heartbeat, 10, 3_600_000),
    reconnectDelayMs: parseDurationFlag('--sse-retry', flags.sseRetry, 0, 3_600_000),
    longPollTimeoutMs: parseDurationFlag('--long-poll-timeout', flags.longPollTimeout, 0, MAX_LONG_POLL_TIMEOUT_MS),
    ...(flags.journal === undefined ? {} : { journalPath: flags.journal, journalFsync: flags.journalFsync === true }),
    calibrateDelayMs: flags.calibrateDelay === undefined ? 0 : parseCalibrateDelay(flags.calibrateDelay),
    calibrateCpuMicros: flags.calibrateCpu === undefined ? 0 : parseCalibrateCpu(flags.calibrateCpu),
    ...tlsFromServeFlags(flags),
    ...http2FromServeFlags(flags),
  };
}
