import { describe, expect, it } from 'vitest';
import { formatDuration, missingUnit, parseDuration } from '../../src/scenario/duration.js';
import { flagFields, scenarioField, scenarioFields } from '../../src/scenario/fields.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';
import { ALL_TRANSPORTS, ALLOWED_FIELDS, DEFAULT_SCENARIO, TRANSPORTS_EXPECTED } from '../helpers/scenario.js';

const SCENARIO_FIELDS = scenarioFields(TRANSPORT_NAMES);
const FLAG_FIELDS = flagFields(TRANSPORT_NAMES);

describe('durations', () => {
  it.each([
    [0, 0],
    ['0', 0],
    ['0s', 0],
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
    250,
    '500',
    '1.5',
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

  it('says which unit a bare number lacks, and nothing of 0 or of what is no number', () => {
    expect(missingUnit('5')).toBe('5 has no unit: write 5ms, 5s or 5m');
    expect(missingUnit(500)).toBe('500 has no unit: write 500ms, 500s or 500m');
    expect(missingUnit(' 2.5 ', 'us, ms or s')).toBe('2.5 has no unit: write 2.5us, 2.5ms or 2.5s');
    expect([0, '0', '0.0', '5s', 'fast', -5, '', null].map((value) => missingUnit(value))).toEqual(
      Array(8).fill(undefined),
    );
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
