import { ImBenchError } from '../../core/errors.js';
import { parseJson, readJsonFile } from '../read-json.js';
import { RESULT_SCHEMA, type RunResult } from '../result.js';
import { SWEEP_SCHEMA } from '../sweep.js';
import { requiredPaths } from './figures.js';
import { SCENARIO_RULES } from './comparability.js';

function invalid(name: string, problem: string): ImBenchError {
  return new ImBenchError('IMB_ERR_INVALID_RESULT', `${name}: ${problem}`);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const got = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

/** Reads a result document for `compare`; any problem is an error naming the file (exit code 2). */
export async function loadComparable(path: string): Promise<RunResult> {
  return checkComparable(await readJsonFile(path), path);
}

/** A run result from its JSON text, checked as `checkComparable` does. */
export function parseComparable(text: string, name: string): RunResult {
  return checkComparable(parseJson(text, name), name);
}

/**
 * A run result, checked as far as `compare` reads it: the schema, the scenario fields it
 * matches, and every figure of every technique and repetition. Not the full JSON Schema (ajv
 * is not a runtime dependency), but nothing compare touches goes unchecked.
 */
export function checkComparable(document: unknown, name: string): RunResult {
  if (!isObject(document))
    throw invalid(
      name,
      `expected a result document (a JSON object), got ${Array.isArray(document) ? 'an array' : got(document)}`,
    );
  const schema = document['schema'];
  if (schema === SWEEP_SCHEMA) {
    throw invalid(
      name,
      `a sweep document (${SWEEP_SCHEMA}), not a run result (${RESULT_SCHEMA}): compare the results of two "im-bench run --json" instead`,
    );
  }
  if (schema !== RESULT_SCHEMA) throw invalid(name, `schema: expected "${RESULT_SCHEMA}", got ${got(schema)}`);

  const environment = document['environment'];
  if (!isObject(environment)) throw invalid(name, `environment: expected an object, got ${got(environment)}`);
  const scenario = document['scenario'];
  if (!isObject(scenario)) throw invalid(name, `scenario: expected an object, got ${got(scenario)}`);
  for (const { property } of SCENARIO_RULES) {
    if (!(property in scenario)) throw invalid(name, `scenario.${property}: missing`);
  }
  const transports = document['transports'];
  if (!Array.isArray(transports)) throw invalid(name, `transports: expected an array, got ${got(transports)}`);
  transports.forEach((transport: unknown, i) => {
    checkTransport(transport, `transports[${i}]`, name);
    const repetitions = (transport as Record<string, unknown>)['repetitions'];
    if (repetitions === undefined) return;
    if (!Array.isArray(repetitions))
      throw invalid(name, `transports[${i}].repetitions: expected an array, got ${got(repetitions)}`);
    repetitions.forEach((repetition: unknown, j) => {
      checkTransport(repetition, `transports[${i}].repetitions[${j}]`, name);
    });
  });
  return document as unknown as RunResult;
}

function checkTransport(transport: unknown, where: string, name: string): void {
  if (!isObject(transport)) throw invalid(name, `${where}: expected an object, got ${got(transport)}`);
  if (typeof transport['transport'] !== 'string')
    throw invalid(name, `${where}.transport: expected a technique's name, got ${got(transport['transport'])}`);
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
  for (const [group, key] of requiredPaths()) {
    const section = transport[group];
    const value = isObject(section) ? section[key] : undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw invalid(name, `${where}.${group}.${key}: expected a number, got ${got(value)}`);
    }
  }
}
