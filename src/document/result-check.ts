import { showValue } from '../core/show-value.js';
import { ImBenchError } from '../core/errors.js';
import { parseJson, readJsonFile } from './read-json.js';
import { RESULT_SCHEMA, RESULT_SCHEMA_V1, RESULT_SCHEMAS, type RunResult } from './result.js';
import { upgradeResult } from './upgrade.js';
import { SWEEP_SCHEMAS } from './sweep.js';
import type { TransportName } from './scenario.js';
import { COMPARATORS } from './threshold-check.js';
import type { FigureUnit } from './comparison.js';

/**
 * The scenario fields every result carries and `compare` matches (each technique's own setting
 * among them): a result without one cannot be judged against another.
 */
export const REQUIRED_SCENARIO_FIELDS = [
  'name',
  'clients',
  'rate',
  'pattern',
  'burstSize',
  'payloadBytes',
  'publisher',
  'channels',
  'pollIntervalMs',
  'longPollTimeoutMs',
  'sseRetryMs',
  'sseClient',
  'durationMs',
  'rampUpMs',
  'warmupMs',
  'drainMs',
] as const;

/**
 * Every figure of a technique's result that the reports and `compare` read: a loaded document
 * must hold each, a number or — for those in `NOT_MEASURED_ALLOWED`, from @2 on — null.
 */
export const REQUIRED_FIGURES: ReadonlyArray<readonly [string, string]> = [
  ['latency', 'count'],
  ['latency', 'min'],
  ['latency', 'p50'],
  ['latency', 'p90'],
  ['latency', 'p99'],
  ['latency', 'max'],
  ['delivery', 'throughputPerSecond'],
  ['delivery', 'deliveredInWindow'],
  ['delivery', 'lost'],
  ['bytes', 'perMessage'],
  ['requests', 'perMessage'],
  ['server', 'cpuMicrosPerMessage'],
  ['server', 'rssPerConnectionBytes'],
  ['clients', 'connected'],
  ['connect', 'count'],
  ['connect', 'p99'],
];

/** Figures @2 writes as null when they were not measured (no sample, nothing delivered, no one connected). */
const NOT_MEASURED_ALLOWED = new Set([
  'latency.min',
  'latency.p50',
  'latency.p90',
  'latency.p99',
  'latency.max',
  'bytes.perMessage',
  'requests.perMessage',
  'server.cpuMicrosPerMessage',
  'server.rssPerConnectionBytes',
  'connect.p99',
]);

function invalid(name: string, problem: string): ImBenchError {
  return new ImBenchError('IMB_ERR_INVALID_RESULT', `${name}: ${problem}`);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const got = showValue;

/** Reads a run result (for `compare`, `report`, `merge`); any problem is an error naming the file (exit code 2). */
export async function loadResult(path: string, techniques: readonly TransportName[]): Promise<RunResult> {
  return checkResult(await readJsonFile(path), path, techniques);
}

/** A run result from its JSON text, checked as `checkResult` does. */
export function parseResult(text: string, name: string, techniques: readonly TransportName[]): RunResult {
  return checkResult(parseJson(text, name), name, techniques);
}

/**
 * A run result, checked as far as the reports and `compare` read it: the schema, the scenario
 * fields compare matches, every technique's name against `techniques` (the registry's), and
 * every figure of every technique and repetition. Not the full JSON Schema (ajv is not a
 * runtime dependency), but nothing they touch goes unchecked.
 */
export function checkResult(document: unknown, name: string, techniques: readonly TransportName[]): RunResult {
  if (!isObject(document))
    throw invalid(
      name,
      `expected a result document (a JSON object), got ${Array.isArray(document) ? 'an array' : got(document)}`,
    );
  const schema = document['schema'];
  if (typeof schema === 'string' && SWEEP_SCHEMAS.includes(schema)) {
    throw invalid(
      name,
      `a sweep document (${schema}), not a run result (${RESULT_SCHEMA}): compare the results of two "im-bench run --json" instead`,
    );
  }
  if (typeof schema !== 'string' || !RESULT_SCHEMAS.includes(schema))
    throw invalid(name, `schema: expected ${RESULT_SCHEMAS.map((id) => `"${id}"`).join(' or ')}, got ${got(schema)}`);
  const nullable = schema !== RESULT_SCHEMA_V1;

  const environment = document['environment'];
  if (!isObject(environment)) throw invalid(name, `environment: expected an object, got ${got(environment)}`);
  const scenario = document['scenario'];
  if (!isObject(scenario)) throw invalid(name, `scenario: expected an object, got ${got(scenario)}`);
  for (const property of REQUIRED_SCENARIO_FIELDS) {
    if (!(property in scenario)) throw invalid(name, `scenario.${property}: missing`);
  }
  const transports = document['transports'];
  if (!Array.isArray(transports)) throw invalid(name, `transports: expected an array, got ${got(transports)}`);
  transports.forEach((transport: unknown, i) => {
    checkTransport(transport, `transports[${i}]`, name, techniques, nullable);
    const repetitions = (transport as Record<string, unknown>)['repetitions'];
    if (repetitions === undefined) return;
    if (!Array.isArray(repetitions))
      throw invalid(name, `transports[${i}].repetitions: expected an array, got ${got(repetitions)}`);
    repetitions.forEach((repetition: unknown, j) => {
      checkTransport(repetition, `transports[${i}].repetitions[${j}]`, name, techniques, nullable);
    });
  });
  checkThresholds(document['thresholds'], name);
  checkServers(document['servers'], name);
  checkFailed(document['failed'], name);
  return upgradeResult(document as unknown as RunResult);
}

/** The kinds of server a run measured, when it names them (@3): what the reports introduce each with. */
function checkServers(servers: unknown, name: string): void {
  if (servers === undefined) return;
  const fits = (server: unknown): boolean =>
    isObject(server) &&
    typeof server['name'] === 'string' &&
    typeof server['description'] === 'string' &&
    typeof server['source'] === 'string';
  if (!Array.isArray(servers) || !servers.every(fits))
    throw invalid(name, `servers: expected a list of {name, description, source}, got ${got(servers)}`);
}

/** Techniques that failed through a proxy (`run --via`), when there were any: what the reports explain. */
function checkFailed(failed: unknown, name: string): void {
  if (failed === undefined) return;
  const fits = (failure: unknown): boolean =>
    isObject(failure) &&
    typeof failure['transport'] === 'string' &&
    typeof failure['profile'] === 'string' &&
    typeof failure['reason'] === 'string';
  if (!Array.isArray(failed) || !failed.every(fits))
    throw invalid(name, `failed: expected a list of {transport, profile, reason}, got ${got(failed)}`);
}

// A record, so that a unit added to FigureUnit does not compile until it is listed here too.
const UNITS = Object.keys({ ms: 0, 'msg/s': 0, B: 0, req: 0, µs: 0, copies: 0 } satisfies Record<FigureUnit, 0>);

/** Judged thresholds, when the document has them (an additive @2 field): what the reports show of each. */
function checkThresholds(thresholds: unknown, name: string): void {
  if (thresholds === undefined) return;
  if (!Array.isArray(thresholds)) throw invalid(name, `thresholds: expected an array, got ${got(thresholds)}`);
  thresholds.forEach((check: unknown, i) => {
    const where = `thresholds[${i}]`;
    if (!isObject(check)) throw invalid(name, `${where}: expected an object, got ${got(check)}`);
    const expect = (key: string, fits: (value: unknown) => boolean, expected: string): void => {
      if (!fits(check[key])) throw invalid(name, `${where}.${key}: expected ${expected}, got ${got(check[key])}`);
    };
    expect('expression', (value) => typeof value === 'string', 'text');
    expect('unit', (value) => UNITS.includes(value as string), `one of ${UNITS.join(', ')}`);
    expect('comparator', (value) => (COMPARATORS as readonly unknown[]).includes(value), COMPARATORS.join(' '));
    expect('limit', Number.isFinite, 'a number');
    expect('source', (value) => value === 'flag' || value === 'scenario', 'flag or scenario');
    expect('pass', (value) => typeof value === 'boolean', 'true or false');
    const outcome = (value: unknown): boolean =>
      isObject(value) &&
      typeof value['transport'] === 'string' &&
      (value['value'] === null || Number.isFinite(value['value'])) &&
      typeof value['pass'] === 'boolean';
    expect('results', (value) => Array.isArray(value) && value.every(outcome), 'a list of {transport, value, pass}');
  });
}

const WIRE_COUNTS = [
  'messageExchanges',
  'messageHeadBytes',
  'emptyExchanges',
  'emptyHeadBytes',
  'envelopes',
  'envelopeBytes',
];
const WIRE_INPUTS = ['h200', 'h204', 'e'];

/** The model's measured inputs, when the document has them (an additive @2 field): counts, and H and E or null. */
function checkWire(bytes: unknown, where: string, name: string): void {
  const wire = isObject(bytes) ? bytes['wire'] : undefined;
  if (wire === undefined) return;
  if (!isObject(wire)) throw invalid(name, `${where}: expected an object, got ${got(wire)}`);
  for (const key of [...WIRE_COUNTS, 'otherBytes', ...WIRE_INPUTS]) {
    const value = wire[key];
    if (value === null && WIRE_INPUTS.includes(key)) continue;
    const count = WIRE_COUNTS.includes(key);
    if (typeof value !== 'number' || !Number.isFinite(value) || (count && value < 0))
      throw invalid(name, `${where}.${key}: expected ${count ? 'a count' : 'a number'}, got ${got(value)}`);
  }
}

function checkTransport(
  transport: unknown,
  where: string,
  name: string,
  techniques: readonly TransportName[],
  nullable: boolean,
): void {
  if (!isObject(transport)) throw invalid(name, `${where}: expected an object, got ${got(transport)}`);
  const technique = transport['transport'];
  if (typeof technique !== 'string' || !techniques.includes(technique)) {
    throw invalid(name, `${where}.transport: expected one of ${techniques.join(', ')}, got ${got(technique)}`);
  }
  const profile = transport['profile'];
  if (profile !== undefined && (typeof profile !== 'string' || profile === ''))
    throw invalid(name, `${where}.profile: expected the server's name (text), got ${got(profile)}`);
  if (typeof transport['partial'] !== 'boolean')
    throw invalid(name, `${where}.partial: expected true or false, got ${got(transport['partial'])}`);
  const generator = transport['generator'];
  if (!isObject(generator) || typeof generator['bound'] !== 'boolean') {
    throw invalid(
      name,
      `${where}.generator.bound: expected true or false, got ${got(isObject(generator) ? generator['bound'] : undefined)}`,
    );
  }
  const headroom = transport['headroom'];
  if (headroom !== undefined) {
    for (const key of ['ceilingPerSecond', 'requestsPerSecond', 'ratio']) {
      const value = isObject(headroom) ? headroom[key] : undefined;
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw invalid(name, `${where}.headroom.${key}: expected a number, got ${got(value)}`);
    }
  }
  const fault = transport['fault'];
  if (fault !== undefined) {
    const recovery = isObject(fault) ? fault['recovery'] : undefined;
    if (!isObject(recovery) || typeof recovery['count'] !== 'number')
      throw invalid(name, `${where}.fault.recovery: expected a latency summary, got ${got(recovery)}`);
  }
  // @2 counts the messages that broke the contract; @1 did not, and is read with 0.
  const protocolErrors = isObject(transport['delivery']) ? transport['delivery']['protocolErrors'] : undefined;
  if (nullable && !(Number.isSafeInteger(protocolErrors) && (protocolErrors as number) >= 0))
    throw invalid(name, `${where}.delivery.protocolErrors: expected a count, got ${got(protocolErrors)}`);
  checkWire(transport['bytes'], `${where}.bytes.wire`, name);
  for (const [group, key] of REQUIRED_FIGURES) {
    const section = transport[group];
    const value = isObject(section) ? section[key] : undefined;
    if (value === null && nullable && NOT_MEASURED_ALLOWED.has(`${group}.${key}`)) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw invalid(name, `${where}.${group}.${key}: expected a number, got ${got(value)}`);
    }
  }
}
