import { MAX_CHANNELS, MAX_LONG_POLL_TIMEOUT_MS } from '../core/constants.js';
import { FAULTS, PUBLISH_PATTERNS, PUBLISHERS, SSE_CLIENTS, type Scenario } from '../document/scenario.js';
import { formatDuration } from './duration.js';
import { duration, integer, oneLine, oneOf, positiveNumber, type ScenarioField, share, yesNo } from './field-values.js';

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

/** A field, its name and whether it is a flag kept as literals, so that the names make a type. */
function field<K extends keyof Scenario, const N extends string, const F extends boolean>(
  definition: ScenarioField<K> & { readonly name: N; readonly flag: F },
): ScenarioField<K> & { readonly name: N; readonly flag: F } {
  return definition;
}

const TABLE = [
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
    meaning: 'SSE client: parser (a plain socket + eventsource-parser) or eventsource (the eventsource package)',
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
] as const;

/** Every field but `transport`, which needs the techniques' names: in the order `--help` and listings show them. */
export const FIELDS_BUT_TRANSPORT: readonly ScenarioField[] = TABLE;

/**
 * The fields a flag can set, by name (`poll-interval`): the keys of a scenario's overrides, so
 * that a misspelled one does not compile.
 */
export type FlagFieldName = Extract<(typeof TABLE)[number], { readonly flag: true }>['name'] | 'transport';
