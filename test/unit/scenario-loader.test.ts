import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Scenario } from '../../src/document/scenario.js';
import { DEFAULT_SCENARIO_NAME } from '../../src/scenario/defaults.js';
import { scenarioField } from '../../src/scenario/fields.js';
import { builtInScenarioText, listScenarios, loadScenario } from '../../src/scenario/loader.js';
import { formatScenarioList } from '../../src/cli/scenario-list.js';
import { TRANSPORT_ALIASES, TRANSPORT_NAMES } from '../../src/transports/registry.js';
import { defer } from '../helpers/cleanup.js';
import { ALL_TRANSPORTS, ALLOWED_FIELDS, DEFAULT_SCENARIO, TRANSPORTS_EXPECTED } from '../helpers/scenario.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/scenarios/${name}`, import.meta.url));

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

  it('loads and validates every built-in, whose name matches its file, with the values the listing shows', async () => {
    for (const { name, description, scenario: listed } of await listScenarios(TRANSPORT_NAMES)) {
      const scenario = await loadScenario(name, {}, TRANSPORT_NAMES);
      expect(scenario.name).toBe(name);
      expect(scenario.description).toBe(description);
      expect(listed).toEqual(scenario);
    }
  });

  it('lists each built-in with its values, wrapped at 80 columns, and prints one whole', async () => {
    const listing = formatScenarioList(await listScenarios(TRANSPORT_NAMES), TRANSPORT_NAMES);
    expect(listing).toContain(
      'ticker          Dense fan-out - 50 clients, 200 messages/s, 64-byte payload, polls every 250ms\n' +
        '  clients 50 · rate 200 · pattern constant · payload 64 · duration 8s\n' +
        '  warmup 1s · poll-interval 250ms\n',
    );
    expect(listing).toContain('· fault drop\n');
    for (const line of listing.split('\n').filter((row) => row.startsWith('  ')))
      expect(line.length).toBeLessThanOrEqual(80);
    expect(await builtInScenarioText('notify')).toBe(
      await readFile(new URL('../../scenarios/notify.yaml', import.meta.url), 'utf8'),
    );
    await expect(builtInScenarioText('tickr')).rejects.toThrow(
      'unknown scenario "tickr" (did you mean ticker?): expected a built-in name (chat, connect-storm, drop, notify, restart, slow-consumers, ticker)',
    );
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

  it('refuses an unknown built-in name, suggesting the nearest and listing the built-ins', async () => {
    const list =
      '(chat, connect-storm, drop, notify, restart, slow-consumers, ticker) or a path to a .json, .yaml or .yml file';
    await expect(loadScenario('notfy', {}, TRANSPORT_NAMES)).rejects.toMatchObject({
      code: 'IMB_ERR_INVALID_SCENARIO',
      message: `unknown scenario "notfy" (did you mean notify?): expected a built-in name ${list}`,
    });
    await expect(loadScenario('Slow_Consumers', {}, TRANSPORT_NAMES)).rejects.toThrow('(did you mean slow-consumers?)');
    await expect(loadScenario('benchmark', {}, TRANSPORT_NAMES)).rejects.toThrow(
      `unknown scenario "benchmark": expected a built-in name ${list}`,
    );
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
    [
      'bare-duration.yaml',
      'duration: expected a duration from 100ms to 24h, such as 500ms, 10s or 2m (10 has no unit: write 10ms, 10s or 10m), got 10',
    ],
    ['unknown-field.yaml', 'unknown field "pollInterval"; did you mean poll-interval?'],
    ['far-field.yaml', `unknown field "colour"; allowed fields: ${ALLOWED_FIELDS}, thresholds`],
    ['not-a-mapping.yaml', 'expected a mapping of scenario fields (such as "clients: 100"), got [{"clients":10}]'],
    ['syntax-error.json', 'invalid JSON at line 4, column 1: Expected double-quoted property name'],
  ])('%s: names the file, the field and what was expected', async (name, detail) => {
    const path = fixture(name);
    await expect(loadScenario(path, {}, TRANSPORT_NAMES)).rejects.toMatchObject({
      code: 'IMB_ERR_INVALID_SCENARIO',
      message: `${path}: ${detail}`,
    });
  });

  it.each([
    ['[sse, ws]', 'got ["sse","ws"]; did you mean websocket?'],
    ['SSE', 'got "SSE"; did you mean sse?'],
    ['sse,websockets', 'got "sse,websockets"; did you mean websocket?'],
    ['[sse, 42]', 'got ["sse",42]'],
  ])('transport: %s in a file says which technique was meant, by alias or by spelling', async (value, detail) => {
    const dir = mkdtempSync(join(tmpdir(), 'im-bench-scenario-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'techniques.yaml');
    writeFileSync(path, `transport: ${value}\n`);
    const error = await loadScenario(path, {}, TRANSPORT_NAMES, TRANSPORT_ALIASES).catch((e: unknown) => e);
    const { message } = error as Error;
    expect(message).toContain(
      `${path}: transport: expected all, or a comma-separated list of ${TRANSPORT_NAMES.join(', ')}, `,
    );
    expect(message.endsWith(detail), message).toBe(true);
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

  it('cannot set the fields only files have, nor misspelled ones: neither compiles, and both throw', async () => {
    // @ts-expect-error name is a field only files set
    await expect(loadScenario('notify', { name: 'x' }, TRANSPORT_NAMES)).rejects.toThrow(TypeError);
    // @ts-expect-error clinets is no field
    await expect(loadScenario('notify', { clinets: '5' }, TRANSPORT_NAMES)).rejects.toThrow(TypeError);
  });

  it('take numbers for the numeric fields', async () => {
    expect(await loadScenario('notify', { clients: 7, rate: 2.5 }, TRANSPORT_NAMES)).toMatchObject({
      clients: 7,
      rate: 2.5,
    });
  });
});

describe('fields that bind each other', () => {
  it('refuses more channels than clients when the clients publish', async () => {
    await expect(loadScenario('chat', { clients: '2', channels: '3' }, TRANSPORT_NAMES)).rejects.toMatchObject({
      code: 'IMB_ERR_INVALID_OPTION',
      message: expect.stringMatching(
        /^--channels: expected at most clients 2 \(from --clients\): with publisher clients \(from .*chat\.yaml\) each channel needs a client to publish on it, got "3"$/,
      ),
    });
    await expect(loadScenario('notify', { clients: '2', channels: '3' }, TRANSPORT_NAMES)).resolves.toMatchObject({
      channels: 3,
    });
  });
});
