import { ImBenchError } from '../../core/errors.js';
import { checkComparable } from '../compare/load.js';
import { readJsonFile } from '../read-json.js';
import { RESULT_SCHEMA } from '../result.js';
import type { ShardDocument } from './check.js';

/** Reads a shard's result document for `merge`; any problem is an error naming the file (exit code 2). */
export async function loadShard(path: string): Promise<ShardDocument> {
  const document = await readJsonFile(path);
  const schema = (document as { schema?: unknown } | null)?.schema;
  if (schema !== RESULT_SCHEMA) {
    throw new ImBenchError(
      'IMB_ERR_INVALID_RESULT',
      `${path}: schema: expected "${RESULT_SCHEMA}" (the result of one shard's run), got ${JSON.stringify(schema) ?? 'nothing'}`,
    );
  }
  return { name: path, result: checkComparable(document, path) };
}
