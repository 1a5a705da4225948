import { MAX_CHANNELS, MAX_LONG_POLL_TIMEOUT_MS } from '../core/constants.js';
import { TRANSPORT_NAMES, type TransportName } from '../transports/transport.js';
import { formatDuration, parseDuration } from './duration.js';
import { FAULTS, PUBLISH_PATTERNS, PUBLISHERS, SSE_CLIENTS, type Scenario } from './types.js';

/** A raw value turned into a field's type, or a phrase saying what would have done. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; expected: string };

export interface ScenarioField<K extends keyof Scenario = keyof Scenario> {
  /** Kebab case: the key in scenario files and, after `--`, the flag. */
  readonly name: string;
  readonly property: K;
  /** One line, for `--help` and for listings. */
  readonly meaning: string;
  /** False for the fields only files set (`name`, `description`). */
  readonly flag: boolean;
  /** What the value is called in `--help`: `--ramp-up <duration>`. */
  readonly arg: string;
  /** From a flag's string, or from a JSON/YAML value (string, number, array, anything). */
  parse(raw: unknown): Parsed<Scenario[K]>;
  /** The value as a file or a flag would spell it: `1.5s`, `sse,websocket`. */
  format(value: Scenario[K]): string;
}

export const MAX_CLIENTS = 1_000_000;
export const MAX_RATE = 1_000_000;
export const MAX_PAYLOAD_BYTES = 60_000;
/** Node clamps longer timers to 1 ms; a day is more than any benchmark phase needs. */
export const MAX_DURATION_MS = 24 * 3_600_000;
export const MIN_MEASURE_MS = 100;
export const MIN_POLL_INTERVAL_MS = 10;
export const MAX_SSE_RETRY_MS = 3_600_000;
export const MIN_HEARTBEAT_MS = 100;
/** A long poll the server may answer at once is a short poll without a pause: a busy loop. */
export const MIN_LONG_POLL_TIMEOUT_MS = 100;
const MAX_TEXT_LENGTH = 200;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (expected: string): { ok: false; expected: string } => ({ ok: false, expected });

const INTEGER = /^\d+$/;
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** Numbers pass as they are; strings (flags, quoted file values) only when they are plain digits. */
function toNumber(raw: unknown, pattern: RegExp): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string' && pattern.test(raw.trim())) return Number(raw.trim());
  return Number.NaN;
}

function integer(min: number, max = Number.POSITIVE_INFINITY): (raw: unknown) => Parsed<number> {
  const expected =
    max === Number.POSITIVE_INFINITY ? `an integer of ${min} or more` : `an integer from ${min} to ${max}`;
  return (raw) => {
    const n = toNumber(raw, INTEGER);
    return Number.isInteger(n) && n >= min && n <= max ? ok(n) : fail(expected);
  };
}

function positiveNumber(max: number): (raw: unknown) => Parsed<number> {
  return (raw) => {
    const n = toNumber(raw, DECIMAL);
    return n > 0 && n <= max ? ok(n) : fail(`a number above 0 and at most ${max}`);
  };
}

function duration(min: number, max: number): (raw: unknown) => Parsed<number> {
  const expected = `a duration from ${min === 0 ? '0' : formatDuration(min)} to ${formatDuration(max)}, such as 500ms, 10s or 2m`;
  return (raw) => {
    const ms = parseDuration(raw);
    return ms !== undefined && ms >= min && ms <= max ? ok(ms) : fail(expected);
  };
}

function oneOf<T extends string>(values: readonly T[]): (raw: unknown) => Parsed<T> {
  const expected = `one of ${values.join(', ')}`;
  return (raw) => {
    const value = typeof raw === 'string' ? raw.trim() : raw;
    return values.includes(value as T) ? ok(value as T) : fail(expected);
  };
}

function share(raw: unknown): Parsed<number> {
  const n = toNumber(raw, DECIMAL);
  return n > 0 && n <= 1 ? ok(n) : fail('a share above 0 and at most 1, such as 0.3');
}

function yesNo(raw: unknown): Parsed<boolean> {
  if (raw === true || raw === 'true' || raw === 'yes') return ok(true);
  if (raw === false || raw === 'false' || raw === 'no') return ok(false);
  return fail('true or false');
}

function oneLine(nonEmpty: boolean): (raw: unknown) => Parsed<string> {
  const expected = `${nonEmpty ? 'a non-empty' : 'a'} single line of text, at most ${MAX_TEXT_LENGTH} characters`;
  return (raw) => {
    const text = typeof raw === 'string' ? raw.trim() : undefined;
    const fits =
      text !== undefined && !/[\r\n]/.test(text) && text.length <= MAX_TEXT_LENGTH && (!nonEmpty || text !== '');
    return fits ? ok(text) : fail(expected);
  };
}

const TRANSPORTS_EXPECTED = `all, or a comma-separated list of ${TRANSPORT_NAMES.join(', ')}`;

/** `all`, `sse,websocket`, or (in files) `[sse, websocket]`; the result keeps the registry's order. */
function parseTransports(raw: unknown): Parsed<TransportName[]> {
  if (typeof raw === 'string' && raw.trim() === 'all') return ok([...TRANSPORT_NAMES]);
  const names: unknown[] | undefined =
    typeof raw === 'string' ? raw.split(',').map((name) => name.trim()) : Array.isArray(raw) ? raw : undefined;
  const known = (name: unknown): boolean => (TRANSPORT_NAMES as readonly unknown[]).includes(name);
  if (names === undefined || names.length === 0 || !names.every(known)) return fail(TRANSPORTS_EXPECTED);
  return ok(TRANSPORT_NAMES.filter((name) => names.includes(name)));
}

function formatTransports(names: TransportName[]): string {
  return names.length === TRANSPORT_NAMES.length ? 'all' : names.join(',');
}

function field<K extends keyof Scenario>(definition: ScenarioField<K>): ScenarioField<K> {
  return definition;
}

/** Every scenario field, in the order `--help` and listings show them. */
export const SCENARIO_FIELDS: readonly ScenarioField[] = [
  field({
    name: 'name',
    property: 'name',
    meaning: 'short name shown in reports (a file without one is named after itself)',
    flag: false,
    arg: 'text',
    parse: oneLine(true),
    format: String,
  }),
  field({
    name: 'description',
    property: 'description',
    meaning: 'one line on what the scenario shows',
    flag: false,
    arg: 'text',
    parse: oneLine(false),
    format: String,
  }),
  field({
    name: 'transport',
    property: 'transports',
    meaning: `techniques to run: all, or a comma-separated list of ${TRANSPORT_NAMES.join(', ')}`,
    flag: true,
    arg: 'names',
    parse: parseTransports,
    format: formatTransports,
  }),
  field({
    name: 'clients',
    property: 'clients',
    meaning: 'simulated subscribers, one connection each',
    flag: true,
    arg: 'n',
    parse: integer(1, MAX_CLIENTS),
    format: String,
  }),
  field({
    name: 'ramp-up',
    property: 'rampUpMs',
    meaning: 'clients connect spread evenly over this time; 0 = all at once',
    flag: true,
    arg: 'duration',
    parse: duration(0, MAX_DURATION_MS),
    format: formatDuration,
  }),
  field({
    name: 'warmup',
    property: 'warmupMs',
    meaning: 'publishing before the measurement window opens; not counted',
    flag: true,
    arg: 'duration',
    parse: duration(0, MAX_DURATION_MS),
    format: formatDuration,
  }),
  field({
    name: 'duration',
    property: 'durationMs',
    meaning: 'length of the measurement window',
    flag: true,
    arg: 'duration',
    parse: duration(MIN_MEASURE_MS, MAX_DURATION_MS),
    format: formatDuration,
  }),
  field({
    name: 'drain',
    property: 'drainMs',
    meaning: 'wait after the last publish for copies in flight before counting loss',
    flag: true,
    arg: 'duration',
    parse: duration(0, MAX_DURATION_MS),
    format: formatDuration,
  }),
  field({
    name: 'rate',
    property: 'rate',
    meaning: 'messages published per second, all channels together',
    flag: true,
    arg: 'per-second',
    parse: positiveNumber(MAX_RATE),
    format: String,
  }),
  field({
    name: 'pattern',
    property: 'pattern',
    meaning: `publish schedule: ${PUBLISH_PATTERNS.join(', ')}`,
    flag: true,
    arg: 'name',
    parse: oneOf(PUBLISH_PATTERNS),
    format: String,
  }),
  field({
    name: 'burst-size',
    property: 'burstSize',
    meaning: 'messages per burst when the pattern is burst',
    flag: true,
    arg: 'n',
    parse: integer(1),
    format: String,
  }),
  field({
    name: 'payload',
    property: 'payloadBytes',
    meaning: 'payload size of each message, in bytes',
    flag: true,
    arg: 'bytes',
    parse: integer(0, MAX_PAYLOAD_BYTES),
    format: String,
  }),
  field({
    name: 'publisher',
    property: 'publisher',
    meaning: 'who publishes: server (fan-out) or clients (chat)',
    flag: true,
    arg: 'who',
    parse: oneOf(PUBLISHERS),
    format: String,
  }),
  field({
    name: 'channels',
    property: 'channels',
    meaning: 'channels; clients and messages are spread over them round-robin',
    flag: true,
    arg: 'n',
    parse: integer(1, MAX_CHANNELS),
    format: String,
  }),
  field({
    name: 'poll-interval',
    property: 'pollIntervalMs',
    meaning: 'short polling: time from the start of one poll to the start of the next',
    flag: true,
    arg: 'duration',
    parse: duration(MIN_POLL_INTERVAL_MS, MAX_DURATION_MS),
    format: formatDuration,
  }),
  field({
    name: 'long-poll-timeout',
    property: 'longPollTimeoutMs',
    meaning: 'long polling: how long the server holds a poll with nothing to send',
    flag: true,
    arg: 'duration',
    parse: duration(MIN_LONG_POLL_TIMEOUT_MS, MAX_LONG_POLL_TIMEOUT_MS),
    format: formatDuration,
  }),
  field({
    name: 'sse-retry',
    property: 'sseRetryMs',
    meaning: 'SSE: reconnect delay the server announces with retry:',
    flag: true,
    arg: 'duration',
    parse: duration(0, MAX_SSE_RETRY_MS),
    format: formatDuration,
  }),
  field({
    name: 'sse-client',
    property: 'sseClient',
    meaning: 'SSE client: parser (undici + eventsource-parser) or eventsource (the eventsource package)',
    flag: true,
    arg: 'kind',
    parse: oneOf(SSE_CLIENTS),
    format: String,
  }),
  field({
    name: 'heartbeat',
    property: 'heartbeatMs',
    meaning: "the server's SSE heartbeat and WebSocket ping interval; a stream that has not drained for two is shed",
    flag: true,
    arg: 'duration',
    parse: duration(MIN_HEARTBEAT_MS, MAX_SSE_RETRY_MS),
    format: formatDuration,
  }),
  field({
    name: 'fault',
    property: 'fault',
    meaning:
      'a fault in the window: none; restart (kill the server, start it again); drop (cut connections); slow (clients stop reading)',
    flag: true,
    arg: 'kind',
    parse: oneOf(FAULTS),
    format: String,
  }),
  field({
    name: 'fault-at',
    property: 'faultAtMs',
    meaning: 'when the fault strikes, from the start of the window',
    flag: true,
    arg: 'duration',
    parse: duration(0, MAX_DURATION_MS),
    format: formatDuration,
  }),
  field({
    name: 'fault-share',
    property: 'faultShare',
    meaning: 'share of the clients a drop or slow fault affects, such as 0.3',
    flag: true,
    arg: 'share',
    parse: share,
    format: String,
  }),
  field({
    name: 'journal',
    property: 'journal',
    meaning: 'restart: keep the log in a journal across the restart (true), or lose it (false)',
    flag: true,
    arg: 'true|false',
    parse: yesNo,
    format: String,
  }),
];

const BY_NAME = new Map(SCENARIO_FIELDS.map((f) => [f.name, f]));

export function scenarioField(name: string): ScenarioField | undefined {
  return BY_NAME.get(name);
}

/** The fields a command-line flag may set, in table order. */
export const FLAG_FIELDS: readonly ScenarioField[] = SCENARIO_FIELDS.filter((f) => f.flag);
