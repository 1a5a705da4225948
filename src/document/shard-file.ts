import { ImBenchError } from '../core/errors.js';
import { checkResult } from './result-check.js';
import { readJsonFile } from './read-json.js';
import { RESULT_SCHEMAS, type RunResult } from './result.js';
import type { TransportName } from './scenario.js';

/** A shard's result document and the name (its file) that errors call it by. */
export interface ShardDocument {
  name: string;
  result: RunResult;
}

/** Reads a shard's result document for `merge`; any problem is an error naming the file (exit code 2). */
export async function loadShard(path: string, techniques: readonly TransportName[]): Promise<ShardDocument> {
  const document = await readJsonFile(path);
  const schema = (document as { schema?: unknown } | null)?.schema;
  if (typeof schema !== 'string' || !RESULT_SCHEMAS.includes(schema)) {
    throw new ImBenchError(
      'IMB_ERR_INVALID_RESULT',
      `${path}: schema: expected ${RESULT_SCHEMAS.map((id) => `"${id}"`).join(' or ')} (the result of one shard's run), got ${JSON.stringify(schema) ?? 'nothing'}`,
    );
  }
  return { name: path, result: checkResult(document, path, techniques) };
}
