import { ImBenchError } from '../core/errors.js';
import { readJsonFile } from './read-json.js';
import { checkResult } from './result-check.js';
import { RESULT_SCHEMA, type RunResult } from './result.js';
import type { TransportName } from './scenario.js';
import { SWEEP_SCHEMA, type SweepResult } from './sweep.js';

/** What `report` renders: a run's result, or a sweep's. */
export type ResultDocument = RunResult | SweepResult;

export function isSweep(document: ResultDocument): document is SweepResult {
  return document.schema === SWEEP_SCHEMA;
}

/**
 * Reads a saved document for `report`: a run or a sweep, checked as far as the reports read it,
 * or an error naming the file and the problem (exit code 2).
 */
export async function loadDocument(path: string, techniques: readonly TransportName[]): Promise<ResultDocument> {
  const document = await readJsonFile(path);
  const schema = (document as { schema?: unknown } | null)?.schema;
  if (schema === SWEEP_SCHEMA) {
    const sweep = document as SweepResult;
    if (
      !Array.isArray(sweep.runs) ||
      typeof sweep.series !== 'object' ||
      sweep.series === null ||
      !Array.isArray(sweep.values)
    ) {
      throw new ImBenchError(
        'IMB_ERR_INVALID_RESULT',
        `${path}: expected a sweep document with values, series and runs`,
      );
    }
    sweep.runs.forEach((run, i) => {
      checkResult(run, `${path}: runs[${i}]`, techniques);
    });
    return sweep;
  }
  if (schema !== RESULT_SCHEMA) {
    throw new ImBenchError(
      'IMB_ERR_INVALID_RESULT',
      `${path}: schema: expected "${RESULT_SCHEMA}" or "${SWEEP_SCHEMA}", got ${JSON.stringify(schema)}`,
    );
  }
  return checkResult(document, path, techniques);
}
