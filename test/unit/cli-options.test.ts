import { describe, expect, it } from 'vitest';
import { capacityOptionsFromFlags, sweepOptionsFromFlags } from '../../src/cli/options.js';
import { serveOptionsFromFlags } from '../../src/cli/serve-flags.js';
import type { CapacityFlags, RunFlags, ServeFlags } from '../../src/cli/flags.js';
import { flagFields } from '../../src/scenario/fields.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';

const defaults: ServeFlags = {
  transport: 'all',
  host: '127.0.0.1',
  port: '0',
  ring: '10000',
  maxMessage: '65536',
  heartbeat: '15s',
  sseRetry: '1s',
  longPollTimeout: '25s',
};

describe('serve flags', () => {
  it('turns the defaults into server options', () => {
    expect(serveOptionsFromFlags(defaults)).toEqual({
      transports: [...TRANSPORT_NAMES],
      host: '127.0.0.1',
      port: 0,
      ringSize: 10_000,
      brokerBytes: 1024 * 1024 * 1024,
      maxMessageBytes: 65_536,
      allowOrigins: [],
      allowHosts: [],
      heartbeatMs: 15_000,
      reconnectDelayMs: 1_000,
      longPollTimeoutMs: 25_000,
      calibrateDelayMs: 0,
      calibrateCpuMicros: 0,
    });
  });

  it('reads the calibration flags: whole ms of delay, µs of CPU per copy', () => {
    expect(serveOptionsFromFlags({ ...defaults, calibrateDelay: '40ms', calibrateCpu: '2.5us' })).toMatchObject({
      calibrateDelayMs: 40,
      calibrateCpuMicros: 2.5,
    });
  });

  it('passes the journal on, and whether to sync it', () => {
    expect(serveOptionsFromFlags({ ...defaults, journal: 'j.jsonl' })).toMatchObject({
      journalPath: 'j.jsonl',
      journalFsync: false,
    });
    expect(serveOptionsFromFlags({ ...defaults, journal: 'j.jsonl', journalFsync: true }).journalFsync).toBe(true);
  });

  it('accepts a list of techniques and keeps the registry order', () => {
    expect(serveOptionsFromFlags({ ...defaults, transport: 'websocket,sse' }).transports).toEqual(['sse', 'websocket']);
  });

  it.each([
    [
      { transport: 'smoke-signals' },
      `--transport: expected all, or a comma-separated list of ${TRANSPORT_NAMES.join(', ')}, got "smoke-signals"`,
    ],
    [{ port: '70000' }, '--port: expected an integer from 0 to 65535, got "70000"'],
    [{ port: '-1' }, '--port: expected an integer from 0 to 65535, got "-1"'],
    [{ ring: '0' }, '--ring: expected an integer from 1 to 10000000, got "0"'],
    [{ maxMessage: '64k' }, '--max-message: expected an integer from 64 to 268435456, got "64k"'],
    [
      { transport: 'SSE,websockets' },
      `--transport: expected all, or a comma-separated list of ${TRANSPORT_NAMES.join(', ')}, got "SSE,websockets"; did you mean sse?`,
    ],
    [{ heartbeat: 'often' }, '--heartbeat: expected a duration from 10ms to 1h, such as 5s or 1500ms, got "often"'],
    [
      { heartbeat: '15' },
      '--heartbeat: expected a duration from 10ms to 1h, such as 5s or 1500ms (15 has no unit: write 15ms, 15s or 15m), got "15"',
    ],
    [
      { longPollTimeout: '200s' },
      '--long-poll-timeout: expected a duration from 0 to 2m, such as 5s or 1500ms, got "200s"',
    ],
    [{ journalFsync: true }, '--journal-fsync: expected a --journal to sync, got true'],
  ])('refuses %j naming the flag and the value', (override, message) => {
    expect(() => serveOptionsFromFlags({ ...defaults, ...override })).toThrow(
      expect.objectContaining({ code: 'IMB_ERR_INVALID_OPTION', message }),
    );
  });
});

describe('serve --allow-host', () => {
  it('takes names repeated and comma-separated, compared without case or trailing dot', () => {
    const options = serveOptionsFromFlags({ ...defaults, allowHost: ['Bench.LAN, .example.test', 'other.lan.'] });
    expect(options.allowHosts).toEqual(['bench.lan', '.example.test', 'other.lan']);
  });

  it.each(['http://bench.lan', 'bench.lan:8080', 'bench lan', '', '*', '..example.test', '127.0.0.1/8'])(
    'refuses %j naming the flag and what a name looks like',
    (name) => {
      expect(() => serveOptionsFromFlags({ ...defaults, allowHost: [`ok.lan,${name}`] })).toThrow(
        expect.objectContaining({
          code: 'IMB_ERR_INVALID_OPTION',
          message: `--allow-host: expected a host name such as bench.lan, or .example.com for it and every subdomain, got ${JSON.stringify(name)}`,
        }),
      );
    },
  );
});

describe('capacity flags', () => {
  const capacityDefaults: CapacityFlags = {
    transport: 'all',
    connections: '100',
    duration: '5s',
    warmup: '1s',
    pin: 'auto',
  };

  it('turns the defaults into options', () => {
    expect(capacityOptionsFromFlags(capacityDefaults)).toEqual({
      transports: ['short-polling', 'long-polling'],
      connections: 100,
      durationMs: 5_000,
      warmupMs: 1_000,
      pin: 'auto',
      json: false,
      out: undefined,
      quiet: false,
    });
    expect(
      capacityOptionsFromFlags({ ...capacityDefaults, transport: 'long-polling', warmup: '0', duration: '1.5s' }),
    ).toMatchObject({
      transports: ['long-polling'],
      warmupMs: 0,
      durationMs: 1_500,
    });
  });

  it.each([
    [
      { transport: 'websocket' },
      '--transport: expected all, short-polling or long-polling (capacity measures the polling endpoints), got "websocket"',
    ],
    [
      { transport: 'short-polling,sse' },
      '--transport: expected all, short-polling or long-polling (capacity measures the polling endpoints), got "short-polling,sse"',
    ],
    [{ connections: '0' }, '--connections: expected an integer from 1 to 1000000, got "0"'],
    [{ duration: '500ms' }, '--duration: expected a duration from 1s to 1h, such as 5s or 1500ms, got "500ms"'],
    [{ duration: 'soon' }, '--duration: expected a duration from 1s to 1h, such as 5s or 1500ms, got "soon"'],
    [
      { duration: '5' },
      '--duration: expected a duration from 1s to 1h, such as 5s or 1500ms (5 has no unit: write 5ms, 5s or 5m), got "5"',
    ],
    [
      { duration: '1.5' },
      '--duration: expected a duration from 1s to 1h, such as 5s or 1500ms (1.5 has no unit: write 1.5ms, 1.5s or 1.5m), got "1.5"',
    ],
    // 0 needs no unit: refused here for the range alone, with nothing to add.
    [{ duration: '0' }, '--duration: expected a duration from 1s to 1h, such as 5s or 1500ms, got "0"'],
    [
      { warmup: '2' },
      '--warmup: expected a duration from 0 to 1h, such as 5s or 1500ms (2 has no unit: write 2ms, 2s or 2m), got "2"',
    ],
    [{ warmup: '-1s' }, '--warmup: expected a duration from 0 to 1h, such as 5s or 1500ms, got "-1s"'],
    [
      { out: '/nonexistent/folder/capacity.json' },
      '--out: expected a regular file that can be written, in a folder on a disk (/nonexistent/folder: no such folder), got "/nonexistent/folder/capacity.json"',
    ],
  ])('refuses %j naming the flag and the value', (override, message) => {
    expect(() => capacityOptionsFromFlags({ ...capacityDefaults, ...override })).toThrow(
      expect.objectContaining({ code: 'IMB_ERR_INVALID_OPTION', message }),
    );
  });
});

describe('sweep flags: durations', () => {
  // A sweep needs a list for --clients or --rate before it reads the other flags.
  const sweepDefaults: RunFlags = {
    repeat: '1',
    pin: 'auto',
    publishWait: 'precise',
    workers: 'auto',
    localAddress: 'auto',
    clients: '1,2',
  };
  /** commander's property for a kebab-case flag: `poll-interval` → `pollInterval`. */
  const property = (name: string): string =>
    name.replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
  const durationFlags = flagFields(TRANSPORT_NAMES)
    .filter((field) => field.arg === 'duration')
    .map((field) => field.name);

  it('finds the scenario fields that take a duration', () => {
    expect(durationFlags).toEqual(expect.arrayContaining(['ramp-up', 'warmup', 'duration', 'drain', 'poll-interval']));
  });

  it('refuses a bare --duration 5, naming the range and the unit to add', async () => {
    await expect(sweepOptionsFromFlags({ ...sweepDefaults, duration: '5' })).rejects.toMatchObject({
      code: 'IMB_ERR_INVALID_OPTION',
      message:
        '--duration: expected a duration from 100ms to 24h, such as 500ms, 10s or 2m (5 has no unit: write 5ms, 5s or 5m), got "5"',
    });
  });

  it.each(durationFlags)('refuses a bare --%s 5, saying which unit to add', async (name) => {
    await expect(sweepOptionsFromFlags({ ...sweepDefaults, [property(name)]: '5' })).rejects.toMatchObject({
      code: 'IMB_ERR_INVALID_OPTION',
      message: expect.stringMatching(
        new RegExp(`^--${name}: expected a duration from .+ \\(5 has no unit: write 5ms, 5s or 5m\\), got "5"$`),
      ),
    });
  });

  it('refuses a bare --calibrate-delay 40, saying which unit to add', async () => {
    await expect(sweepOptionsFromFlags({ ...sweepDefaults, calibrateDelay: '40' })).rejects.toMatchObject({
      code: 'IMB_ERR_INVALID_OPTION',
      message:
        '--calibrate-delay: expected a duration from 0 to 1m, such as 20ms (40 has no unit: write 40ms, 40s or 40m), got "40"',
    });
  });

  it('takes 0 without a unit', async () => {
    const options = await sweepOptionsFromFlags({ ...sweepDefaults, warmup: '0', drain: '0' });
    expect(options.scenario).toMatchObject({ warmupMs: 0, drainMs: 0 });
  });
});
