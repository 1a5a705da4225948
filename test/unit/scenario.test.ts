import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_SCENARIO_NAME, defaultScenario } from '../../src/scenario/defaults.js';
import { formatDuration, parseDuration } from '../../src/scenario/duration.js';
import { flagFields, scenarioField, scenarioFields } from '../../src/scenario/fields.js';
import { listScenarios, loadScenario } from '../../src/scenario/loader.js';
import type { Scenario } from '../../src/document/scenario.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';

const DEFAULT_SCENARIO = defaultScenario(TRANSPORT_NAMES);
const SCENARIO_FIELDS = scenarioFields(TRANSPORT_NAMES);
const FLAG_FIELDS = flagFields(TRANSPORT_NAMES);

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/scenarios/${name}`, import.meta.url));

const ALL_TRANSPORTS = [...TRANSPORT_NAMES];
const TRANSPORTS_EXPECTED = `all, or a comma-separated list of ${TRANSPORT_NAMES.join(', ')}`;
const ALLOWED_FIELDS =
  'name, description, transport, clients, ramp-up, warmup, duration, drain, rate, pattern, burst-size, payload, ' +
  'publisher, channels, poll-interval, long-poll-timeout, sse-retry, sse-client, heartbeat, fault, fault-at, fault-share, journal';

describe('durations', () => {
  it.each([
    [0, 0],
    [250, 250],
    ['500', 500],
    ['250ms', 250],
    ['10s', 10_000],
    ['1.5s', 1_500],
    ['1.1s', 1_100],
    ['.5s', 500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    [' 3s ', 3_000],
  ])('reads %j as %d ms', (value, ms) => {
    expect(parseDuration(value)).toBe(ms);
  });

  it.each([
    -1,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '',
    's',
    '-5s',
    '10 s',
    '10sec',
    '1e3',
    '1,5s',
    '10S',
    null,
    true,
    [10],
    {},
  ])('refuses %j', (value) => {
    expect(parseDuration(value)).toBeUndefined();
  });

  it.each([
    [0, '0ms'],
    [250, '250ms'],
    [1_000, '1s'],
    [1_500, '1.5s'],
    [90_000, '90s'],
    [120_000, '2m'],
    [3_600_000, '1h'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('reads back what it formats', () => {
    for (const ms of [0, 1, 999, 1_001, 12_345, 59_999, 60_000, 61_000, 3_599_999, 7_200_000]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });
});

describe('field table', () => {
  it('covers every scenario property exactly once, with kebab-case names', () => {
    expect(SCENARIO_FIELDS.map((f) => f.property).sort()).toEqual(Object.keys(DEFAULT_SCENARIO).sort());
    expect(SCENARIO_FIELDS.map((f) => f.name).join(', ')).toBe(ALLOWED_FIELDS);
    for (const f of SCENARIO_FIELDS) expect(f.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it('leaves name and description to files', () => {
    expect(FLAG_FIELDS.map((f) => f.name)).not.toContain('name');
    expect(FLAG_FIELDS.map((f) => f.name)).not.toContain('description');
    expect(FLAG_FIELDS).toHaveLength(SCENARIO_FIELDS.length - 2);
  });

  it('formats every default so that its own parser reads it back', () => {
    for (const f of SCENARIO_FIELDS) {
      const value = DEFAULT_SCENARIO[f.property];
      if (f.property === 'name' || f.property === 'description') continue;
      expect(f.parse(f.format(value)), f.name).toEqual({ ok: true, value });
    }
  });

  it.each([
    ['clients', '1', 1],
    ['clients', 1_000_000, 1_000_000],
    ['ramp-up', 0, 0],
    ['duration', '100ms', 100],
    ['rate', '0.5', 0.5],
    ['rate', 1_000_000, 1_000_000],
    ['burst-size', '1', 1],
    ['payload', 0, 0],
    ['payload', '60000', 60_000],
    ['channels', 1_024, 1_024],
    ['poll-interval', '10ms', 10],
    ['long-poll-timeout', '2m', 120_000],
    ['sse-retry', '1h', 3_600_000],
    ['transport', 'all', ALL_TRANSPORTS],
    ['transport', 'websocket, sse,sse', ['sse', 'websocket']],
    ['transport', ['websocket', 'short-polling'], ['short-polling', 'websocket']],
    ['pattern', 'burst', 'burst'],
    ['publisher', 'clients', 'clients'],
    ['sse-client', 'eventsource', 'eventsource'],
  ])('%s accepts %j', (name, raw, value) => {
    expect(scenarioField(name, TRANSPORT_NAMES)?.parse(raw)).toEqual({ ok: true, value });
  });

  it.each([
    ['clients', 0, 'an integer from 1 to 1000000'],
    ['clients', '1000001', 'an integer from 1 to 1000000'],
    ['clients', 2.5, 'an integer from 1 to 1000000'],
    ['clients', '10k', 'an integer from 1 to 1000000'],
    ['ramp-up', '-1s', 'a duration from 0 to 24h, such as 500ms, 10s or 2m'],
    ['duration', '99ms', 'a duration from 100ms to 24h, such as 500ms, 10s or 2m'],
    ['drain', '25h', 'a duration from 0 to 24h, such as 500ms, 10s or 2m'],
    ['rate', 0, 'a number above 0 and at most 1000000'],
    ['rate', '1000001', 'a number above 0 and at most 1000000'],
    ['rate', 'fast', 'a number above 0 and at most 1000000'],
    ['burst-size', 0, 'an integer of 1 or more'],
    ['payload', 60_001, 'an integer from 0 to 60000'],
    ['channels', 1_025, 'an integer from 1 to 1024'],
    ['poll-interval', '9ms', 'a duration from 10ms to 24h, such as 500ms, 10s or 2m'],
    ['long-poll-timeout', '121s', 'a duration from 100ms to 2m, such as 500ms, 10s or 2m'],
    ['long-poll-timeout', '0', 'a duration from 100ms to 2m, such as 500ms, 10s or 2m'],
    ['sse-retry', '61m', 'a duration from 0 to 1h, such as 500ms, 10s or 2m'],
    ['transport', '', TRANSPORTS_EXPECTED],
    ['transport', [], TRANSPORTS_EXPECTED],
    ['transport', 'sse,,websocket', TRANSPORTS_EXPECTED],
    ['transport', 'sse,carrier-pigeon', TRANSPORTS_EXPECTED],
    ['transport', ['all'], TRANSPORTS_EXPECTED],
    ['pattern', 'Constant', 'one of constant, poisson, burst'],
    ['publisher', 'everyone', 'one of server, clients'],
    ['sse-client', null, 'one of parser, eventsource'],
    ['name', '', 'a non-empty single line of text, at most 200 characters'],
    ['description', 'two\nlines', 'a single line of text, at most 200 characters'],
  ])('%s refuses %j, expecting %s', (name, raw, expected) => {
    expect(scenarioField(name, TRANSPORT_NAMES)?.parse(raw)).toEqual({ ok: false, expected });
  });
});

describe('built-in scenarios', () => {
  it('lists the built-ins by name, each with a one-line description', async () => {
    const listed = await listScenarios(TRANSPORT_NAMES);
    expect(listed.map((s) => s.name)).toEqual([
      'chat',
      'connect-storm',
      'drop',
      'notify',
      'restart',
      'slow-consumers',
      'ticker',
    ]);
    for (const s of listed) {
      expect(s.description).toMatch(/^[^\n]{10,}$/);
      expect(s.file.endsWith(`scenarios/${s.name}.yaml`)).toBe(true);
    }
  });

  it('loads and validates every built-in, whose name matches its file', async () => {
    for (const { name, description } of await listScenarios(TRANSPORT_NAMES)) {
      const scenario = await loadScenario(name, {}, TRANSPORT_NAMES);
      expect(scenario.name).toBe(name);
      expect(scenario.description).toBe(description);
    }
  });

  it('writes down only the fields that differ from the defaults', async () => {
    for (const { name, file } of await listScenarios(TRANSPORT_NAMES)) {
      const raw = parseYaml(await readFile(file, 'utf8')) as Record<string, unknown>;
      for (const [key, value] of Object.entries(raw)) {
        if (key === 'name' || key === 'description') continue;
        const f = scenarioField(key, TRANSPORT_NAMES);
        const parsed = f?.parse(value);
        expect(parsed?.ok, `${name}: ${key}`).toBe(true);
        if (f !== undefined && parsed?.ok === true)
          expect(parsed.value, `${name}: ${key}`).not.toEqual(DEFAULT_SCENARIO[f.property]);
      }
    }
  });

  it('runs notify when no scenario is named, and notify is the defaults', async () => {
    expect(DEFAULT_SCENARIO_NAME).toBe('notify');
    const scenario = await loadScenario(undefined, {}, TRANSPORT_NAMES);
    expect(scenario).toEqual({ ...DEFAULT_SCENARIO, name: 'notify', description: scenario.description });
    expect(scenario.description).not.toBe('');
  });

  it('keeps the default run of every technique to about a minute of phases', async () => {
    const s = await loadScenario(undefined, {}, TRANSPORT_NAMES);
    const perTechnique = s.rampUpMs + s.warmupMs + s.durationMs + s.drainMs;
    expect(s.transports).toEqual([...TRANSPORT_NAMES]);
    expect(perTechnique).toBeLessThanOrEqual(11_000);
    expect(perTechnique * s.transports.length).toBeLessThanOrEqual(60_000);
  });

  it.each<[string, Partial<Scenario>]>([
    ['ticker', { clients: 50, rate: 200, payloadBytes: 64, pollIntervalMs: 250, publisher: 'server' }],
    ['chat', { publisher: 'clients', clients: 50, rate: 20, payloadBytes: 80, channels: 5 }],
    ['connect-storm', { clients: 1_000, rampUpMs: 0, rate: 1, durationMs: 5_000 }],
  ])('%s has its own shape', async (name, fields) => {
    expect(await loadScenario(name, {}, TRANSPORT_NAMES)).toMatchObject(fields);
  });

  it('refuses an unknown built-in name, listing the built-ins', async () => {
    await expect(loadScenario('notfy', {}, TRANSPORT_NAMES)).rejects.toMatchObject({
      code: 'IMB_ERR_INVALID_SCENARIO',
      message:
        'unknown scenario "notfy": expected a built-in name (chat, connect-storm, drop, notify, restart, slow-consumers, ticker) ' +
        'or a path to a .json, .yaml or .yml file',
    });
  });
});

describe('scenario files', () => {
  it('reads a YAML file over the defaults, named after itself when it has no name', async () => {
    expect(await loadScenario(fixture('custom.yaml'), {}, TRANSPORT_NAMES)).toEqual({
      ...DEFAULT_SCENARIO,
      name: 'custom',
      description: 'A small custom run',
      transports: ['sse', 'websocket'],
      clients: 10,
      durationMs: 2_000,
      rate: 0.5,
      pattern: 'poisson',
    });
  });

  it('reads a JSON file over the defaults', async () => {
    expect(await loadScenario(fixture('custom.json'), {}, TRANSPORT_NAMES)).toEqual({
      ...DEFAULT_SCENARIO,
      name: 'json-example',
      transports: ['short-polling', 'websocket'],
      clients: 7,
      rampUpMs: 250,
      pollIntervalMs: 50,
      payloadBytes: 64,
    });
  });

  it.each([
    ['bad-field.yaml', 'clients: expected an integer from 1 to 1000000, got 0'],
    ['bad-field.json', 'duration: expected a duration from 100ms to 24h, such as 500ms, 10s or 2m, got "5 minutes"'],
    ['unknown-field.yaml', `unknown field "pollInterval"; allowed fields: ${ALLOWED_FIELDS}`],
    ['not-a-mapping.yaml', 'expected a mapping of scenario fields (such as "clients: 100"), got [{"clients":10}]'],
    ['syntax-error.json', 'invalid JSON at line 4, column 1: Expected double-quoted property name'],
  ])('%s: names the file, the field and what was expected', async (name, detail) => {
    const path = fixture(name);
    await expect(loadScenario(path, {}, TRANSPORT_NAMES)).rejects.toMatchObject({
      code: 'IMB_ERR_INVALID_SCENARIO',
      message: `${path}: ${detail}`,
    });
  });

  it('reports a YAML syntax error with its line and column', async () => {
    const path = fixture('syntax-error.yaml');
    const error = await loadScenario(path, {}, TRANSPORT_NAMES).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'IMB_ERR_INVALID_SCENARIO' });
    expect((error as Error).message).toMatch(
      new RegExp(`^${path.replace(/[.]/g, '\\.')}: invalid YAML: .* at line 3, column 1:`),
    );
  });

  it('refuses a missing file, listing the built-ins', async () => {
    await expect(loadScenario('no/such/file.yaml', {}, TRANSPORT_NAMES)).rejects.toMatchObject({
      code: 'IMB_ERR_INVALID_SCENARIO',
      message:
        'no/such/file.yaml: no such file (built-in scenarios: chat, connect-storm, drop, notify, restart, slow-consumers, ticker)',
    });
  });

  it('refuses a path that is neither JSON nor YAML', async () => {
    await expect(loadScenario('./scenario.txt', {}, TRANSPORT_NAMES)).rejects.toMatchObject({
      code: 'IMB_ERR_INVALID_SCENARIO',
      message:
        './scenario.txt: expected a path to a .json, .yaml or .yml file, or a built-in name (chat, connect-storm, drop, notify, restart, slow-consumers, ticker)',
    });
  });
});

describe('flag overrides', () => {
  it('win over the file and leave the other fields alone', async () => {
    const scenario = await loadScenario(
      'ticker',
      {
        clients: '7',
        'poll-interval': '1.5s',
        transport: 'websocket,sse',
        payload: undefined,
      },
      TRANSPORT_NAMES,
    );
    expect(scenario).toMatchObject({
      name: 'ticker',
      clients: 7,
      pollIntervalMs: 1_500,
      transports: ['sse', 'websocket'],
      rate: 200,
      payloadBytes: 64,
    });
  });

  it('win over a file field given in another form', async () => {
    const scenario = await loadScenario(
      fixture('custom.yaml'),
      { transport: 'all', duration: '100ms' },
      TRANSPORT_NAMES,
    );
    expect(scenario.transports).toEqual(ALL_TRANSPORTS);
    expect(scenario.durationMs).toBe(100);
  });

  it.each([
    [{ clients: '0' }, '--clients: expected an integer from 1 to 1000000, got "0"'],
    [{ duration: '50ms' }, '--duration: expected a duration from 100ms to 24h, such as 500ms, 10s or 2m, got "50ms"'],
    [{ pattern: 'bursty' }, '--pattern: expected one of constant, poisson, burst, got "bursty"'],
    [{ transport: '' }, `--transport: expected ${TRANSPORTS_EXPECTED}, got ""`],
  ])('refuse %j naming the flag and the value', async (flags, message) => {
    await expect(loadScenario('notify', flags, TRANSPORT_NAMES)).rejects.toMatchObject({
      code: 'IMB_ERR_INVALID_OPTION',
      message,
    });
  });

  it('are checked after the file, so a bad file is reported first', async () => {
    await expect(loadScenario(fixture('bad-field.yaml'), { clients: 'many' }, TRANSPORT_NAMES)).rejects.toMatchObject({
      code: 'IMB_ERR_INVALID_SCENARIO',
    });
  });

  it('cannot set the fields only files have', async () => {
    await expect(loadScenario('notify', { name: 'x' }, TRANSPORT_NAMES)).rejects.toThrow(TypeError);
  });
});

describe('fields that bind each other', () => {
  it('refuses more channels than clients when the clients publish', async () => {
    await expect(loadScenario('chat', { clients: '2', channels: '3' }, TRANSPORT_NAMES)).rejects.toMatchObject({
      code: 'IMB_ERR_INVALID_SCENARIO',
      message: expect.stringMatching(/channels: expected at most clients \(2\) when clients publish.*got 3$/),
    });
    await expect(loadScenario('notify', { clients: '2', channels: '3' }, TRANSPORT_NAMES)).resolves.toMatchObject({
      channels: 3,
    });
  });
});
