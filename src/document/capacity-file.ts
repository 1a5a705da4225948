import { showValue } from '../core/show-value.js';
import { ImBenchError } from '../core/errors.js';
import { CAPACITY_SCHEMA, type CapacityResult } from './capacity.js';
import type { TransportName } from './scenario.js';
import { readJsonFile } from './read-json.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const got = showValue;

function invalid(path: string, field: string, expected: string, value: unknown): ImBenchError {
  return new ImBenchError('IMB_ERR_INVALID_RESULT', `${path}: ${field}: expected ${expected}, got ${got(value)}`);
}

/**
 * A saved `im-bench capacity` document for `run --capacity FILE`, checked as far as headroom
 * reads it: its schema, when it was measured, and each technique's name (one of `polling`, the
 * registry's techniques with a capacity probe) and ceiling. Any problem is an error naming the
 * file and the field (exit code 2).
 */
export async function loadCapacityFile(path: string, polling: readonly TransportName[]): Promise<CapacityResult> {
  return checkCapacityDocument(await readJsonFile(path), path, polling);
}

export function checkCapacityDocument(
  document: unknown,
  path: string,
  polling: readonly TransportName[],
): CapacityResult {
  if (!isObject(document)) throw invalid(path, '(root)', 'a capacity document (a JSON object)', document);
  if (document['schema'] !== CAPACITY_SCHEMA) {
    throw invalid(
      path,
      'schema',
      `"${CAPACITY_SCHEMA}" (a document written by im-bench capacity --json or --out)`,
      document['schema'],
    );
  }
  const startedAt = document['startedAt'];
  if (typeof startedAt !== 'string' || Number.isNaN(Date.parse(startedAt)))
    throw invalid(path, 'startedAt', 'a date and time', startedAt);
  const techniques = document['techniques'];
  if (!Array.isArray(techniques)) throw invalid(path, 'techniques', 'an array', techniques);
  const seen = new Set<string>();
  techniques.forEach((technique: unknown, i) => {
    const where = `techniques[${i}]`;
    if (!isObject(technique)) throw invalid(path, where, 'an object', technique);
    const name = technique['transport'];
    if (typeof name !== 'string' || !polling.includes(name)) {
      throw invalid(path, `${where}.transport`, polling.join(' or '), name);
    }
    if (seen.has(name)) throw invalid(path, `${where}.transport`, 'each technique once', name);
    seen.add(name);
    const requests = technique['requests'];
    const perSecond = isObject(requests) ? requests['perSecond'] : undefined;
    if (typeof perSecond !== 'number' || !Number.isFinite(perSecond) || perSecond <= 0) {
      throw invalid(path, `${where}.requests.perSecond`, 'a positive number of requests per second', perSecond);
    }
  });
  return document as unknown as CapacityResult;
}
