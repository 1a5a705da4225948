import { ImBenchError } from '../core/errors.js';
import { readJsonFile } from './read-json.js';
import { checkResult } from './result-check.js';
import { RESULT_SCHEMAS, type RunResult } from './result.js';
import type { TransportName } from './scenario.js';
import { addSweepRun, SWEEP_SCHEMA, SWEEP_SCHEMA_V1, SWEEP_SCHEMAS, type SweepResult } from './sweep.js';

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
  if (typeof schema === 'string' && SWEEP_SCHEMAS.includes(schema)) {
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
    const runs = sweep.runs.map((run, i) => checkResult(run, `${path}: runs[${i}]`, techniques));
    if ((sweep.schema as string) !== SWEEP_SCHEMA_V1) return { ...sweep, schema: SWEEP_SCHEMA, runs };
    // An @1 sweep: its points are made again from its runs, read as the current version.
    const upgraded: SweepResult = { ...sweep, schema: SWEEP_SCHEMA, series: {}, runs: [] };
    for (const run of runs) addSweepRun(upgraded, run.scenario[sweep.parameter], run);
    return upgraded;
  }
  if (typeof schema !== 'string' || !RESULT_SCHEMAS.includes(schema)) {
    const expected = [...RESULT_SCHEMAS, ...SWEEP_SCHEMAS].map((id) => `"${id}"`).join(', ');
    throw new ImBenchError(
      'IMB_ERR_INVALID_RESULT',
      `${path}: schema: expected one of ${expected}, got ${JSON.stringify(schema)}`,
    );
  }
  return checkResult(document, path, techniques);
}
